// The Documents section's first page: every document of the deals you may see, newest first, by type and status,
// with the total and what is paid; each opens in the page or downloads. Tabs lead to bank statements
// (accountants, admins), legal entities and templates (admins).

import * as api from '../../api.js';
import { pageHead } from '../../components/page.js';
import { dataTable } from '../../components/table.js';
import { toastError } from '../../components/toast.js';
import { h, uid } from '../../dom.js';
import { formatDay, t } from '../../i18n.js';
import { money } from '../../deals/format.js';
import {
  DOC_TYPES,
  documentTitle,
  documentsTabs,
  downloadDocument,
  me,
  statusBadge,
  statusLabel,
  docTypeLabel,
  viewDocument,
} from '../common.js';

const STATUSES = ['draft', 'issued', 'sent', 'signed', 'paid', 'cancelled'];

export const documentsPage = {
  name: 'documents',
  title: () => t('nav.documents'),
  async render(view, ctx) {
    const user = await me();
    let cursor = '';
    const select = (name, label, values, text) => {
      const el = h(
        'select',
        { id: uid(name), name },
        h('option', { value: '' }, t('documents.any')),
        values.map((v) => h('option', { value: v }, text(v))),
      );
      el.value = ctx.query.get(name) ?? '';
      return [h('div', { class: 'filter' }, h('label', { for: el.id }, label), el), el];
    };
    const [typeFilter, type] = select('doc_type', t('documents.field.doc_type'), DOC_TYPES, docTypeLabel);
    const [statusFilter, status] = select('status', t('documents.field.status'), STATUSES, statusLabel);
    const count = h('p', { class: 'list-count', 'aria-live': 'polite' });
    const more = h(
      'button',
      { type: 'button', class: 'button', hidden: true, onClick: () => load(true) },
      t('list.more'),
    );
    const table = dataTable({
      caption: t('nav.documents'),
      compact: true,
      emptyText: t('documents.none'),
      columns: [
        {
          key: 'number',
          label: t('documents.field.number'),
          className: 'primary',
          render: (d) => h('span', {}, h('strong', {}, documentTitle(d)), ' ', statusBadge(d.status)),
        },
        {
          key: 'doc_date',
          label: t('documents.field.doc_date'),
          className: 'nowrap',
          render: (d) => formatDay(d.doc_date),
        },
        { key: 'party', label: t('documents.field.client'), render: (d) => d.party_name },
        {
          key: 'deal',
          label: t('documents.field.deal'),
          render: (d) => h('a', { href: `/deals/${d.deal_id}` }, d.deal_title || t('documents.deal')),
        },
        {
          key: 'total',
          label: t('documents.field.total'),
          className: 'num nowrap',
          render: (d) => money(d.total, d.currency),
        },
        {
          key: 'paid',
          label: t('documents.field.paid'),
          className: 'num nowrap',
          render: (d) => (d.doc_type === 'invoice' ? money(d.paid_amount || '0', d.currency) : ''),
        },
        {
          key: 'actions',
          label: t('documents.actions'),
          className: 'row-actions',
          render: (d) => [
            h(
              'button',
              {
                type: 'button',
                class: 'button small',
                'aria-label': t('documents.open_of', { title: documentTitle(d) }),
                onClick: () => viewDocument(d).catch(toastError),
              },
              t('documents.open'),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'button small ghost',
                'aria-label': t('documents.download_of', { title: documentTitle(d) }),
                onClick: () => downloadDocument(d).catch(toastError),
              },
              t('documents.download'),
            ),
          ],
        },
      ],
    });

    async function load(append = false) {
      try {
        const query = { doc_type: type.value, status: status.value, limit: 50, cursor: append ? cursor : '' };
        const { data } = await api.get('/api/v1/documents', { query, signal: ctx.signal });
        cursor = data.next_cursor;
        table.setRows(data.items, { append });
        more.hidden = !cursor;
        count.textContent = t('documents.count', { count: data.total });
      } catch (error) {
        if (error?.name !== 'AbortError') toastError(error);
      }
    }
    for (const el of [type, status])
      el.addEventListener('change', () => {
        const url = new URL(location.href);
        for (const [name, value] of [
          ['doc_type', type.value],
          ['status', status.value],
        ])
          value ? url.searchParams.set(name, value) : url.searchParams.delete(name);
        history.replaceState(history.state, '', url);
        load();
      });

    view.append(
      pageHead(t('nav.documents')),
      documentsTabs(user, 'list'),
      h('div', { class: 'filters' }, typeFilter, statusFilter),
      h('div', { class: 'panel' }, count, table.el, more),
    );
    await load();
  },
};
