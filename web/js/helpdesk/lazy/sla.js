// Admins' SLA policies and clients' tiers. A policy gives the tickets it matches (by priority, category, the
// client's tier; empty matches anything, the most specific wins, then the lower position) two targets in business
// time - the first response and the resolution - shown humanly ("4 ч", "1 раб. день") and typed as hours and
// minutes; a warning comes at a share of the target. A client's tier (standard, premium, VIP) picks its policies.

import * as api from '../../api.js';
import { formDialog } from '../../components/dialog.js';
import { pageHead, panel } from '../../components/page.js';
import { dataTable } from '../../components/table.js';
import { toast, toastError } from '../../components/toast.js';
import { append, h, uid } from '../../dom.js';
import { formatPercent, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { helpdeskTabs } from '../index.js';
import {
  businessDuration,
  CATEGORIES,
  categoryLabel,
  conflictToast,
  me,
  options,
  policyName,
  PRIORITIES,
  priorityLabel,
  TIERS,
} from './tickets-common.js';

const tierLabel = (code) => t(`helpdesk.tier.${code}`);
const any = (value, label) => (value ? label(value) : t('helpdesk.any'));

async function findParties(q) {
  const { data } = await api.get('/api/v1/parties', { query: { q, limit: 10, sort: q ? 'relevance' : '-updated_at' } });
  return data.items.map((p) => ({ value: p.id, label: p.display_name }));
}

export const slaPage = {
  name: 'helpdesk-sla',
  title: () => t('helpdesk.tab.sla'),
  async render(view, ctx) {
    const [user, policies, tiers] = await Promise.all([
      me(),
      api.get('/api/v1/helpdesk/sla-policies', { query: { include_archived: true }, signal: ctx.signal }),
      api.get('/api/v1/helpdesk/client-tiers', { signal: ctx.signal }),
    ]);
    const policyTable = policiesTable(policies.data);
    append(
      view,
      pageHead(
        t('helpdesk.tab.sla'),
        h(
          'button',
          { type: 'button', class: 'button primary', onClick: () => policyTable.create().catch(toastError) },
          icon('plus'),
          t('helpdesk.new_policy'),
        ),
      ),
      helpdeskTabs(user, 'sla'),
      panel('sla-policies', t('helpdesk.policies'), [
        h('p', { class: 'muted' }, t('helpdesk.policies_hint')),
        policyTable.el,
      ]),
      panel('client-tiers', t('helpdesk.tiers'), tiersSection(tiers.data)),
    );
  },
};

function policiesTable(initial) {
  let list = initial;
  const table = dataTable({
    caption: t('helpdesk.policies'),
    columns: [
      {
        key: 'name',
        label: t('helpdesk.field.name'),
        className: 'primary',
        render: (p) => [
          h('strong', {}, policyName(p)),
          p.archived && h('span', { class: 'chip' }, t('helpdesk.archived')),
        ],
      },
      { key: 'priority', label: t('helpdesk.field.priority'), render: (p) => any(p.priority, priorityLabel) },
      { key: 'category', label: t('helpdesk.field.category'), render: (p) => any(p.category, categoryLabel) },
      { key: 'tier', label: t('helpdesk.field.tier'), render: (p) => any(p.tier, tierLabel) },
      {
        key: 'first',
        label: t('helpdesk.target.first_response'),
        className: 'nowrap',
        render: (p) => businessDuration(p.first_response_minutes),
      },
      {
        key: 'resolution',
        label: t('helpdesk.target.resolution'),
        className: 'nowrap',
        render: (p) => businessDuration(p.resolution_minutes),
      },
      {
        key: 'warning',
        label: t('helpdesk.field.warning'),
        className: 'num',
        render: (p) => formatPercent(p.warning_percent / 100, 0),
      },
      {
        key: 'actions',
        label: t('helpdesk.actions'),
        className: 'row-actions',
        render: (p) =>
          h(
            'button',
            {
              type: 'button',
              class: 'button small',
              'aria-label': t('helpdesk.edit_of', { name: policyName(p) }),
              onClick: () => edit(p).catch(toastError),
            },
            t('action.edit'),
          ),
      },
    ],
  });
  table.setRows(list);

  async function reload() {
    list = (await api.get('/api/v1/helpdesk/sla-policies', { query: { include_archived: true } })).data;
    table.setRows(list);
  }

  // A target as hours and minutes (its errors name the minutes field: the summary shows them).
  const split = (minutes) => ({ hours: Math.floor(minutes / 60), minutes: minutes % 60 });
  const duration = (prefix, label) => [
    { name: `${prefix}.hours`, label: t('helpdesk.hours_of', { target: label }), type: 'number' },
    { name: `${prefix}.minutes`, label: t('helpdesk.minutes_of', { target: label }), type: 'number' },
  ];
  const fields = (existing) =>
    [
      { name: 'name', label: t('helpdesk.field.name'), required: true, wide: true },
      {
        name: 'priority',
        label: t('helpdesk.field.priority'),
        type: 'select',
        options: options(PRIORITIES, priorityLabel),
        empty: t('helpdesk.any'),
      },
      {
        name: 'category',
        label: t('helpdesk.field.category'),
        type: 'select',
        options: options(CATEGORIES, categoryLabel),
        empty: t('helpdesk.any'),
      },
      {
        name: 'tier',
        label: t('helpdesk.field.tier'),
        type: 'select',
        options: options(TIERS, tierLabel),
        empty: t('helpdesk.any'),
      },
      {
        name: 'warning_percent',
        label: t('helpdesk.field.warning_percent'),
        type: 'number',
        hint: t('helpdesk.warning_hint'),
      },
      ...duration('first', t('helpdesk.target.first_response')),
      ...duration('resolution', t('helpdesk.target.resolution')),
      { name: 'position', label: t('helpdesk.field.position'), type: 'number', hint: t('helpdesk.position_hint') },
      existing && { name: 'archived', label: t('helpdesk.archived_label'), type: 'checkbox' },
    ].filter(Boolean);
  const values = (p) => ({
    ...p,
    first: split(p.first_response_minutes),
    resolution: split(p.resolution_minutes),
  });
  const minutes = (target) => Math.round(Number(target?.hours ?? 0) * 60 + Number(target?.minutes ?? 0));
  const body = ({ first, resolution, ...data }) => ({
    ...data,
    priority: data.priority ?? '',
    category: data.category ?? '',
    tier: data.tier ?? '',
    warning_percent: data.warning_percent ?? 80,
    position: data.position ?? 0,
    first_response_minutes: minutes(first),
    resolution_minutes: minutes(resolution),
  });

  async function create() {
    const made = await formDialog({
      title: t('helpdesk.new_policy'),
      className: 'hd-policy-dialog',
      fields: fields(null),
      values: values({ first_response_minutes: 240, resolution_minutes: 1620, warning_percent: 80, position: 100 }),
      submitLabel: t('action.create'),
      submit: async (data) => (await api.post('/api/v1/helpdesk/sla-policies', body(data))).data,
    });
    if (!made) return;
    toast(t('helpdesk.policy_saved'), { kind: 'success' });
    await reload();
  }

  async function edit(policy) {
    const saved = await formDialog({
      title: t('helpdesk.edit_of', { name: policyName(policy) }),
      className: 'hd-policy-dialog',
      fields: fields(policy),
      values: values(policy),
      submit: async (data) =>
        (await api.patch(`/api/v1/helpdesk/sla-policies/${policy.id}`, body(data), { etag: `"${policy.version}"` }))
          .data,
      onConflict: () => reload().then(conflictToast, toastError),
    });
    if (!saved) return;
    toast(t('helpdesk.policy_saved'), { kind: 'success' });
    await reload();
  }

  return { el: table.el, create };
}

/** Clients with a tier other than standard: change one in place, or give a client one. */
function tiersSection(initial) {
  const select = (party, value) => {
    const el = h(
      'select',
      { id: uid('tier'), 'aria-label': t('helpdesk.tier_of', { name: party.name }) },
      TIERS.map((code) => h('option', { value: code }, tierLabel(code))),
    );
    el.value = value;
    el.addEventListener('change', () => save(party.id, el.value).catch(toastError));
    return el;
  };
  const table = dataTable({
    caption: t('helpdesk.tiers'),
    compact: true,
    emptyText: t('helpdesk.no_tiers'),
    columns: [
      {
        key: 'party',
        label: t('helpdesk.field.client'),
        className: 'primary',
        render: (row) => h('a', { href: `/parties/${row.party_id}` }, row.name),
      },
      {
        key: 'tier',
        label: t('helpdesk.field.tier'),
        render: (row) => select({ id: row.party_id, name: row.name }, row.tier),
      },
    ],
  });

  async function named(rows) {
    return Promise.all(
      rows.map(async (row) => ({
        ...row,
        name: await api.cached(`/api/v1/parties/${encodeURIComponent(row.party_id)}`).then(
          (party) => party.display_name,
          () => t('helpdesk.client'),
        ),
      })),
    );
  }
  named(initial).then((rows) => table.setRows(rows), toastError);

  async function save(partyId, tier) {
    await api.put(`/api/v1/helpdesk/client-tiers/${encodeURIComponent(partyId)}`, { tier });
    toast(t('helpdesk.tier_saved'), { kind: 'success' });
    table.setRows(await named((await api.get('/api/v1/helpdesk/client-tiers')).data));
  }

  async function add() {
    const saved = await formDialog({
      title: t('helpdesk.new_tier'),
      fields: [
        {
          name: 'party_id',
          label: t('helpdesk.field.client'),
          type: 'lookup',
          search: findParties,
          searchLabel: t('helpdesk.find_client'),
          options: [],
          required: true,
        },
        {
          name: 'tier',
          label: t('helpdesk.field.tier'),
          type: 'select',
          options: options(TIERS, tierLabel),
          required: true,
        },
      ],
      values: { tier: 'vip' },
      submitLabel: t('action.save'),
      submit: async (data) => {
        if (!data.party_id)
          throw new api.ApiError(422, {
            code: 'validation_failed',
            errors: [{ field: 'party_id', code: 'required', message: t('helpdesk.choose_client') }],
          });
        await save(data.party_id, data.tier ?? 'standard');
        return true;
      },
    });
    return saved;
  }

  return [
    h('p', { class: 'muted' }, t('helpdesk.tiers_hint')),
    table.el,
    h(
      'button',
      { type: 'button', class: 'button', onClick: () => add().catch(toastError) },
      icon('plus'),
      t('helpdesk.new_tier'),
    ),
  ];
}
