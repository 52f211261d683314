// What the documents screens share: the names of document types and statuses, the actions a status allows, a
// document's PDF fetched with the session's token (shown in a dialog from a blob: URL, or saved under its name),
// the section's tabs (by role) and how a refusal is shown next to the control it names.

import * as api from '../api.js';
import { tabs } from '../components/page.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from '../messages.js';

export const DOC_TYPES = ['invoice', 'quote', 'act', 'delivery_note', 'contract'];
export const LANGUAGES = ['ru', 'en'];
export const SIGNABLE = new Set(['quote', 'act', 'delivery_note', 'contract']);
export const SENDABLE = new Set(['draft', 'issued', 'sent']);
export const REGENERABLE = new Set(['draft', 'issued']);

export const docTypeLabel = (type) => t(`documents.type.${type}`);
export const statusLabel = (status) => t(`documents.status.${status}`);

/** A status as a coloured badge (data-status styles it). */
export const statusBadge = (status) => h('span', { class: 'doc-status', dataset: { status } }, statusLabel(status));

/** The status changes a document of this type and status may ask for, in the order offered. */
export function statusActions(doc) {
  const actions = [];
  if (doc.status === 'draft') actions.push('issued');
  if (['issued', 'sent'].includes(doc.status) && SIGNABLE.has(doc.doc_type)) actions.push('signed');
  if (['issued', 'sent', 'signed'].includes(doc.status) && doc.doc_type === 'invoice') actions.push('paid');
  if (!['paid', 'cancelled'].includes(doc.status)) actions.push('cancelled');
  return actions;
}

/** "Счёт № СЧ-17" / "Invoice СЧ-17". */
export const documentTitle = (doc) => t('documents.title_of', { type: docTypeLabel(doc.doc_type), number: doc.number });

/** Who may do what: admins everything, accountants the bank statements. */
export const me = () => api.cached('/api/v1/me');
export const isAccountant = (user) => user.roles.includes('admin') || user.roles.includes('accountant');
export const isAdminUser = (user) => user.roles.includes('admin');

/** The section's tabs: documents for everyone, bank statements for accountants, settings for admins. */
export function documentsTabs(user, current) {
  const items = [['list', '/documents', t('documents.tab.list')]];
  if (isAccountant(user)) items.push(['statements', '/documents/bank-statements', t('documents.tab.statements')]);
  if (isAdminUser(user)) {
    items.push(['legal', '/documents/legal-entities', t('documents.tab.legal_entities')]);
    items.push(['templates', '/documents/templates', t('documents.tab.templates')]);
  }
  return tabs(items, current, t('nav.documents'));
}

const pdfUrl = (doc) => `/api/v1/documents/${encodeURIComponent(doc.id)}/pdf`;

/** The PDF of a document (a version; 0: the current one) as a Blob. */
export async function documentPdf(doc, version = 0) {
  const query = { inline: true, ...(version ? { version } : {}) };
  return (await api.get(pdfUrl(doc), { query, blob: true })).data;
}

