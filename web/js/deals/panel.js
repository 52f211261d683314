// The client card's "Deals" panel: the deals where the party is the client, then those where it is a
// contact person (a person's card shows the deals they take part in), and how the client pays. It loads
// with the card (so it is small and preloaded); the deals screens themselves load on first use.

import * as api from '../api.js';
import { h } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { icon } from '../icons.js';
import { dealBadges, money, stageNames, sums } from './format.js';

const dealsWhere = (filter, signal) =>
  api.get('/api/v1/deals', { query: { filter, sort: '-updated_at', limit: 20 }, signal });

function dealRow(deal, asContact, stageName) {
  return h(
    'li',
    { class: 'party-deal', dataset: { deal: deal.id, role: asContact ? 'contact' : 'client' } },
    h('a', { href: `/deals/${deal.id}` }, deal.title),
    h(
      'span',
      { class: 'muted' },
      ` · ${stageName(deal.stage_id, deal.stage_name)} · ${money(deal.amount, deal.currency) || '—'}`,
    ),
    asContact && h('span', { class: 'muted' }, ` · ${t('deals.as_contact')}`),
    dealBadges(deal),
  );
}

export async function dealsPanel(partyId, { signal }) {
  const [{ data: page }, { data: contactOf }, { data: summary }, boards] = await Promise.all([
    dealsWhere(`client_id:eq:${partyId}`, signal),
    dealsWhere(`contact_id:eq:${partyId}`, signal),
    api.get(`/api/v1/parties/${encodeURIComponent(partyId)}/payment-summary`, { signal }),
    api.cached('/api/v1/pipelines'),
  ]);
  const stageName = stageNames(boards);
  const asClient = new Set(page.items.map((deal) => deal.id));
  const rows = [
    ...page.items.map((deal) => dealRow(deal, false, stageName)),
    ...contactOf.items.filter((deal) => !asClient.has(deal.id)).map((deal) => dealRow(deal, true, stageName)),
  ];
  const payments = [
    [t('payments.received'), sums(summary.received)],
    [t('payments.outstanding'), sums(summary.outstanding)],
    [t('payments.counts'), t('payments.counts_value', summary)],
    [t('knowledge.payment_discipline'), t(`payment.${summary.discipline}`)],
  ];
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'party-deals-title', dataset: { section: 'deals' } },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: 'party-deals-title' }, t('nav.deals')),
      h(
        'a',
        { class: 'button small', href: `/deals/new?client=${encodeURIComponent(partyId)}` },
        icon('plus'),
        t('deal.new'),
      ),
    ),
    h(
      'div',
      { class: 'panel-body' },
      rows.length ? h('ul', { class: 'links party-deals' }, rows) : h('p', { class: 'muted' }, t('deals.none')),
      h('h3', { class: 'subhead' }, t('payments.summary')),
      h(
        'dl',
        { class: 'details payment-summary' },
        payments.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
      ),
      summary.recent.length > 0 &&
        h(
          'ul',
          { class: 'links' },
          summary.recent
            .slice(0, 3)
            .map((p) =>
              h(
                'li',
                {},
                money(p.amount, p.currency),
                ' · ',
                t(`payments.status.${p.status}`),
                ' ',
                formatDate(p.received_on || p.due_date, { dateOnly: true }),
              ),
            ),
        ),
    ),
  );
}
