// Deals as a list: words, filters (pipeline, stage, owner, status, stalled, regressing), sort (distance to
// money among them), quick filters for the deals that need attention; those rows are highlighted.

import { listView } from '../../components/list-view.js';
import { append, h } from '../../dom.js';
import { formatDate, localName, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { attentionClass, dealBadges, money } from '../format.js';
import { dealsTabs, nameOf, pipelines, stageNames, users } from './common.js';

const yes = () => [
  { value: 'true', label: t('common.yes') },
  { value: 'false', label: t('common.no') },
];

export const dealsPage = {
  name: 'deals',
  title: () => t('nav.deals'),
  async render(view, ctx) {
    const [boards, people] = await Promise.all([pipelines(), users()]);
    const stageName = stageNames(boards);
    const stages = boards.flatMap((p) =>
      p.stages.map((s) => ({
        value: s.id,
        label: boards.length > 1 ? `${localName(p)} — ${localName(s)}` : localName(s),
      })),
    );
    const list = await listView(ctx, {
      heading: t('nav.deals'),
      endpoint: '/api/v1/deals',
      searchLabel: t('deals.search'),
      defaultSort: '-updated_at',
      toolbar: [h('a', { class: 'button primary', href: '/deals/new' }, icon('plus'), t('deal.new'))],
      rowClass: attentionClass,
      columns: [
        {
          key: 'title',
          label: t('deal.title'),
          sortKey: 'title',
          className: 'primary',
          render: (d) => [h('a', { href: `/deals/${d.id}` }, d.title), ' ', dealBadges(d)],
        },
        {
          key: 'client',
          label: t('deal.client'),
          render: (d) => h('a', { href: `/parties/${d.client_id}` }, d.client_name),
        },
        { key: 'stage', label: t('deal.stage'), render: (d) => stageName(d.stage_id, d.stage_name) },
        {
          key: 'amount',
          label: t('deal.amount'),
          sortKey: 'amount',
          className: 'nowrap num',
          render: (d) => money(d.amount, d.currency),
        },
        {
          key: 'distance',
          label: t('deal.distance'),
          sortKey: 'distance',
          className: 'nowrap num',
          render: (d) => (d.status === 'open' ? money(d.distance?.distance, d.currency) : ''),
        },
        {
          key: 'expected_close_date',
          label: t('deal.expected_close'),
          sortKey: 'expected_close_date',
          className: 'nowrap',
          render: (d) => formatDate(d.expected_close_date, { dateOnly: true }),
        },
        { key: 'owner', label: t('deal.owner'), render: (d) => nameOf(people, d.owner_id) },
      ],
      filters: [
        {
          name: 'pipeline',
          label: t('deal.pipeline'),
          type: 'select',
          filter: 'pipeline_id:eq',
          options: boards.map((p) => ({ value: p.id, label: localName(p) })),
        },
        { name: 'stage', label: t('deal.stage'), type: 'select', filter: 'stage_id:eq', options: stages },
        {
          name: 'owner',
          label: t('deal.owner'),
          type: 'select',
          filter: 'owner_id:eq',
          options: people.map((u) => ({ value: u.id, label: u.display_name })),
        },
        {
          name: 'status',
          label: t('deal.status'),
          type: 'select',
          filter: 'status:eq',
          options: ['open', 'won', 'lost'].map((s) => ({ value: s, label: t(`deal.status.${s}`) })),
        },
        { name: 'stalled', label: t('deal.stalled'), type: 'select', filter: 'stalled:eq', options: yes() },
        { name: 'regressing', label: t('deal.regressing'), type: 'select', filter: 'regressing:eq', options: yes() },
      ],
      quickFilters: [
        { label: t('deal.stalled'), name: 'stalled', value: 'true' },
        { label: t('deal.regressing'), name: 'regressing', value: 'true' },
      ],
      sorts: [
        { value: '-updated_at', label: t('sort.updated') },
        { value: 'distance', label: t('deals.sort.distance') },
        { value: '-expected_amount', label: t('deals.sort.expected_amount') },
        { value: '-amount', label: t('deals.sort.amount') },
        { value: 'expected_close_date', label: t('deals.sort.close') },
        { value: 'stage_entered_at', label: t('deals.sort.in_stage') },
        { value: '-created_at', label: t('sort.created') },
      ],
    });
    list.el.querySelector('.page-head').after(dealsTabs('deals'));
    append(view, list.el);
  },
};
