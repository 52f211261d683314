// "Make invoice / quote / act / delivery note / contract" from a deal: the type, the seller's legal entity, the
// template (by type and language), the language, the date and the validity; "Preview" shows the PDF the document
// would be (POST /documents/preview: nothing is kept, no number taken) in the dialog, "Create" makes it
// (POST /documents) and resolves with it. Refusals are shown translated next to the control they name; without a
// legal entity an admin gets a link to the legal entities' settings.

import * as api from '../../api.js';
import { h, uid } from '../../dom.js';
import { language, t } from '../../i18n.js';
import {
  DOC_TYPES,
  LANGUAGES,
  clearProblem,
  docTypeLabel,
  field,
  isAdminUser,
  me,
  pdfFrame,
  showProblem,
} from '../common.js';

const today = () => {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
};

/** createDocumentDialog(deal, docType) -> Promise<document | null> */
export async function createDocumentDialog(deal, docType) {
  const [entities, user] = await Promise.all([api.get('/api/v1/legal-entities').then((r) => r.data), me()]);
  return new Promise((resolve) => {
    let result = null;
    const titleId = uid('doc-create');
    const option = (value, label) => h('option', { value }, label);
    const type = h(
      'select',
      { name: 'doc_type' },
      DOC_TYPES.map((v) => option(v, docTypeLabel(v))),
    );
    type.value = docType;
    const entity = h(
      'select',
      { name: 'legal_entity_id' },
      entities.length ? null : option('', t('documents.no_legal_entities')),
      entities.map((e) => option(e.id, `${e.name} · ${t('documents.inn')} ${e.inn}`)),
    );
    entity.value = (entities.find((e) => e.is_default) ?? entities[0])?.id ?? '';
    const lang = h(
      'select',
      { name: 'language' },
      LANGUAGES.map((v) => option(v, t(`documents.language.${v}`))),
    );
    lang.value = LANGUAGES.includes(language()) ? language() : 'ru';
    const template = h('select', { name: 'template_id' });
    const docDate = h('input', { type: 'date', name: 'doc_date', value: today() });
    const validUntil = h('input', { type: 'date', name: 'valid_until' });
    const fields = h(
      'div',
      { class: 'form-grid' },
      field('doc_type', t('documents.field.doc_type'), type),
      field('legal_entity_id', t('documents.field.legal_entity'), entity),
      field('language', t('documents.field.language'), lang),
      field('template_id', t('documents.field.template'), template),
      field('doc_date', t('documents.field.doc_date'), docDate),
      field('valid_until', t('documents.field.valid_until'), validUntil, { hint: t('documents.valid_until_hint') }),
    );
    const summary = h('div', { class: 'form-summary error', hidden: true, tabindex: '-1' });
    const frame = pdfFrame(t('documents.preview'), 'doc-pdf-frame doc-preview-frame');
    frame.el.hidden = true;
    const previewStatus = h('p', { class: 'muted doc-preview-status', 'aria-live': 'polite' });
    const previewButton = h('button', { type: 'button', class: 'button', onClick: preview }, t('documents.preview'));
    const createButton = h('button', { type: 'submit', class: 'button primary' }, t('action.create'));
    const cancel = h('button', { type: 'button', class: 'button', onClick: () => dialog.close() }, t('action.cancel'));
    const formEl = h(
      'form',
      { class: 'form', novalidate: true, onSubmit: create },
      summary,
      fields,
      h('div', { class: 'form-actions' }, createButton, previewButton, cancel),
      previewStatus,
      frame.link,
      frame.el,
    );
    const dialog = h(
      'dialog',
      { class: 'dialog doc-create-dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, t('documents.create_title', { title: deal.title })),
      formEl,
    );

    // The templates of the chosen type and language; the default one first ("" asks the server for it).
    async function loadTemplates() {
      try {
        const { data } = await api.get('/api/v1/document-templates', {
          query: { doc_type: type.value, language: lang.value },
        });
        const chosen = data.find((x) => x.is_default);
        template.replaceChildren(
          option('', chosen ? t('documents.template_default', { name: chosen.name }) : t('documents.template_auto')),
          data.filter((x) => !x.is_default).map((x) => option(x.id, x.name)),
        );
      } catch (error) {
        showProblem(error, summary, fields);
      }
    }
    type.addEventListener('change', loadTemplates);
    lang.addEventListener('change', loadTemplates);

    const body = () => ({
      deal_id: deal.id,
      doc_type: type.value,
      legal_entity_id: entity.value,
      template_id: template.value,
      language: lang.value,
    });

    // An admin without a legal entity is sent to where one is made.
    const explain = (error) =>
      error?.code === 'legal_entity_required' &&
      isAdminUser(user) &&
      h(
        'p',
        {},
        h(
          'a',
          { href: '/documents/legal-entities', onClick: () => dialog.close() },
          t('documents.legal_entities_link'),
        ),
      );

    async function busy(button, work) {
      clearProblem(summary, fields);
      button.disabled = true;
      formEl.setAttribute('aria-busy', 'true');
      try {
        await work();
      } catch (error) {
        showProblem(error, summary, fields, explain);
        summary.focus();
      } finally {
        button.disabled = false;
        formEl.setAttribute('aria-busy', 'false');
      }
    }

    function preview() {
      return busy(previewButton, async () => {
        previewStatus.textContent = t('documents.preview_loading');
        try {
          const { data: blob } = await api.post('/api/v1/documents/preview', body(), { blob: true });
          frame.show(blob);
          frame.el.hidden = false;
          previewStatus.textContent = t('documents.preview_ready');
        } catch (error) {
          previewStatus.textContent = '';
          throw error;
        }
      });
    }

    function create(event) {
      event.preventDefault();
      return busy(createButton, async () => {
        const { data } = await api.post('/api/v1/documents', {
          ...body(),
          doc_date: docDate.value,
          valid_until: validUntil.value,
        });
        result = data;
        dialog.close();
      });
    }

    const opener = document.activeElement;
    dialog.addEventListener('close', () => {
      dialog.remove();
      frame.clear();
      opener?.focus?.();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    type.focus();
    loadTemplates();
  });
}
