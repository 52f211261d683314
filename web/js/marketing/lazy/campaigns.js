// Campaigns as a list (words, type, status; budget against what was spent) and the "New campaign" dialog.
// The campaign's fields (campaignFields) are shared with its card's editor.

import * as api from '../../api.js';
import { ApiError } from '../../api.js';
import { compact } from '../../components/form.js';
import { formDialog } from '../../components/dialog.js';
import { listView } from '../../components/list-view.js';
import { append, h } from '../../dom.js';
import { codeLabel, formatDay, parseDecimal, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { navigate } from '../../router.js';
import {
  CAMPAIGN_STATUSES,
  CURRENCIES,
  campaignTypes,
  marketingTabs,
  money,
  nameOf,
  statusChip,
  users,
} from './common.js';

/** The fields of a campaign (new, or its card's editor). */
export function campaignFields(types, people) {
  return [
    { name: 'name', label: t('campaign.name'), required: true, wide: true },
    {
      name: 'type',
      label: t('campaign.type'),
      type: 'select',
      options: types.filter((c) => !c.archived).map((c) => ({ value: c.code, label: codeLabel(c) })),
    },
    {
      name: 'status',
      label: t('campaign.status'),
      type: 'select',
      options: CAMPAIGN_STATUSES.map((s) => ({ value: s, label: t(`campaign.status.${s}`) })),
    },
    { name: 'starts_on', label: t('campaign.starts_on'), type: 'date' },
    { name: 'ends_on', label: t('campaign.ends_on'), type: 'date' },
    { name: 'budget', label: t('campaign.budget'), inputmode: 'decimal', hint: t('convert.amount_hint') },
    {
      name: 'currency',
      label: t('campaign.currency'),
      type: 'select',
      options: CURRENCIES.map((c) => ({ value: c, label: c })),
    },
    { name: 'utm_campaign', label: t('campaign.utm_campaign'), hint: t('campaign.utm_hint') },
    {
      name: 'owner_id',
      label: t('campaign.owner'),
      type: 'select',
      options: people.map((u) => ({ value: u.id, label: u.display_name })),
    },
    { name: 'description', label: t('campaign.description'), type: 'textarea' },
  ];
}

/** An amount typed by a person, as the API's decimal text; a field error when it is not a number. */
export function amountOrError(text, field) {
  if (text == null || text === '') return null;
  const value = parseDecimal(text);
  if (value !== null) return value;
  const message = t('convert.bad_amount');
  throw new ApiError(422, {
    code: 'invalid_amount',
    detail: message,
    errors: [{ field, code: 'invalid_amount', message }],
  });
}

/** Budget and spend: "120 000 ₽ of 450 000 ₽" with a bar (red over budget). */
export function spendBar(campaign) {
  const cost = Number(campaign.cost || 0);
  const budget = Number(campaign.budget || 0);
  if (!budget) return money(cost, campaign.currency);
  const bar = h('meter', { min: 0, max: budget, high: budget * 0.9, optimum: 0, value: Math.min(cost, budget) });
  bar.setAttribute('aria-label', t('campaign.spent'));
  return h(
    'span',
    { class: `spend${cost > budget ? ' over' : ''}` },
    bar,
    h(
      'span',
      {},
      t('campaign.spent_of', { cost: money(cost, campaign.currency), budget: money(budget, campaign.currency) }),
    ),
  );
}

export async function newCampaign(types, people) {
  const me = await api.cached('/api/v1/me');
  return formDialog({
    title: t('campaign.new'),
    fields: campaignFields(types, people),
    values: { type: 'other', status: 'planned', currency: 'RUB', owner_id: me.id },
    submitLabel: t('action.create'),
    submit: async (data) => {
      const body = compact({ ...data, budget: amountOrError(data.budget, 'budget') });
      const { data: campaign } = await api.post('/api/v1/campaigns', body);
      return campaign;
    },
  });
}

export const campaignsPage = {
  name: 'campaigns',
  title: () => t('marketing.tab.campaigns'),
  async render(view, ctx) {
    const [types, people, tabs] = await Promise.all([campaignTypes(), users(), marketingTabs('campaigns')]);
    const create = h('button', { type: 'button', class: 'button primary' }, icon('plus'), t('campaign.new'));
    create.addEventListener('click', async () => {
      const campaign = await newCampaign(types, people);
      if (campaign) await navigate(`/marketing/campaigns/${campaign.id}`);
    });
    const list = await listView(ctx, {
      heading: t('marketing.campaigns'),
      endpoint: '/api/v1/campaigns',
      searchLabel: t('campaigns.search'),
      defaultSort: '-created_at',
      toolbar: [create],
      columns: [
        {
          key: 'name',
          label: t('campaign.name'),
          sortKey: 'name',
          className: 'primary',
          render: (c) => h('a', { href: `/marketing/campaigns/${c.id}`, class: 'campaign-link' }, c.name),
        },
        { key: 'type', label: t('campaign.type'), render: (c) => typeLabel(types, c.type) },
        { key: 'status', label: t('campaign.status'), render: (c) => statusChip('campaign', c.status) },
        {
          key: 'dates',
          label: t('campaign.dates'),
          sortKey: 'starts_on',
          className: 'nowrap',
          render: (c) => [formatDay(c.starts_on), formatDay(c.ends_on)].filter(Boolean).join(' – '),
        },
        { key: 'spend', label: t('campaign.spend'), className: 'num', render: spendBar },
        { key: 'owner', label: t('campaign.owner'), render: (c) => nameOf(people, c.owner_id) },
      ],
      filters: [
        {
          name: 'type',
          label: t('campaign.type'),
          type: 'select',
          filter: 'type:eq',
          options: types.map((c) => ({ value: c.code, label: codeLabel(c) })),
        },
        {
          name: 'status',
          label: t('campaign.status'),
          type: 'select',
          filter: 'status:eq',
          options: CAMPAIGN_STATUSES.map((s) => ({ value: s, label: t(`campaign.status.${s}`) })),
        },
      ],
      sorts: [
        { value: '-created_at', label: t('sort.created') },
        { value: 'name', label: t('campaigns.sort.name') },
        { value: '-starts_on', label: t('campaigns.sort.starts') },
      ],
    });
    list.el.querySelector('.page-head').after(tabs);
    append(view, list.el);
  },
};

export function typeLabel(types, code) {
  const found = types.find((c) => c.code === code);
  return found ? codeLabel(found) : code;
}
