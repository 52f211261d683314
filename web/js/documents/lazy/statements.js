// Bank statements (accountants and admins): upload a 1CClientBankExchange file (the file as the request body, with a
// progress bar as the Files panel shows one), then its match report: each payment with its number, date, payer, INN,
// amount, purpose and outcome, the reason an unmatched one was not matched, and for an unmatched incoming payment
// "Match" (choose an invoice, found by number or client among issued and sent ones) to resolve it by hand. Below, the
// statements imported before.

import * as api from '../../api.js';
import { formDialog } from '../../components/dialog.js';
import { pageHead, panel } from '../../components/page.js';
import { dataTable } from '../../components/table.js';
import { toast } from '../../components/toast.js';
import { h, replace, uid } from '../../dom.js';
import { formatDate, formatDay, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { errorText } from '../../messages.js';
import { navigate } from '../../router.js';
import { money } from '../../deals/format.js';
import { documentTitle, documentsTabs, me } from '../common.js';

const base = '/api/v1/bank-statements';

const outcomeBadge = (outcome) =>
  h('span', { class: 'doc-status', dataset: { outcome } }, t(`statements.outcome.${outcome}`));

function statementsTable() {
  return dataTable({
    caption: t('statements.past'),
    compact: true,
    emptyText: t('statements.none'),
    columns: [
      {
        key: 'filename',
        label: t('statements.file'),
        className: 'primary',
        render: (s) => h('a', { href: `/documents/bank-statements/${s.id}` }, s.filename),
      },
      {
        key: 'period',
        label: t('statements.period'),
        className: 'nowrap',
        render: (s) => [formatDay(s.period_start), formatDay(s.period_end)].filter(Boolean).join(' – '),
      },
      { key: 'account', label: t('statements.account'), className: 'nowrap' },
      {
        key: 'counts',
        label: t('statements.counts'),
        render: (s) =>
          t('statements.counts_text', { total: s.payments_total, matched: s.matched, unmatched: s.unmatched }),
      },
      {
        key: 'created_at',
        label: t('statements.imported'),
        className: 'nowrap',
        render: (s) => formatDate(s.created_at),
      },
    ],
  });
}

export const statementsPage = {
  name: 'bank-statements',
  title: () => t('documents.tab.statements'),
  async render(view, ctx) {
    const [user, { data }] = await Promise.all([me(), api.get(base, { query: { limit: 50 }, signal: ctx.signal })]);
    const past = statementsTable();
    past.setRows(data.items);
    const uploads = h('div', { class: 'attachment-uploads', 'aria-live': 'polite' });
    const chooser = h('input', {
      type: 'file',
      class: 'visually-hidden',
      id: uid('statement'),
      accept: '.txt,text/plain',
      onChange: () => {
        const [file] = chooser.files;
        chooser.value = '';
        if (file) send(file);
      },
    });
    const choose = h('label', { class: 'button primary', for: chooser.id }, icon('plus'), t('statements.choose'));
    const drop = h(
      'div',
      { class: 'attachment-drop statement-drop', dataset: { state: 'idle' } },
      icon('documents'),
      h('span', {}, t('statements.drop')),
    );
    for (const type of ['dragenter', 'dragover'])
      drop.addEventListener(type, (event) => {
        event.preventDefault();
        drop.dataset.state = 'over';
      });
    for (const type of ['dragleave', 'dragend']) drop.addEventListener(type, () => (drop.dataset.state = 'idle'));
    drop.addEventListener('drop', (event) => {
      event.preventDefault();
      drop.dataset.state = 'idle';
      const [file] = event.dataTransfer?.files ?? [];
      if (file) send(file);
    });

    async function send(file) {
      const bar = h('progress', { max: 100, value: 0, 'aria-label': file.name });
      const text = h('span', { class: 'progress-text' }, t('statements.uploading'));
      const row = h(
        'div',
        { class: 'progress attachment-upload statement-upload', dataset: { file: file.name, state: 'running' } },
        h('span', { class: 'progress-label' }, file.name),
        bar,
        text,
      );
      replace(uploads, row);
      try {
        const { data: statement } = await api.upload(base, file, {
          query: { filename: file.name },
          signal: ctx.signal,
          onProgress(loaded, total) {
            if (total > 0) bar.value = Math.min(100, (loaded / total) * 100);
            text.textContent =
              total > 0 && loaded < total ? `${Math.round((loaded / total) * 100)} %` : t('statements.matching');
          },
        });
        bar.value = 100;
        row.dataset.state = 'succeeded';
        text.textContent = t('statements.imported_text', {
          matched: statement.matched,
          total: statement.payments_total,
        });
        navigate(`/documents/bank-statements/${statement.id}`);
      } catch (error) {
        if (ctx.signal?.aborted) return;
        row.dataset.state = 'failed';
        bar.value = 0;
        text.textContent = errorText(error);
        row.setAttribute('role', 'alert');
      }
    }

    view.append(
      pageHead(t('documents.tab.statements')),
      documentsTabs(user, 'statements'),
      panel('statement-upload', t('statements.upload'), [
        h('p', { class: 'muted' }, t('statements.upload_hint')),
        chooser,
        h('div', { class: 'toolbar' }, choose),
        drop,
        uploads,
      ]),
      panel('statements', t('statements.past'), past.el),
    );
  },
};

export const statementPage = {
  name: 'bank-statement',
  title: (ctx) => ctx.title ?? t('documents.tab.statements'),
  async render(view, ctx) {
    const url = `${base}/${encodeURIComponent(ctx.params.id)}`;
    const [user, loaded] = await Promise.all([me(), api.get(url, { signal: ctx.signal })]);
    let statement = loaded.data;
    ctx.title = statement.filename;
    const summary = h('div', { class: 'statement-summary' });
    const table = dataTable({
      caption: t('statements.payments'),
      emptyText: t('statements.no_payments'),
      rowClass: (p) => (p.outcome === 'unmatched' ? 'statement-unmatched' : ''),
      columns: [
        { key: 'number', label: t('statements.number'), className: 'nowrap primary' },
        { key: 'date', label: t('statements.date'), className: 'nowrap', render: (p) => formatDay(p.date) },
        { key: 'payer', label: t('statements.payer'), render: (p) => p.payer_name },
        { key: 'payer_inn', label: t('statements.inn'), className: 'nowrap' },
        {
          key: 'amount',
          label: t('statements.amount'),
          className: 'num nowrap',
          render: (p) => money(p.amount, 'RUB'),
        },
        { key: 'purpose', label: t('statements.purpose'), className: 'statement-purpose' },
        {
          key: 'outcome',
          label: t('statements.outcome'),
          render: (p) => [
            outcomeBadge(p.outcome),
            p.reason && h('p', { class: 'muted statement-reason' }, t(`statements.reason.${p.reason}`)),
            p.document_number && h('p', { class: 'muted' }, t('statements.invoice', { number: p.document_number })),
          ],
        },
        {
          key: 'actions',
          label: t('documents.actions'),
          className: 'row-actions',
          render: (p) =>
            p.outcome === 'unmatched' &&
            p.reason !== 'outgoing' &&
            h(
              'button',
              {
                type: 'button',
                class: 'button small primary',
                'aria-label': t('statements.resolve_of', { number: p.number || '' }),
                onClick: () => resolve(p),
              },
              t('statements.resolve'),
            ),
        },
      ],
    });

    function render() {
      replace(
        summary,
        h(
          'p',
          {},
          [
            statement.account && t('statements.account_text', { account: statement.account }),
            [formatDay(statement.period_start), formatDay(statement.period_end)].filter(Boolean).join(' – '),
            formatDate(statement.created_at),
          ]
            .filter(Boolean)
            .join(' · '),
        ),
        h(
          'p',
          { class: 'chips' },
          h('span', { class: 'chip' }, t('statements.total_n', { count: statement.payments_total })),
          h('span', { class: 'chip strong' }, t('statements.matched_n', { count: statement.matched })),
          statement.unmatched > 0 &&
            h('span', { class: 'chip warn' }, t('statements.unmatched_n', { count: statement.unmatched })),
          statement.duplicates > 0 &&
            h('span', { class: 'chip' }, t('statements.duplicates_n', { count: statement.duplicates })),
        ),
      );
      table.setRows(statement.payments);
    }

    // Invoices a payment may pay (not paid, not cancelled) that you may see, found by number, client or deal.
    async function invoices(words) {
      const pages = await Promise.all(
        ['draft', 'issued', 'sent', 'signed'].map((status) =>
          api.get('/api/v1/documents', { query: { doc_type: 'invoice', status, limit: 50 } }),
        ),
      );
      const found = pages.flatMap(({ data }) => data.items);
      const needle = words.toLowerCase();
      return found
        .filter((d) => !needle || `${d.number} ${d.party_name} ${d.deal_title}`.toLowerCase().includes(needle))
        .map((d) => ({
          value: d.id,
          label: [documentTitle(d), d.party_name, money(d.total, d.currency), formatDay(d.doc_date)]
            .filter(Boolean)
            .join(' · '),
        }));
    }

    async function resolve(payment) {
      const options = await invoices('').catch(() => []);
      const done = await formDialog({
        title: t('statements.resolve_title', { amount: money(payment.amount, 'RUB'), payer: payment.payer_name }),
        className: 'statement-resolve-dialog',
        fields: [
          {
            name: 'document_id',
            label: t('statements.choose_invoice'),
            type: 'lookup',
            required: true,
            options,
            searchLabel: t('statements.find_invoice'),
            search: invoices,
          },
        ],
        submitLabel: t('statements.resolve'),
        submit: async ({ document_id }) =>
          (await api.post(`${url}/payments/${payment.id}/resolve`, { document_id: document_id ?? '' })).data,
        setup(formEl) {
          formEl.prepend(h('p', { class: 'dialog-text' }, payment.purpose));
        },
      });
      if (!done) return;
      statement = done;
      toast(t('statements.resolved'), { kind: 'success' });
      render();
    }

    render();
    view.append(
      pageHead(statement.filename),
      documentsTabs(user, 'statements'),
      h('p', {}, h('a', { href: '/documents/bank-statements' }, `← ${t('statements.all')}`)),
      summary,
      h('div', { class: 'panel' }, table.el),
    );
  },
};
