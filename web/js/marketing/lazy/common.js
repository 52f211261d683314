// What the marketing screens share: reference data (campaigns, code lists, users, teams), the section's tabs,
// how money, ROI and statuses read, and the funnel of a campaign or a channel.

import * as api from '../../api.js';
import { isAdmin } from '../../access.js';
import { columnChart } from '../../components/chart.js';
import { tabs } from '../../components/page.js';
import { h } from '../../dom.js';
import { codeLabel, formatNumber, formatPercent, t } from '../../i18n.js';
import { money } from '../../deals/format.js';

export { money };

export const users = () => api.cached('/api/v1/users');
export const teams = () => api.cached('/api/v1/teams');
export const campaignTypes = () => api.cached('/api/v1/campaigns/types');
export const disqualificationReasons = () => api.cached('/api/v1/leads/disqualification-reasons');
export const pipelines = () => api.cached('/api/v1/pipelines');

/** The campaigns one may pick (forms, leads, imports): fresh each time, a new one shows at once. */
export async function campaigns(signal) {
  const { data } = await api.get('/api/v1/campaigns', { query: { limit: 200, sort: 'name' }, signal });
  return data.items;
}

export const campaignOptions = (list) => list.map((c) => ({ value: c.id, label: c.name }));
export const userOptions = (list) =>
  list.filter((u) => u.active !== false).map((u) => ({ value: u.id, label: u.display_name }));

/** A user's or team's display name, '' when unknown. */
export function nameOf(list, id) {
  const item = list.find((candidate) => candidate.id === id);
  return item?.display_name ?? item?.name ?? '';
}

/** The label of a code of a server list in the UI language (the code itself when the list lacks it). */
export function codeName(list, code) {
  const item = list.find((c) => c.code === code);
  return item ? codeLabel(item) : code;
}

/** The currencies offered for budgets and deals (the services accept any ISO 4217 code). */
export const CURRENCIES = ['RUB', 'USD', 'EUR', 'KZT', 'BYN', 'CNY'];
export const LEAD_STATUSES = ['new', 'in_work', 'qualified', 'disqualified', 'converted'];
export const CAMPAIGN_STATUSES = ['planned', 'active', 'completed', 'cancelled'];
export const CHANNELS = ['form', 'import', 'manual', 'api'];

export const statusChip = (kind, status) =>
  status && h('span', { class: `chip status-${kind}-${status}` }, t(`${kind}.status.${status}`));

/** ROI as the API gives it ("1.2500") -> "125 %"; '' without a cost. */
export function roiText(roi) {
  return roi === '' || roi == null ? '' : formatPercent(Number(roi));
}

/** A campaign's or channel's funnel: leads -> qualified -> converted -> deals -> won, as columns and figures. */
export function funnelView(funnel, title = t('funnel.caption')) {
  const steps = ['leads', 'qualified', 'converted', 'deals', 'won'];
  const figures = [
    [t('funnel.cost'), money(funnel.cost || 0, funnel.currency)],
    [t('funnel.revenue'), money(funnel.revenue || 0, funnel.currency)],
    [t('funnel.won_amount'), money(funnel.won_amount || 0, funnel.currency)],
    [t('funnel.roi'), roiText(funnel.roi) || '—'],
    [t('funnel.cost_per_lead'), funnel.cost_per_lead ? money(funnel.cost_per_lead, funnel.currency) : '—'],
    [t('funnel.cost_per_won'), funnel.cost_per_won ? money(funnel.cost_per_won, funnel.currency) : '—'],
  ];
  return h(
    'div',
    { class: 'funnel' },
    columnChart({ title, items: steps.map((s) => ({ label: t(`funnel.${s}`), value: Number(funnel[s] ?? 0) })) }),
    h(
      'ol',
      { class: 'funnel-steps', 'aria-label': title },
      steps.map((s) =>
        h(
          'li',
          { dataset: { step: s } },
          h('span', { class: 'funnel-label' }, t(`funnel.${s}`)),
          h('span', { class: 'funnel-value' }, formatNumber(Number(funnel[s] ?? 0))),
        ),
      ),
    ),
    details(figures, 'funnel-figures'),
  );
}

/** A definition list of [label, value] pairs; empty values are left out. */
export function details(pairs, className = '') {
  const shown = pairs.filter(
    (pair) => pair && pair[1] !== '' && pair[1] != null && !(Array.isArray(pair[1]) && !pair[1].length),
  );
  return h(
    'dl',
    { class: `details ${className}` },
    shown.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
  );
}

/** The section's own navigation; the rules tab only for admins. */
export async function marketingTabs(current) {
  const items = [
    ['leads', '/marketing', t('marketing.tab.leads')],
    ['campaigns', '/marketing/campaigns', t('marketing.tab.campaigns')],
    ['report', '/marketing/report', t('marketing.tab.report')],
    ['forms', '/marketing/forms', t('marketing.tab.forms')],
    ['import', '/marketing/import', t('marketing.tab.import')],
  ];
  if (await isAdmin().catch(() => false)) items.push(['rules', '/marketing/rules', t('marketing.tab.rules')]);
  return tabs(items, current, t('nav.marketing'));
}

/** Today as YYYY-MM-DD in the browser's zone. */
export function today() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
