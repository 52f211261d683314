// The "Documents" panel of the deal and client cards: the record's documents (type and number, date, status, total,
// paid) and what each allows: view the PDF in the page, download it, send it by e-mail, the status changes its
// status allows (issue; sign a quote, act, delivery note or contract; mark an invoice paid; cancel with a reason),
// render it again (draft or issued) and its versions. On the deal card, "Make invoice", "Quote", "Act",
// "Delivery note" and "Contract" open the dialog that previews and makes one (create.js).

import * as api from '../api.js';
import { formDialog } from '../components/dialog.js';
import { toast, toastError } from '../components/toast.js';
import { h, replace, uid } from '../dom.js';
import { formatDate, formatDay, t } from '../i18n.js';
import { icon } from '../icons.js';
import { money } from '../deals/format.js';
import { formatSize } from './attachments.js';
import {
  DOC_TYPES,
  REGENERABLE,
  SENDABLE,
  documentTitle,
  downloadDocument,
  statusActions,
  statusBadge,
  viewDocument,
} from './common.js';

const base = '/api/v1/documents';
const etagOf = (doc) => `"${doc.version}"`;

/** documentsPanel('deal' | 'party', id, {signal, record}) -> Promise<section> */
export async function documentsPanel(kind, id, { signal, record } = {}) {
  const query = kind === 'deal' ? { deal_id: id, limit: 50 } : { party_id: id, limit: 50 };
  const { data } = await api.get(base, { query, signal });
  let items = data.items;
  let total = data.total;
  const expanded = new Map(); // document id -> its full record (with files) while its versions are shown
  let highlighted = '';
  const titleId = uid('documents');
  const list = h('ul', { class: 'documents' });
  const status = h('p', { class: 'muted documents-empty' });

  async function reload() {
    try {
      ({
        data: { items, total },
      } = await api.get(base, { query, signal }));
      render();
    } catch (error) {
      if (!signal?.aborted) toastError(error);
    }
  }

  const replaceDoc = (doc) => {
    items = items.map((d) => (d.id === doc.id ? doc : d));
    if (expanded.has(doc.id)) expanded.delete(doc.id);
    render();
  };

  const safely = (fn) => async () => {
    try {
      await fn();
    } catch (error) {
      if (error?.status === 412) {
        toast(t('form.conflict'));
        await reload();
      } else toastError(error);
    }
  };

  async function make(docType) {
    const deal = await record;
    const { createDocumentDialog } = await import('./lazy/create.js');
    const created = await createDocumentDialog(deal, docType);
    if (!created) return;
    toast(t('documents.created', { title: documentTitle(created) }), { kind: 'success' });
    highlighted = created.id;
    await reload();
    await viewDocument(created).catch(toastError);
  }

  async function changeStatus(doc, target) {
    if (target === 'cancelled') {
      const done = await formDialog({
        title: t('documents.cancel_title', { title: documentTitle(doc) }),
        fields: [{ name: 'reason', label: t('documents.cancel_reason'), type: 'textarea', required: true }],
        submitLabel: t('documents.cancel_submit'),
        submit: async ({ reason }) =>
          (await api.post(`${base}/${doc.id}/status`, { status: target, reason: reason ?? '' }, { etag: etagOf(doc) }))
            .data,
        onConflict: reload,
      });
      if (done) replaceDoc(done);
      return;
    }
    const { data: changed } = await api.post(`${base}/${doc.id}/status`, { status: target }, { etag: etagOf(doc) });
    toast(t(`documents.done.${target}`, { title: documentTitle(changed) }), { kind: 'success' });
    replaceDoc(changed);
  }

  async function send(doc) {
    const sent = await formDialog({
      title: t('documents.send_title', { title: documentTitle(doc) }),
      className: 'doc-send-dialog',
      fields: [
        { name: 'to', label: t('documents.send_to'), type: 'tags', hint: t('documents.send_to_hint') },
        { name: 'subject', label: t('documents.send_subject') },
        { name: 'message', label: t('documents.send_message'), type: 'textarea', rows: 5 },
      ],
      values: { subject: documentTitle(doc) },
      submitLabel: t('documents.send'),
      submit: async (values) =>
        (
          await api.post(
            `${base}/${doc.id}/send`,
            { to: values.to ?? [], subject: values.subject ?? '', message: values.message ?? '' },
            { etag: etagOf(doc) },
          )
        ).data,
      onConflict: reload,
    });
    if (!sent) return;
    toast(t('documents.sent', { title: documentTitle(sent), to: sent.sent_to }), { kind: 'success' });
    replaceDoc(sent);
  }

  async function regenerate(doc) {
    const { data: again } = await api.post(`${base}/${doc.id}/regenerate`, {}, { etag: etagOf(doc) });
    toast(t('documents.regenerated', { title: documentTitle(again), version: again.current_version }), {
      kind: 'success',
    });
    replaceDoc(again);
  }

  async function toggleVersions(doc) {
    if (expanded.has(doc.id)) expanded.delete(doc.id);
    else expanded.set(doc.id, (await api.get(`${base}/${doc.id}`, { signal })).data);
    render();
  }

  const button = (label, onClick, { cls = 'button small', iconName = '', name = '' } = {}) =>
    h(
      'button',
      { type: 'button', class: cls, 'aria-label': name || null, onClick: safely(onClick) },
      iconName && icon(iconName),
      label,
    );

  function versionRow(doc, file) {
    return h(
      'li',
      { class: 'document-version', dataset: { version: file.version } },
      h(
        'button',
        { type: 'button', class: 'link', onClick: safely(() => viewDocument(doc, file.version)) },
        t('documents.version', { version: file.version }),
      ),
      h('span', { class: 'muted' }, ` · ${formatDate(file.created_at)} · ${formatSize(file.size_bytes)} `),
      button(t('documents.download'), () => downloadDocument(doc, file.version), {
        cls: 'button small ghost',
        name: t('documents.download_version', { version: file.version }),
      }),
    );
  }

  function row(doc) {
    const title = documentTitle(doc);
    const paid = Number(doc.paid_amount) > 0 && doc.doc_type === 'invoice';
    const full = expanded.get(doc.id);
    return h(
      'li',
      {
        class: `document${doc.id === highlighted ? ' highlight' : ''}`,
        dataset: { document: doc.id, status: doc.status, type: doc.doc_type },
      },
      h(
        'div',
        { class: 'document-main' },
        h('span', { class: 'document-title' }, h('strong', {}, title), ' ', statusBadge(doc.status)),
        h(
          'span',
          { class: 'muted document-meta' },
          [
            formatDay(doc.doc_date),
            money(doc.total, doc.currency),
            paid && t('documents.paid_amount', { amount: money(doc.paid_amount, doc.currency) }),
            kind === 'party' && doc.deal_title,
            doc.status === 'cancelled' && doc.cancel_reason,
          ]
            .filter(Boolean)
            .join(' · '),
        ),
      ),
      h(
        'div',
        { class: 'toolbar document-actions' },
        button(t('documents.open'), () => viewDocument(doc), {
          iconName: 'search',
          name: t('documents.open_of', { title }),
        }),
        button(t('documents.download'), () => downloadDocument(doc), {
          cls: 'button small ghost',
          iconName: 'download',
          name: t('documents.download_of', { title }),
        }),
        SENDABLE.has(doc.status) &&
          button(t('documents.send'), () => send(doc), { cls: 'button small ghost', iconName: 'email' }),
        statusActions(doc).map((target) =>
          button(t(`documents.action.${target}`), () => changeStatus(doc, target), {
            cls: `button small ${target === 'cancelled' ? 'ghost danger' : 'secondary'}`,
            name: t('documents.action_of', { action: t(`documents.action.${target}`), title }),
          }),
        ),
        REGENERABLE.has(doc.status) &&
          button(t('documents.regenerate'), () => regenerate(doc), { cls: 'button small ghost', iconName: 'refresh' }),
        doc.current_version > 1 &&
          h(
            'button',
            {
              type: 'button',
              class: 'button small ghost document-versions-toggle',
              'aria-expanded': String(Boolean(full)),
              onClick: safely(() => toggleVersions(doc)),
            },
            t('documents.versions', { count: doc.current_version }),
          ),
      ),
      full &&
        h(
          'ol',
          { class: 'document-versions' },
          [...full.files].sort((a, b) => b.version - a.version).map((f) => versionRow(full, f)),
        ),
    );
  }

  function render() {
    replace(list, ...items.map(row));
    status.textContent = items.length
      ? total > items.length
        ? t('documents.shown_of', { shown: items.length, total })
        : ''
      : t('documents.none');
  }
  render();

  const makeButtons =
    kind === 'deal' &&
    h(
      'div',
      { class: 'toolbar documents-make' },
      DOC_TYPES.map((type) =>
        h(
          'button',
          {
            type: 'button',
            class: `button small${type === 'invoice' ? ' primary' : ''}`,
            dataset: { make: type },
            onClick: () => make(type).catch(toastError),
          },
          t(`documents.make.${type}`),
        ),
      ),
    );

  return h(
    'section',
    { class: 'panel documents-panel', 'aria-labelledby': titleId, dataset: { section: 'documents' } },
    h('div', { class: 'panel-head' }, h('h2', { id: titleId }, t('nav.documents'))),
    h('div', { class: 'panel-body' }, makeButtons, status, list),
  );
}
