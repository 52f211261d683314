// The ROI report: per campaign and per channel (campaign type), the funnel from leads to won deals with cost,
// revenue and ROI, for a period (?from=&to=, kept in the URL so a report can be shared).

import * as api from '../../api.js';
import { barChart } from '../../components/chart.js';
import { pageHead, panel } from '../../components/page.js';
import { dataTable } from '../../components/table.js';
import { append, h, uid } from '../../dom.js';
import { formatNumber, t } from '../../i18n.js';
import { navigate } from '../../router.js';
import { typeLabel } from './campaigns.js';
import { campaignTypes, marketingTabs, money, roiText } from './common.js';

const count = (key) => ({
  key,
  label: t(`funnel.${key}`),
  className: 'num',
  render: (row) => formatNumber(row.funnel[key] ?? 0),
});
const sum = (key) => ({
  key,
  label: t(`funnel.${key}`),
  className: 'num nowrap',
  render: (row) => (row.funnel[key] ? money(row.funnel[key], row.funnel.currency) : '—'),
});

function funnelColumns() {
  return [
    sum('cost'),
    count('leads'),
    count('qualified'),
    count('converted'),
    count('deals'),
    count('won'),
    sum('revenue'),
    {
      key: 'roi',
      label: t('funnel.roi'),
      className: 'num nowrap roi',
      render: (row) => roiText(row.funnel.roi) || '—',
    },
    sum('cost_per_lead'),
  ];
}

export const reportPage = {
  name: 'campaign-report',
  title: () => t('marketing.tab.report'),
  async render(view, ctx) {
    const from = ctx.query.get('from') ?? '';
    const to = ctx.query.get('to') ?? '';
    const [{ data }, types, tabs] = await Promise.all([
      api.get('/api/v1/campaigns/report', { query: { from, to }, signal: ctx.signal }),
      campaignTypes(),
      marketingTabs('report'),
    ]);

    const period = h('form', { class: 'filters report-period' });
    const dateInput = (name, value, label) => {
      const input = h('input', { type: 'date', id: uid(name), name, value });
      return h('div', { class: 'filter' }, h('label', { for: input.id }, label), input);
    };
    period.append(
      dateInput('from', from, t('report.from')),
      dateInput('to', to, t('report.to')),
      h('button', { type: 'submit', class: 'button' }, t('report.show')),
    );
    period.addEventListener('submit', (event) => {
      event.preventDefault();
      const params = new URLSearchParams();
      for (const name of ['from', 'to']) if (period.elements[name].value) params.set(name, period.elements[name].value);
      navigate(`/marketing/report${params.size ? `?${params}` : ''}`);
    });

    const byCampaign = dataTable({
      caption: t('report.by_campaign'),
      emptyText: t('report.empty'),
      columns: [
        {
          key: 'name',
          label: t('campaign.name'),
          className: 'primary',
          render: (row) => h('a', { href: `/marketing/campaigns/${row.campaign_id}` }, row.name),
        },
        { key: 'type', label: t('campaign.type'), render: (row) => typeLabel(types, row.type) },
        ...funnelColumns(),
      ],
      rowClass: (row) => `report-row${row.funnel.roi && Number(row.funnel.roi) < 0 ? ' negative' : ''}`,
    });
    byCampaign.setRows(data.campaigns);
    const byChannel = dataTable({
      caption: t('report.by_channel'),
      emptyText: t('report.empty'),
      columns: [
        {
          key: 'channel',
          label: t('report.channel'),
          className: 'primary',
          render: (row) => typeLabel(types, row.channel),
        },
        ...funnelColumns(),
      ],
    });
    byChannel.setRows(data.channels);

    append(
      view,
      pageHead(t('marketing.report')),
      tabs,
      period,
      panel(
        'by-campaign',
        t('report.by_campaign'),
        data.campaigns.length ? byCampaign.el : h('p', { class: 'muted' }, t('report.empty')),
      ),
      panel(
        'by-channel',
        t('report.by_channel'),
        data.channels.length ? byChannel.el : h('p', { class: 'muted' }, t('report.empty')),
      ),
      data.campaigns.length > 0 &&
        h(
          'div',
          { class: 'report-charts' },
          barChart({
            title: t('report.leads_chart'),
            items: data.campaigns.map((c) => ({ label: c.name, value: Number(c.funnel.leads) })),
          }),
          barChart({
            title: t('report.won_chart'),
            items: data.campaigns.map((c) => ({ label: c.name, value: Number(c.funnel.won) })),
          }),
        ),
    );
  },
};
