// The campaign card: what it is (edited in place), its cost lines (added and removed here) against the budget,
// its funnel from leads to won deals with revenue and ROI (the report of this one campaign), and its history.

import * as api from '../../api.js';
import { auditPanel } from '../../components/audit-list.js';
import { editableSection } from '../../components/card-section.js';
import { confirmDialog } from '../../components/dialog.js';
import { form } from '../../components/form.js';
import { panel } from '../../components/page.js';
import { dataTable } from '../../components/table.js';
import { toast, toastError } from '../../components/toast.js';
import { append, h, replace } from '../../dom.js';
import { formatDate, formatDay, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { amountOrError, campaignFields, spendBar, typeLabel } from './campaigns.js';
import {
  campaignTypes,
  details,
  funnelView,
  marketingTabs,
  money,
  nameOf,
  statusChip,
  today,
  users,
} from './common.js';

export const campaignPage = {
  name: 'campaign',
  title: (ctx) => ctx.title ?? t('marketing.campaigns'),
  async render(view, ctx) {
    const id = ctx.params.id;
    const url = `/api/v1/campaigns/${encodeURIComponent(id)}`;
    const { signal } = ctx;
    const report = () => api.get('/api/v1/campaigns/report', { query: { campaign_id: id }, signal });
    const [loaded, reportData, auditData, types, people, tabs] = await Promise.all([
      api.get(url, { signal }),
      report(),
      api.get(`${url}/audit`, { query: { limit: 20 }, signal }),
      campaignTypes(),
      users(),
      marketingTabs('campaigns'),
    ]);
    let campaign = loaded.data;
    let etag = loaded.etag;
    let funnel = reportData.data.campaigns.find((c) => c.campaign_id === id)?.funnel;
    let audit = auditData.data.items;

    const head = h('header', { class: 'card-head' });
    const main = h('div', { class: 'card-main' });
    const side = h('aside', { class: 'card-side' });
    append(view, head, tabs, h('div', { class: 'card-grid' }, main, side));

    async function reload(announce = true) {
      try {
        const [fresh, numbers, log] = await Promise.all([
          api.get(url),
          report(),
          api.get(`${url}/audit`, { query: { limit: 20 } }),
        ]);
        ({ data: campaign, etag } = fresh);
        funnel = numbers.data.campaigns.find((c) => c.campaign_id === id)?.funnel;
        audit = log.data.items;
        renderCard();
        if (announce) toast(t('party.reloaded'));
      } catch (error) {
        toastError(error);
      }
    }

    const mainView = () =>
      details([
        [t('campaign.type'), typeLabel(types, campaign.type)],
        [t('campaign.status'), statusChip('campaign', campaign.status)],
        [t('campaign.starts_on'), formatDay(campaign.starts_on)],
        [t('campaign.ends_on'), formatDay(campaign.ends_on)],
        [t('campaign.budget'), campaign.budget && money(campaign.budget, campaign.currency)],
        [t('campaign.utm_campaign'), campaign.utm_campaign],
        [t('campaign.owner'), nameOf(people, campaign.owner_id)],
        [t('campaign.description'), campaign.description],
        [t('lead.created_at'), formatDate(campaign.created_at)],
      ]);

    function costsPanel() {
      const table = dataTable({
        caption: t('campaign.costs'),
        columns: [
          { key: 'date', label: t('cost.date'), className: 'nowrap', render: (c) => formatDay(c.date) },
          { key: 'item', label: t('cost.item') },
          {
            key: 'amount',
            label: t('cost.amount'),
            className: 'num nowrap',
            render: (c) => money(c.amount, campaign.currency),
          },
          {
            key: 'remove',
            label: t('action.remove'),
            render: (c) =>
              h(
                'button',
                {
                  type: 'button',
                  class: 'button small',
                  'aria-label': `${t('action.remove')}: ${c.item}`,
                  onClick: () => removeCost(c),
                },
                icon('close'),
              ),
          },
        ],
      });
      table.setRows(campaign.costs);
      const adder = form({
        className: 'cost-form',
        fields: [
          { name: 'date', label: t('cost.date'), type: 'date', required: true },
          { name: 'item', label: t('cost.item'), required: true },
          { name: 'amount', label: t('cost.amount'), required: true, inputmode: 'decimal' },
        ],
        values: { date: today() },
        submitLabel: t('cost.add'),
        onConflict: () => reload(),
        submit: async (data) => {
          const body = {
            date: data.date ?? '',
            item: data.item ?? '',
            amount: amountOrError(data.amount, 'amount') ?? '',
          };
          ({ data: campaign, etag } = await api.post(`${url}/costs`, body, { etag }));
          toast(t('cost.added'), { kind: 'success' });
          await reload(false);
          main.querySelector('.cost-form input[name="item"]')?.focus();
        },
      });
      return panel(
        'costs',
        t('campaign.costs'),
        h(
          'div',
          {},
          h('p', { class: 'spend-line' }, spendBar(campaign)),
          campaign.costs.length ? table.el : h('p', { class: 'muted' }, t('campaign.no_costs')),
          h(
            'p',
            { class: 'cost-total' },
            t('campaign.total_cost', { cost: money(campaign.cost || 0, campaign.currency) }),
          ),
          adder.el,
        ),
      );
    }

    async function removeCost(cost) {
      const done = await confirmDialog({
        title: t('cost.remove_title'),
        text: `${formatDay(cost.date)} · ${cost.item} · ${money(cost.amount, campaign.currency)}`,
        confirmLabel: t('action.remove'),
        danger: true,
        action: async () => {
          ({ data: campaign, etag } = await api.del(`${url}/costs/${encodeURIComponent(cost.id)}`, { etag }));
        },
      });
      if (done) {
        toast(t('cost.removed'), { kind: 'success' });
        await reload(false);
      }
    }

    function funnelPanel() {
      return panel(
        'funnel',
        t('campaign.funnel'),
        funnel ? funnelView(funnel) : h('p', { class: 'muted' }, t('chart.no_data')),
        h(
          'a',
          { class: 'button small', href: `/marketing?filter=campaign_id:eq:${encodeURIComponent(id)}` },
          t('campaign.its_leads'),
        ),
      );
    }

    function renderCard() {
      ctx.title = campaign.name;
      document.title = `${campaign.name} · ${t('app.name')}`;
      replace(
        head,
        h('h1', { tabindex: '-1' }, icon('marketing'), campaign.name),
        h('p', { class: 'card-sub' }, statusChip('campaign', campaign.status), ' ', typeLabel(types, campaign.type)),
      );
      replace(
        main,
        editableSection({
          id: 'main',
          title: t('campaign.section_main'),
          display: mainView,
          fields: () => campaignFields(types, people),
          values: () => campaign,
          submit: async (data) => {
            const patch = { ...data, budget: amountOrError(data.budget, 'budget') };
            for (const key of Object.keys(patch)) if ((patch[key] ?? '') === (campaign[key] ?? '')) delete patch[key];
            for (const key of Object.keys(patch)) patch[key] ??= '';
            ({ data: campaign, etag } = await api.patch(url, patch, { etag }));
            toast(t('party.saved'), { kind: 'success' });
            await reload(false);
          },
          onConflict: () => reload(),
        }),
        costsPanel(),
        funnelPanel(),
      );
      replace(
        side,
        auditPanel({
          kind: 'campaign',
          entries: audit,
          who: (actor) => nameOf(people, actor),
          title: t('campaign.audit'),
        }),
      );
    }

    renderCard();
  },
};