/** A file name for a document: "Счёт СЧ-17.pdf" (a version: "Счёт СЧ-17 (v2).pdf"). */
export const pdfName = (doc, version = 0) =>
  `${docTypeLabel(doc.doc_type)} ${doc.number}${version ? ` (v${version})` : ''}.pdf`.replace(/[\\/:*?"<>|]/g, '_');

/** Save a Blob under a name (a blob: URL clicked as a download link). */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function downloadDocument(doc, version = 0) {
  saveBlob(await documentPdf(doc, version), pdfName(doc, version));
}

/**
 * A PDF Blob in an <iframe> (from a blob: URL, revoked when replaced), with a link that opens it in a tab of its own
 * (a phone's browser may show no PDF inside a page): `frame.show(blob)`; `frame.link` goes where the page wants it.
 */
export function pdfFrame(title, className = 'doc-pdf-frame') {
  let url = '';
  const el = h('iframe', { class: className, title });
  const link = h(
    'a',
    { class: 'doc-pdf-link', target: '_blank', rel: 'noopener', hidden: true },
    t('documents.open_tab'),
  );
  return {
    el,
    link,
    show(blob) {
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(blob);
      el.src = url;
      link.href = url;
      link.hidden = false;
    },
    clear() {
      if (url) URL.revokeObjectURL(url);
      url = '';
      el.removeAttribute('src');
      link.removeAttribute('href');
      link.hidden = true;
    },
  };
}

/** Show a document's PDF in a dialog, with its download button. */
export async function viewDocument(doc, version = 0) {
  const blob = await documentPdf(doc, version);
  const titleId = uid('doc-view');
  const frame = pdfFrame(documentTitle(doc), 'doc-pdf-frame doc-view-frame');
  frame.show(blob);
  const close = h('button', { type: 'button', class: 'button', onClick: () => dialog.close() }, t('action.close'));
  const dialog = h(
    'dialog',
    { class: 'dialog doc-view', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, documentTitle(doc)),
    frame.link,
    frame.el,
    h(
      'div',
      { class: 'form-actions' },
      h(
        'button',
        { type: 'button', class: 'button primary', onClick: () => saveBlob(blob, pdfName(doc, version)) },
        t('documents.download'),
      ),
      close,
    ),
  );
  const opener = document.activeElement;
  dialog.addEventListener('close', () => {
    dialog.remove();
    frame.clear();
    opener?.focus?.();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}

/**
 * Show a refusal: each field error under the control whose data-field names it (`fields`: a container of
 * `.field[data-field]` wrappers, each with a `.field-error`), the rest in `summary`; `extra(error)` may add content
 * (a link). Returns whether something was shown.
 */
export function showProblem(error, summary, fields = null, extra = null) {
  clearProblem(summary, fields);
  if (error?.name === 'AbortError') return false;
  const unplaced = [];
  for (const violation of error?.errors ?? []) {
    const field = (violation.field ?? '').split('.')[0];
    const wrapper = fields?.querySelector(`[data-field="${field}"]`);
    const slot = wrapper?.querySelector('.field-error');
    if (!slot) {
      unplaced.push(violation);
      continue;
    }
    wrapper.classList.add('invalid');
    slot.hidden = false;
    slot.append(h('span', {}, withDetail(violation)));
    wrapper.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
  }
  const placed = (error?.errors?.length ?? 0) - unplaced.length;
  const lines = placed && !unplaced.length ? [t('form.fix_fields')] : [errorText(error), ...unplaced.map(withDetail)];
  replace(
    summary,
    [...new Set(lines)].map((line) => h('p', {}, line)),
    extra?.(error),
  );
  summary.hidden = false;
  summary.setAttribute('role', 'alert');
  return true;
}

export function clearProblem(summary, fields = null) {
  summary.hidden = true;
  summary.replaceChildren();
  for (const wrapper of fields?.querySelectorAll('.invalid') ?? []) {
    wrapper.classList.remove('invalid');
    const slot = wrapper.querySelector('.field-error');
    slot.hidden = true;
    slot.replaceChildren();
    wrapper.querySelector('[aria-invalid]')?.removeAttribute('aria-invalid');
  }
}

// A field error's translation, with what the server named after a colon ("an unknown variable: client.fax").
function withDetail(violation) {
  const text = errorText(violation);
  const named = /: ([^:]+)$/.exec(violation.message ?? '')?.[1];
  return named && text !== violation.message ? `${text} ${t('documents.named', { name: named })}` : text;
}

/** A labelled control in a wrapper that can show its field errors: field(name, label, control). */
export function field(name, label, control, { wide = false, hint = '' } = {}) {
  control.id ||= uid(name);
  const error = h('p', { class: 'field-error', id: uid('error'), hidden: true, 'aria-live': 'polite' });
  control.setAttribute('aria-describedby', error.id);
  return h(
    'div',
    { class: `field${wide ? ' wide' : ''}`, dataset: { field: name } },
    h('label', { for: control.id }, label),
    hint && h('p', { class: 'field-hint' }, hint),
    control,
    error,
  );
}
