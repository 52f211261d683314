// Web forms: the list, and the builder: fields (key, type, required, Russian and English labels, options), the
// sites allowed to send it, its campaign and thank-you texts; once saved, the snippet to paste with a copy button.
// Beside it a live preview draws the form as the embed script (gateway public/embed.js) draws it on the site.

import * as api from '../../api.js';
import { form } from '../../components/form.js';
import { pageHead, panel } from '../../components/page.js';
import { dataTable } from '../../components/table.js';
import { toast } from '../../components/toast.js';
import { append, h, replace, uid } from '../../dom.js';
import { formatDate, language, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { navigate } from '../../router.js';
import { campaignOptions, campaigns, marketingTabs } from './common.js';

const FIELD_TYPES = ['text', 'email', 'phone', 'textarea', 'checkbox', 'select'];
const LEAD_KEYS = ['person_name', 'company_name', 'position', 'email', 'phone', 'inn', 'comment'];

export const formsPage = {
  name: 'forms',
  title: () => t('marketing.tab.forms'),
  async render(view, ctx) {
    const [{ data }, list, tabs] = await Promise.all([
      api.get('/api/v1/forms', { query: { limit: 100 }, signal: ctx.signal }),
      campaigns(ctx.signal),
      marketingTabs('forms'),
    ]);
    const table = dataTable({
      caption: t('marketing.forms'),
      emptyText: t('forms.empty'),
      columns: [
        {
          key: 'name',
          label: t('webform.name'),
          className: 'primary',
          render: (f) => h('a', { href: `/marketing/forms/${f.id}` }, f.name),
        },
        {
          key: 'campaign',
          label: t('lead.campaign'),
          render: (f) => campaignOptions(list).find((c) => c.value === f.campaign_id)?.label ?? '',
        },
        { key: 'fields', label: t('webform.fields'), className: 'num', render: (f) => String(f.fields.length) },
        { key: 'active', label: t('webform.active'), render: (f) => (f.active ? t('common.yes') : t('common.no')) },
        {
          key: 'created_at',
          label: t('lead.created_at'),
          className: 'nowrap',
          render: (f) => formatDate(f.created_at, { dateOnly: true }),
        },
      ],
    });
    table.setRows(data.items);
    append(
      view,
      pageHead(
        t('marketing.forms'),
        h('a', { class: 'button primary', href: '/marketing/forms/new' }, icon('plus'), t('webform.new')),
      ),
      tabs,
      table.el,
    );
  },
};

export const formPage = {
  name: 'form-builder',
  title: (ctx) => ctx.title ?? t('marketing.forms'),
  async render(view, ctx) {
    const isNew = ctx.params.id === 'new';
    const url = `/api/v1/forms/${encodeURIComponent(ctx.params.id)}`;
    const [loaded, list, tabs] = await Promise.all([
      isNew ? null : api.get(url, { signal: ctx.signal }),
      campaigns(ctx.signal),
      marketingTabs('forms'),
    ]);
    let record = loaded?.data ?? null;
    let etag = loaded?.etag;
    ctx.title = record?.name ?? t('webform.new');

    const values = record ?? {
      name: '',
      active: true,
      rate_limit_per_minute: 5,
      fields: [
        { name: 'person_name', type: 'text', required: true, label_ru: 'Имя', label_en: 'Name' },
        { name: 'phone', type: 'phone', required: true, label_ru: 'Телефон', label_en: 'Phone' },
        { name: 'email', type: 'email', label_ru: 'E-mail', label_en: 'E-mail' },
      ],
      allowed_origins: [],
    };
    const previewLanguage = h(
      'select',
      { id: uid('lang') },
      h('option', { value: 'ru' }, 'Русский'),
      h('option', { value: 'en' }, 'English'),
    );
    previewLanguage.value = language();
    const preview = h('div', { class: 'form-preview', dataset: { crmForm: record?.token ?? 'preview' } });
    const snippet = h('div', { class: 'snippet-slot' });

    const editor = form({
      className: 'form-builder',
      fields: [
        { name: 'name', label: t('webform.name'), required: true, wide: true },
        { name: 'campaign_id', label: t('lead.campaign'), type: 'select', options: campaignOptions(list) },
        { name: 'active', label: t('webform.active'), type: 'checkbox' },
        {
          name: 'fields',
          label: t('webform.fields'),
          type: 'list',
          addLabel: t('webform.add_field'),
          hint: t('webform.fields_hint', { keys: LEAD_KEYS.join(', ') }),
          item: [
            { name: 'name', label: t('webform.field_name'), required: true },
            {
              name: 'type',
              label: t('webform.field_type'),
              type: 'select',
              options: FIELD_TYPES.map((type) => ({ value: type, label: t(`webform.type.${type}`) })),
              empty: t('webform.type.text'),
            },
            { name: 'required', label: t('webform.field_required'), type: 'checkbox' },
            { name: 'label_ru', label: t('webform.label_ru') },
            { name: 'label_en', label: t('webform.label_en') },
            { name: 'options', label: t('webform.options'), type: 'tags' },
          ],
        },
        {
          name: 'allowed_origins',
          label: t('webform.allowed_origins'),
          type: 'lines',
          hint: t('webform.origins_hint'),
          wide: true,
        },
        { name: 'success_message_ru', label: t('webform.success_ru'), type: 'textarea' },
        { name: 'success_message_en', label: t('webform.success_en'), type: 'textarea' },
        { name: 'rate_limit_per_minute', label: t('webform.rate_limit'), type: 'number', hint: t('webform.rate_hint') },
      ],
      values,
      submitLabel: isNew ? t('action.create') : t('action.save'),
      onConflict: () => navigate(location.pathname, { replace: true }),
      submit: async (data) => {
        const body = {
          ...data,
          fields: (data.fields ?? []).map((f) => ({ ...f, type: f.type ?? 'text', required: Boolean(f.required) })),
          rate_limit_per_minute: data.rate_limit_per_minute ?? 5,
        };
        for (const key of Object.keys(body)) if (body[key] === null) delete body[key];
        if (isNew) {
          const { data: created } = await api.post('/api/v1/forms', body);
          toast(t('webform.created'), { kind: 'success' });
          await navigate(`/marketing/forms/${created.id}`, { replace: true });
          return;
        }
        ({ data: record, etag } = await api.put(url, body, { etag }));
        toast(t('party.saved'), { kind: 'success' });
        renderSnippet();
      },
    });

    // The preview follows every keystroke: the definition as it stands in the form, drawn as the site draws it.
    // Only a changed definition redraws: a text field's "change" on blur (a click on the preview's button) must not
    // replace the form under the pointer.
    let drawn = '';
    const draw = () => {
      const definition = readDefinition(editor.el);
      const key = JSON.stringify([definition, previewLanguage.value]);
      if (key === drawn) return;
      drawn = key;
      replace(preview, renderPreview(definition, previewLanguage.value));
    };
    editor.el.addEventListener('input', draw);
    editor.el.addEventListener('change', draw);
    editor.el.addEventListener('click', (event) => {
      if (event.target.closest('[data-field="fields"] button')) setTimeout(draw);
    });
    previewLanguage.addEventListener('change', draw);

    function renderSnippet() {
      if (!record) return replace(snippet, h('p', { class: 'muted' }, t('webform.snippet_after_save')));
      const code = h('pre', { class: 'snippet' }, h('code', {}, record.snippet));
      const copy = h('button', { type: 'button', class: 'button small copy-snippet' }, icon('copy'), t('webform.copy'));
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(record.snippet);
          toast(t('webform.copied'), { kind: 'success' });
        } catch {
          getSelection().selectAllChildren(code); // no clipboard (plain http): selected for Ctrl+C
          toast(t('webform.copy_by_hand'));
        }
      });
      replace(
        snippet,
        h('p', {}, t('webform.snippet_hint')),
        code,
        copy,
        h('p', { class: 'muted submit-url' }, t('webform.submit_url'), ' ', h('code', {}, record.submit_url)),
      );
    }

    append(
      view,
      pageHead(record?.name ?? t('webform.new')),
      tabs,
      h(
        'div',
        { class: 'builder-grid' },
        panel('definition', t('webform.definition'), editor.el),
        h(
          'div',
          { class: 'builder-side' },
          panel(
            'preview',
            t('webform.preview'),
            h(
              'div',
              {},
              h(
                'div',
                { class: 'filter' },
                h('label', { for: previewLanguage.id }, t('webform.preview_language')),
                previewLanguage,
              ),
              preview,
            ),
          ),
          panel('snippet', t('webform.snippet'), snippet),
        ),
      ),
    );
    renderSnippet();
    draw();
  },
};

