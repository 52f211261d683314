// The money dashboard of a manager or a head of sales (GET /api/v1/dashboard/sales): won this month and this
// quarter against the plan, the pipeline and its weighted value, forecast against fact by month, overdue
// deals and payments, deals without a next step, overdue tasks per manager. Every figure is what the reader
// may see (the server counts only that). Filters: period (the forecast's window), team, owner.

import * as api from '../../api.js';
import { pairedColumnChart, stat } from '../../components/chart.js';
import { append, h, replace } from '../../dom.js';
import { formatPercent, monthName, t } from '../../i18n.js';
import { money } from '../format.js';
import { nameOf, pageSelect, teams, users } from './common.js';

const sumsText = (list, key = 'amount') => list.map((s) => money(s[key], s.currency)).join(' + ') || money(0);
const monthLabel = (month) => `${monthName(Number(month.slice(5)))} ${month.slice(2, 4)}`;

/** The widget: a section with its filters; the figures below them reload when a filter changes. */
export async function salesWidget({ signal }) {
  const [me, people, teamList] = await Promise.all([api.cached('/api/v1/me'), users(), teams()]);
  const state = { period: 'month', team_id: '', owner_id: '' };
  const figures = h('div', { class: 'money-figures' });
  const mayPlan = me.roles.includes('admin') || me.roles.includes('manager');
  const filter = (label, options, key) =>
    pageSelect(label, options, state[key], (value) => {
      state[key] = value;
      load().catch((error) => replace(figures, h('p', { role: 'alert' }, error.message)));
    });
  const load = async () => {
    const { data } = await api.get('/api/v1/dashboard/sales', { query: state, signal });
    replace(figures, ...moneyFigures(data, people));
  };
  await load();
  return h(
    'section',
    { class: 'panel widget wide money-dashboard', 'aria-labelledby': 'widget-sales' },
    h('h2', { id: 'widget-sales' }, t('widget.sales')),
    h(
      'div',
      { class: 'money-filters' },
      filter(
        t('money.period'),
        [
          { value: 'month', label: t('money.period.month') },
          { value: 'quarter', label: t('money.period.quarter') },
        ],
        'period',
      ),
      filter(
        t('deals.team'),
        [{ value: '', label: t('money.all_teams') }, ...teamList.map((x) => ({ value: x.id, label: x.name }))],
        'team_id',
      ),
      filter(
        t('deal.owner'),
        [
          { value: '', label: t('money.everyone') },
          ...people.map((u) => ({ value: u.id, label: u.display_name || u.username })),
        ],
        'owner_id',
      ),
      mayPlan && h('a', { class: 'button', href: '/deals/plans' }, t('money.plans')),
    ),
    figures,
  );
}

function wonTile(label, period) {
  const won = period.won.length ? period.won : [{ currency: 'RUB', amount: '0', plan: '' }];
  const main = won[0];
  const share = main.plan && Number(main.plan) > 0 ? Number(main.amount) / Number(main.plan) : null;
  const tile = stat({ label, value: 0 });
  tile.querySelector('.stat-value').textContent = sumsText(won);
  if (share !== null) {
    append(
      tile,
      h('progress', { max: '1', value: String(Math.min(share, 1)), 'aria-label': label }),
      h(
        'span',
        { class: 'stat-label' },
        t('money.of_plan', { percent: formatPercent(share, 0), plan: money(main.plan, main.currency) }),
      ),
    );
  } else {
    append(tile, h('span', { class: 'stat-label' }, t('money.no_plan')));
  }
  return tile;
}

function moneyTile(label, text, href) {
  const tile = stat({ label, value: 0, href });
  tile.querySelector('.stat-value').textContent = text;
  return tile;
}

function moneyFigures(data, people) {
  const currency = data.pipeline[0]?.currency ?? data.month.won[0]?.currency ?? 'RUB';
  const months = data.months.filter((m) => m.currency === currency);
  const count = (list) => list.reduce((sum, s) => sum + s.count, 0);
  return [
    h(
      'div',
      { class: 'stats money-tiles' },
      wonTile(t('money.won_month'), data.month),
      wonTile(t('money.won_quarter'), data.quarter),
      moneyTile(t('money.pipeline', { count: count(data.pipeline) }), sumsText(data.pipeline)),
      moneyTile(t('money.weighted'), sumsText(data.pipeline, 'weighted_amount')),
      moneyTile(
        t('money.overdue_deals', { count: count(data.overdue_deals) }),
        sumsText(data.overdue_deals),
        '/deals/forecast',
      ),
      moneyTile(t('money.overdue_payments', { count: count(data.overdue_payments) }), sumsText(data.overdue_payments)),
    ),
    pairedColumnChart({
      title: t('money.forecast_vs_fact', { currency }),
      series: [t('money.expected'), t('money.won')],
      items: months.map((m) => ({
        label: monthLabel(m.month),
        values: [Math.round(Number(m.expected)), Math.round(Number(m.won))],
      })),
    }),
    h(
      'div',
      { class: 'money-lists' },
      h(
        'section',
        {},
        h('h3', {}, t('money.no_next_step', { count: data.no_next_step_count })),
        data.no_next_step.length
          ? h(
              'ul',
              {},
              data.no_next_step.map((d) => h('li', {}, h('a', { href: `/deals/${d.id}` }, d.title))),
            )
          : h('p', { class: 'muted' }, t('money.all_have_next_step')),
      ),
      h(
        'section',
        {},
        h('h3', {}, t('money.overdue_tasks')),
        data.overdue_tasks.some((m) => m.overdue)
          ? h(
              'ul',
              {},
              data.overdue_tasks
                .filter((m) => m.overdue)
                .map((m) =>
                  h(
                    'li',
                    {},
                    `${nameOf(people, m.user_id) || m.user_id}: ${t('money.tasks_overdue', { count: m.overdue })}`,
                  ),
                ),
            )
          : h('p', { class: 'muted' }, t('money.no_overdue_tasks')),
      ),
    ),
  ];
}
