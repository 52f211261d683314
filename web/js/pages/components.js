// /components: every shared component with sample data, for the people building the next domain's
// screens (see COMPONENTS.md). Not in the navigation. The sample data is data, not UI text.

import { ApiError } from '../api.js';
import { auditPanel } from '../components/audit-list.js';
import { customFieldsSection } from '../components/card-section.js';
import { barChart, columnChart, stat } from '../components/chart.js';
import { form } from '../components/form.js';
import { kanban } from '../components/kanban.js';
import { progressBar } from '../components/progress.js';
import { dataTable } from '../components/table.js';
import { timeline } from '../components/timeline.js';
import { append, h, sleep } from '../dom.js';
import { monthName, t } from '../i18n.js';

const SAMPLE_ROWS = [
  { id: 1, name: 'Alpha', amount: 120000 },
  { id: 2, name: 'Beta', amount: 45000 },
  { id: 3, name: 'Gamma', amount: 98000 },
];

export const componentsPage = {
  name: 'components',
  title: () => t('components.title'),
  async render(view, { signal }) {
    const panel = (id, ...content) =>
      h('section', { class: 'panel', dataset: { component: id } }, h('h2', {}, id), content);
    let rows = [...SAMPLE_ROWS];
    const table = dataTable({
      columns: [
        { key: 'name', label: 'name', sortKey: 'name' },
        { key: 'amount', label: 'amount', sortKey: 'amount' },
      ],
      sort: 'name',
      onSort: (sort) => {
        const key = sort.replace(/^-/, '');
        rows = [...rows].sort((a, b) => (a[key] > b[key] ? 1 : -1) * (sort.startsWith('-') ? -1 : 1));
        table.setSort(sort);
        table.setRows(rows);
      },
    });
    table.setRows(rows);
    // The sample form's "server" rejects every INN, to show where its message appears.
    const sampleForm = form({
      fields: [
        { name: 'company.legal_name', label: 'company.legal_name' },
        { name: 'company.inn', label: 'company.inn' },
        { name: 'phones', label: 'phones', type: 'list', item: [{ name: 'value', label: 'value' }] },
      ],
      submit: async (data) => {
        throw new ApiError(422, {
          code: 'validation_failed',
          detail: 'sample',
          errors: [
            {
              field: 'company.inn',
              code: 'invalid_inn',
              message: `INN ${data.company.inn ?? ''} has a wrong check digit`,
            },
          ],
        });
      },
    });
    const board = kanban({
      label: 'kanban',
      columns: ['A', 'B', 'C'].map((id) => ({ id, title: id })),
      items: SAMPLE_ROWS,
      columnOf: (row) => (row.id === 1 ? 'A' : 'B'),
      render: (row) => h('strong', {}, row.name),
      onMove: () => sleep(100),
    });
    const progress = progressBar({ label: 'job' });
    progress.update({ state: 'running', done: 40, total: 100 });
    const history = timeline({
      load: async () => ({
        items: [
          {
            id: '2',
            type: 'deal.stage_changed',
            source: 'deals',
            occurred_at: new Date().toISOString(),
            summary: 'Negotiation → Won',
          },
          {
            id: '4',
            type: 'document.issued',
            source: 'documents',
            occurred_at: new Date(Date.now() - 60e3).toISOString(),
            summary: 'invoice СЧ-17 issued',
            data: {
              document_id: 'd1',
              doc_type: 'invoice',
              number: 'СЧ-17',
              doc_date: '2026-12-07',
              status: 'issued',
              deal_id: 'deal-1',
              deal_title: 'Поставка станков',
              total: '389992.80',
              currency: 'RUB',
            },
          },
          {
            id: '3',
            type: 'document.cancelled',
            source: 'documents',
            occurred_at: new Date(Date.now() - 120e3).toISOString(),
            summary: 'delivery_note Н-5 cancelled',
            data: {
              document_id: 'd2',
              doc_type: 'delivery_note',
              number: 'Н-5',
              doc_date: '2026-12-06',
              status: 'cancelled',
              deal_id: 'deal-1',
              total: '1250',
              currency: 'RUB',
              cancel_reason: 'Wrong address',
            },
          },
          {
            id: '1',
            type: 'note.added',
            source: 'contacts',
            occurred_at: new Date(Date.now() - 3600e3).toISOString(),
            summary: 'Note: sample',
          },
        ],
        next_cursor: '',
      }),
    });
    await history.load(signal);
    const audit = auditPanel({
      kind: 'deal',
      entries: [
        { id: '2', action: 'updated', actor_id: 'u1', at: new Date().toISOString(), changes: { title: {} } },
        { id: '1', action: 'created', actor_id: 'u1', at: new Date(Date.now() - 3600e3).toISOString(), changes: {} },
      ],
      who: () => 'Sample User',
    });
    const custom = customFieldsSection({
      record: { custom_fields: { tender: '44-ФЗ', budget: 250000 } },
      definitions: [
        {
          key: 'tender',
          label: 'Tender',
          type: 'enum',
          options: ['44-ФЗ', '223-ФЗ'],
          required: false,
          archived: false,
        },
        { key: 'budget', label: 'Budget', type: 'number', options: [], required: false, archived: false },
      ],
    });
    append(
      view,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('components.title'))),
      h('p', {}, t('components.intro')),
      h(
        'div',
        { class: 'showcase' },
        panel('table', table.el),
        panel('form', sampleForm.el),
        panel('kanban', board.el),
        panel('progress', progress.el),
        panel('timeline', history.el),
        panel('auditPanel', audit),
        panel('customFieldsSection', custom),
        panel(
          'chart',
          h('div', { class: 'stats' }, stat({ label: 'stat', value: 42 })),
          barChart({ title: 'barChart', items: SAMPLE_ROWS.map((r) => ({ label: r.name, value: r.amount })) }),
          columnChart({
            title: 'columnChart',
            items: [1, 2, 3, 4].map((m) => ({ label: monthName(m), value: m * 2 })),
          }),
        ),
      ),
    );
  },
};
