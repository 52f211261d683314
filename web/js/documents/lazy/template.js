// The template editor (admins): the HTML and CSS of a template's current version in two text areas, a live preview
// of the PDF beside them (POST /document-templates/preview with the text as typed, filled with the sample deal or a
// deal whose id is given), the variables a template may use with their descriptions in the UI language (a click puts
// one at the cursor), "Save as a new version" (If-Match; the server checks the template with the sample deal and
// names an unknown variable under the HTML box), the versions (open one's text, or make it current), "Make default"
// and "Archive".

import * as api from '../../api.js';
import { pageHead, panel } from '../../components/page.js';
import { toast, toastError } from '../../components/toast.js';
import { debounce, h, replace, uid } from '../../dom.js';
import { formatDate, language, t } from '../../i18n.js';
import { docTypeLabel, documentsTabs, field, me, pdfFrame, showProblem, clearProblem } from '../common.js';

const base = '/api/v1/document-templates';

export const templatePage = {
  name: 'document-template',
  title: (ctx) => ctx.title ?? t('documents.tab.templates'),
  async render(view, ctx) {
    const url = `${base}/${encodeURIComponent(ctx.params.id)}`;
    const [user, loaded, users] = await Promise.all([
      me(),
      api.get(url, { signal: ctx.signal }),
      api.cached('/api/v1/users').catch(() => []),
    ]);
    let template = loaded.data;
    const variables = (
      await api.get(`${base}/variables`, { query: { doc_type: template.doc_type }, signal: ctx.signal })
    ).data;
    ctx.title = template.name;
    const who = (id) => users.find?.((u) => u.id === id)?.display_name ?? '';
    const etag = () => `"${template.row_version}"`;

    const html = h('textarea', {
      name: 'html',
      class: 'code-input',
      rows: 22,
      spellcheck: false,
      value: template.html,
    });
    const css = h('textarea', { name: 'css', class: 'code-input', rows: 10, spellcheck: false, value: template.css });
    const comment = h('input', { type: 'text', name: 'comment', autocomplete: 'off' });
    const fields = h(
      'div',
      { class: 'form-grid template-fields' },
      field('html', t('templates.html'), html, { wide: true }),
      field('css', t('templates.css'), css, { wide: true }),
      field('comment', t('templates.comment'), comment, { wide: true }),
    );
    const summary = h('div', { class: 'form-summary error', hidden: true, tabindex: '-1' });
    const save = h('button', { type: 'submit', class: 'button primary' }, t('templates.save_version'));
    const editing = h('p', { class: 'muted template-editing', 'aria-live': 'polite' });
    const editor = h(
      'form',
      { class: 'form template-editor', novalidate: true, onSubmit: saveVersion },
      editing,
      summary,
      fields,
      h('div', { class: 'form-actions' }, save),
    );

    // The preview: the text as typed, filled with the sample deal or the deal named here.
    const dealId = h('input', {
      type: 'text',
      name: 'deal_id',
      autocomplete: 'off',
      placeholder: t('templates.sample_deal'),
    });
    const refresh = h(
      'button',
      { type: 'button', class: 'button small', onClick: () => preview() },
      t('templates.refresh_preview'),
    );
    const frame = pdfFrame(t('documents.preview'), 'doc-pdf-frame template-preview-frame');
    const previewStatus = h('p', { class: 'muted template-preview-status', 'aria-live': 'polite' });
    const previewSummary = h('div', { class: 'form-summary error', hidden: true });
    let previewing = null;
    async function preview() {
      previewing?.abort();
      const controller = new AbortController();
      previewing = controller;
      previewStatus.textContent = t('documents.preview_loading');
      clearProblem(previewSummary, fields);
      try {
        const body = {
          html: html.value,
          css: css.value,
          doc_type: template.doc_type,
          language: template.language,
          deal_id: dealId.value.trim(),
        };
        const { data: blob } = await api.post(`${base}/preview`, body, { blob: true, signal: controller.signal });
        frame.show(blob);
        previewStatus.textContent = t('documents.preview_ready');
      } catch (error) {
        if (error?.name === 'AbortError') return;
        previewStatus.textContent = '';
        showProblem(error, previewSummary, fields);
      }
    }
    const livePreview = debounce(preview, 1200);
    html.addEventListener('input', livePreview);
    css.addEventListener('input', livePreview);
    dealId.addEventListener('change', () => preview());

    async function saveVersion(event) {
      event.preventDefault();
      clearProblem(summary, fields);
      save.disabled = true;
      try {
        const body = { html: html.value, css: css.value, comment: comment.value.trim() };
        const { data } = await api.post(`${url}/versions`, body, { etag: etag() });
        template = data;
        comment.value = '';
        toast(t('templates.version_saved', { version: template.current_version }), { kind: 'success' });
        renderAll();
      } catch (error) {
        if (error?.status === 412) {
          replace(summary, h('p', {}, t('form.conflict')));
          summary.hidden = false;
        } else showProblem(error, summary, fields);
        summary.focus();
      } finally {
        save.disabled = false;
      }
    }

    async function patch(body, done) {
      try {
        ({ data: template } = await api.patch(url, body, { etag: etag() }));
        toast(done, { kind: 'success' });
        // The PATCH answers the settings; the text shown stays the current version's.
        ({ data: template } = await api.get(url));
        html.value = template.html;
        css.value = template.css;
        renderAll();
        preview();
      } catch (error) {
        toastError(error);
      }
    }

    async function openVersion(version) {
      try {
        const { data } = await api.get(url, { query: { version } });
        html.value = data.html;
        css.value = data.css;
        editing.textContent = t('templates.editing_version', { version });
        preview();
      } catch (error) {
        toastError(error);
      }
    }

    // The variables, described in the UI language; a click inserts "{{ path }}" where the cursor is in the HTML.
    const describe = (v) => (language() === 'en' ? v.description_en : v.description_ru) || v.description_en;
    const insert = (path) => {
      const text = `{{ ${path.replace('[]', '')} }}`;
      const start = html.selectionStart ?? html.value.length;
      html.setRangeText(text, start, html.selectionEnd ?? start, 'end');
      html.focus();
      livePreview();
    };
    const variablesList = h(
      'dl',
      { class: 'template-variables' },
      variables.map((v) => [
        h(
          'dt',
          {},
          h(
            'button',
            { type: 'button', class: 'link', title: t('templates.insert'), onClick: () => insert(v.path) },
            h('code', {}, v.path),
          ),
        ),
        h('dd', {}, describe(v), v.example && h('span', { class: 'muted' }, ` · ${v.example}`)),
      ]),
    );

    const head = h('div');
    const versions = h('ol', { class: 'template-versions', reversed: true });
    function renderAll() {
      replace(
        head,
        pageHead(
          template.name,
          !template.is_default &&
            !template.archived &&
            h(
              'button',
              {
                type: 'button',
                class: 'button',
                onClick: () => patch({ is_default: true }, t('templates.made_default')),
              },
              t('templates.make_default'),
            ),
          !template.is_default &&
            h(
              'button',
              {
                type: 'button',
                class: 'button ghost',
                onClick: () =>
                  patch(
                    { archived: !template.archived },
                    t(template.archived ? 'templates.restored' : 'templates.archived_done'),
                  ),
              },
              t(template.archived ? 'templates.restore' : 'templates.archive'),
            ),
        ),
        h(
          'p',
          { class: 'template-marks' },
          h('span', { class: 'chip' }, docTypeLabel(template.doc_type)),
          h('span', { class: 'chip' }, t(`documents.language.${template.language}`)),
          template.is_default && h('span', { class: 'chip strong' }, t('templates.default')),
          template.shipped && h('span', { class: 'chip' }, t('templates.shipped')),
          template.archived && h('span', { class: 'chip' }, t('templates.archived')),
        ),
      );
      editing.textContent = t('templates.editing_version', { version: template.current_version });
      replace(
        versions,
        [...template.versions]
          .sort((a, b) => b.version - a.version)
          .map((v) =>
            h(
              'li',
              { class: 'template-version', dataset: { version: v.version } },
              h(
                'span',
                {},
                h('strong', {}, t('templates.version_n', { version: v.version })),
                v.version === template.current_version && [
                  ' ',
                  h('span', { class: 'chip strong' }, t('templates.current')),
                ],
                h(
                  'span',
                  { class: 'muted' },
                  ` · ${[formatDate(v.created_at), who(v.created_by), v.comment].filter(Boolean).join(' · ')}`,
                ),
              ),
              h(
                'span',
                { class: 'toolbar' },
                h(
                  'button',
                  { type: 'button', class: 'button small ghost', onClick: () => openVersion(v.version) },
                  t('templates.open_version'),
                ),
                v.version !== template.current_version &&
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'button small',
                      onClick: () =>
                        patch({ current_version: v.version }, t('templates.went_back', { version: v.version })),
                    },
                    t('templates.make_current'),
                  ),
              ),
            ),
          ),
      );
    }
    renderAll();

    const dealLabel = uid('deal');
    dealId.id = dealLabel;
    view.append(
      head,
      documentsTabs(user, 'templates'),
      h(
        'div',
        { class: 'template-grid' },
        h('div', { class: 'panel template-edit' }, editor),
        h(
          'section',
          { class: 'panel template-preview', dataset: { section: 'template-preview' } },
          h('h2', {}, t('documents.preview')),
          h(
            'div',
            { class: 'toolbar template-preview-deal' },
            h('label', { for: dealLabel }, t('templates.preview_deal')),
            dealId,
            refresh,
          ),
          previewStatus,
          previewSummary,
          frame.link,
          frame.el,
        ),
      ),
      panel('template-variables', t('templates.variables'), variablesList),
      panel('template-versions', t('templates.versions'), versions),
    );
    preview();
  },
};