/** The form's definition as typed so far (the builder's inputs), for the preview. */
function readDefinition(root) {
  const value = (name) =>
    root.querySelector(`[data-field="${name}"] input, [data-field="${name}"] textarea`)?.value ?? '';
  const fields = [...root.querySelectorAll('[data-field="fields"] .list-row')].map((row) => {
    const cell = (name) => row.querySelector(`[data-field$=".${name}"] input, [data-field$=".${name}"] select`);
    return {
      name: cell('name').value.trim(),
      type: cell('type').value || 'text',
      required: cell('required').checked,
      label_ru: cell('label_ru').value.trim(),
      label_en: cell('label_en').value.trim(),
      options: cell('options')
        .value.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    };
  });
  return {
    fields: fields.filter((f) => f.name),
    success_message_ru: value('success_message_ru'),
    success_message_en: value('success_message_en'),
  };
}

/** The form as embed.js renders it on the site (same markup and classes), inert: sending only shows the thanks. */
function renderPreview(definition, lang) {
  const russian = lang === 'ru';
  const words = russian
    ? { send: 'Отправить', thanks: 'Спасибо! Мы свяжемся с вами.' }
    : { send: 'Send', thanks: 'Thank you! We will contact you.' };
  if (!definition.fields.length) return h('p', { class: 'muted' }, t('webform.no_fields'));
  const formEl = h('form', { class: 'crm-form', novalidate: true, lang, 'aria-label': t('webform.preview') });
  for (const field of definition.fields) {
    const label = (russian ? field.label_ru : field.label_en) || field.label_ru || field.name;
    const id = uid('preview');
    let input;
    if (field.type === 'textarea') input = h('textarea', { id, name: field.name, rows: 4 });
    else if (field.type === 'select')
      input = h(
        'select',
        { id, name: field.name },
        h('option', { value: '' }, '—'),
        field.options.map((o) => h('option', { value: o }, o)),
      );
    else if (field.type === 'checkbox') input = h('input', { id, name: field.name, type: 'checkbox', value: 'yes' });
    else input = h('input', { id, name: field.name, type: { email: 'email', phone: 'tel' }[field.type] || 'text' });
    if (field.required) input.required = true;
    formEl.append(
      h('p', { class: 'crm-form__row' }, h('label', { for: id }, label + (field.required ? ' *' : '')), input),
    );
  }
  formEl.append(h('button', { type: 'submit' }, words.send), h('p', { class: 'crm-form__status', role: 'status' }));
  formEl.addEventListener('submit', (event) => {
    event.preventDefault();
    const thanks = (russian ? definition.success_message_ru : definition.success_message_en) || words.thanks;
    formEl.replaceWith(h('p', { class: 'crm-form__done' }, thanks));
  });
  return formEl;
}
