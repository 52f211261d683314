// Leads as a list (words, status, campaign, owner, channel, "has duplicates"; a count) and the "New lead" form.

import * as api from '../../api.js';
import { compact, form } from '../../components/form.js';
import { listView } from '../../components/list-view.js';
import { pageHead } from '../../components/page.js';
import { toast } from '../../components/toast.js';
import { append, h } from '../../dom.js';
import { formatDay, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { navigate } from '../../router.js';
import {
  CHANNELS,
  LEAD_STATUSES,
  campaignOptions,
  campaigns,
  marketingTabs,
  nameOf,
  statusChip,
  userOptions,
  users,
} from './common.js';

/** A lead's name as people say it: the person, else the company, else how to reach them. */
export const leadName = (lead) => lead.person_name || lead.company_name || lead.email || lead.phone || lead.id;

export const leadsPage = {
  name: 'leads',
  title: () => t('marketing.tab.leads'),
  async render(view, ctx) {
    const [people, list, tabs] = await Promise.all([users(), campaigns(ctx.signal), marketingTabs('leads')]);
    const leads = await listView(ctx, {
      heading: t('marketing.leads'),
      endpoint: '/api/v1/leads',
      countEndpoint: '/api/v1/leads/count',
      searchLabel: t('leads.search'),
      defaultSort: '-created_at',
      toolbar: [h('a', { class: 'button primary', href: '/marketing/leads/new' }, icon('plus'), t('lead.new'))],
      columns: [
        {
          key: 'name',
          label: t('lead.name'),
          sortKey: 'person_name',
          className: 'primary',
          render: (lead) => [
            h('a', { href: `/marketing/leads/${lead.id}`, class: 'lead-link' }, leadName(lead)),
            lead.duplicates?.length ? [' ', h('span', { class: 'chip warn' }, t('lead.has_duplicates'))] : null,
          ],
        },
        { key: 'company_name', label: t('lead.company_name'), sortKey: 'company_name' },
        {
          key: 'contacts',
          label: t('lead.contacts'),
          render: (lead) => [lead.email, lead.phone].filter(Boolean).join(', '),
        },
        { key: 'status', label: t('lead.status'), render: (lead) => statusChip('lead', lead.status) },
        { key: 'campaign', label: t('lead.campaign'), render: (lead) => lead.campaign_name },
        { key: 'channel', label: t('lead.channel'), render: (lead) => t(`lead.channel.${lead.channel}`) },
        { key: 'owner', label: t('lead.owner'), render: (lead) => nameOf(people, lead.owner_id) },
        {
          key: 'created_at',
          label: t('lead.created_at'),
          sortKey: 'created_at',
          className: 'nowrap',
          render: (lead) => formatDay(lead.created_at),
        },
      ],
      filters: [
        {
          name: 'status',
          label: t('lead.status'),
          type: 'select',
          filter: 'status:eq',
          options: LEAD_STATUSES.map((s) => ({ value: s, label: t(`lead.status.${s}`) })),
        },
        {
          name: 'campaign',
          label: t('lead.campaign'),
          type: 'select',
          filter: 'campaign_id:eq',
          options: campaignOptions(list),
        },
        { name: 'owner', label: t('lead.owner'), type: 'select', filter: 'owner_id:eq', options: userOptions(people) },
        {
          name: 'channel',
          label: t('lead.channel'),
          type: 'select',
          filter: 'channel:eq',
          options: CHANNELS.map((c) => ({ value: c, label: t(`lead.channel.${c}`) })),
        },
        {
          name: 'duplicates',
          label: t('lead.has_duplicates'),
          type: 'select',
          filter: 'has_duplicates:eq',
          options: [
            { value: 'true', label: t('common.yes') },
            { value: 'false', label: t('common.no') },
          ],
        },
      ],
      quickFilters: [{ label: t('lead.has_duplicates'), name: 'duplicates', value: 'true' }],
      sorts: [
        { value: '-created_at', label: t('sort.created') },
        { value: '-updated_at', label: t('sort.updated') },
        { value: 'person_name', label: t('leads.sort.person') },
        { value: 'company_name', label: t('leads.sort.company') },
      ],
    });
    leads.el.querySelector('.page-head').after(tabs);
    append(view, leads.el);
  },
};

/** The fields of a lead's contacts (the card's editor uses them too). */
export function contactFields() {
  return [
    { name: 'person_name', label: t('lead.person_name'), autocomplete: 'name' },
    { name: 'company_name', label: t('lead.company_name'), autocomplete: 'organization' },
    { name: 'position', label: t('lead.position') },
    { name: 'email', label: t('lead.email'), type: 'email', autocomplete: 'email' },
    { name: 'phone', label: t('lead.phone'), type: 'tel', autocomplete: 'tel' },
    { name: 'inn', label: t('lead.inn'), inputmode: 'numeric' },
    { name: 'comment', label: t('lead.comment'), type: 'textarea' },
  ];
}

export const newLeadPage = {
  name: 'lead-new',
  title: () => t('lead.new'),
  async render(view, ctx) {
    const [list, tabs] = await Promise.all([campaigns(ctx.signal), marketingTabs('')]);
    const editor = form({
      className: 'panel',
      fields: [
        ...contactFields(),
        { name: 'campaign_id', label: t('lead.campaign'), type: 'select', options: campaignOptions(list) },
      ],
      values: { campaign_id: ctx.query.get('campaign') },
      submitLabel: t('action.create'),
      onCancel: () => history.back(),
      submit: async (data) => {
        const { data: lead } = await api.post('/api/v1/leads', compact(data));
        toast(t('lead.created'), { kind: 'success' });
        await navigate(`/marketing/leads/${lead.id}`);
      },
    });
    append(view, pageHead(t('lead.new')), tabs, editor.el);
  },
};
