// The forecast: the weighted pipeline (amount x stage probability) of open deals per month of expected
// close, and who it rests on: per owner or per team. Open deals whose close date has passed are a column
// and rows of their own ("overdue"), first: money that did not come when expected is not this month's.

import * as api from '../../api.js';
import { barChart, columnChart } from '../../components/chart.js';
import { dataTable } from '../../components/table.js';
import { append, h } from '../../dom.js';
import { formatNumber, localName, monthName, t } from '../../i18n.js';
import { navigate } from '../../router.js';
import { money } from '../format.js';
import { dealsTabs, nameOf, pageSelect, pipelines, teams, users } from './common.js';

export const forecastPage = {
  name: 'forecast',
  title: () => t('deals.forecast'),
  async render(view, ctx) {
    const pipelineId = ctx.query.get('pipeline') ?? '';
    const by = ctx.query.get('by') === 'team' ? 'team' : 'owner';
    const [boards, people, teamList, { data }] = await Promise.all([
      pipelines(),
      users(),
      teams(),
      api.get('/api/v1/deals/forecast', {
        query: { pipeline_id: pipelineId, group_by: `month,${by}` },
        signal: ctx.signal,
      }),
    ]);
    const go = (change) => {
      const params = new URLSearchParams({ pipeline: pipelineId, by, ...change });
      if (!params.get('pipeline')) params.delete('pipeline');
      navigate(`/deals/forecast?${params}`);
    };
    const who = (row) =>
      (by === 'team' ? nameOf(teamList, row.team_id) || row.team_id : nameOf(people, row.owner_id)) ||
      t('deals.nobody');
    const monthLabel = (month) =>
      month ? `${monthName(Number(month.slice(5)))} ${month.slice(0, 4)}` : t('deals.no_close_date');
    const OVERDUE = 'overdue';
    const period = (r) => (r.overdue ? OVERDUE : r.month);
    const periodLabel = (key) => (key === OVERDUE ? t('deals.overdue_close') : monthLabel(key));
    const periodOrder = (key) => (key === OVERDUE ? '0000' : key || '9999');
    // The charts add up one currency (the one with most weighted money); a table lists every row.
    const currencies = [...new Set(data.totals.map((r) => r.currency))];
    const main =
      data.totals.reduce(
        (best, r) => (Number(r.weighted_amount) > Number(best?.weighted_amount ?? -1) ? r : best),
        null,
      )?.currency ?? 'RUB';
    const rows = data.rows.filter((r) => r.currency === main);
    const perMonth = group(rows, period);
    const perWho = group(rows, who);
    const months = [...perMonth.keys()].sort((a, b) => periodOrder(a).localeCompare(periodOrder(b)));

    const table = dataTable({
      caption: t('deals.forecast'),
      columns: [
        { key: 'month', label: t('deals.month'), className: 'nowrap', render: (r) => periodLabel(period(r)) },
        { key: 'who', label: t(by === 'team' ? 'deals.team' : 'deal.owner'), render: who },
        { key: 'deals', label: t('nav.deals'), className: 'num', render: (r) => formatNumber(r.deals) },
        { key: 'amount', label: t('deal.amount'), className: 'num nowrap', render: (r) => money(r.amount, r.currency) },
        {
          key: 'weighted',
          label: t('deals.weighted_amount'),
          className: 'num nowrap',
          render: (r) => money(r.weighted_amount, r.currency),
        },
      ],
    });
    table.setRows([...data.rows].sort((a, b) => periodOrder(period(a)).localeCompare(periodOrder(period(b)))));

    append(
      view,
      h(
        'div',
        { class: 'page-head' },
        h('h1', { tabindex: '-1' }, t('deals.forecast')),
        h(
          'div',
          { class: 'toolbar' },
          pageSelect(
            t('deal.pipeline'),
            [
              { value: '', label: t('deals.all_pipelines') },
              ...boards.map((p) => ({ value: p.id, label: localName(p) })),
            ],
            pipelineId,
            (pipeline) => go({ pipeline }),
          ),
          pageSelect(
            t('deals.breakdown'),
            [
              { value: 'owner', label: t('deals.by_owner') },
              { value: 'team', label: t('deals.by_team') },
            ],
            by,
            (value) => go({ by: value }),
          ),
        ),
      ),
      dealsTabs('forecast'),
      h(
        'p',
        { class: 'list-count' },
        data.totals
          .map((r) =>
            t('deals.forecast_total', {
              count: r.deals,
              amount: money(r.amount, r.currency),
              weighted: money(r.weighted_amount, r.currency),
            }),
          )
          .join(' · ') || t('chart.no_data'),
      ),
      h(
        'div',
        { class: 'dashboard' },
        h(
          'section',
          { class: 'panel widget wide' },
          columnChart({
            title: t('deals.weighted_per_month', { currency: main }),
            items: months.map((m) => ({ label: periodLabel(m), value: Math.round(perMonth.get(m)) })),
          }),
        ),
        h(
          'section',
          { class: 'panel widget wide' },
          barChart({
            title: t(by === 'team' ? 'deals.weighted_per_team' : 'deals.weighted_per_owner', { currency: main }),
            items: [...perWho].map(([label, value]) => ({ label, value: Math.round(value) })),
          }),
        ),
      ),
      currencies.length > 1 && h('p', { class: 'muted' }, t('deals.other_currencies')),
      table.el,
    );
  },
};

function group(rows, keyOf) {
  const sums = new Map();
  for (const row of rows) sums.set(keyOf(row), (sums.get(keyOf(row)) ?? 0) + Number(row.weighted_amount));
  return sums;
}
