// The board of a pipeline: a column per stage with its count and sums (amount and weighted), the first
// cards and more by cursor; cards move by drag and drop or by their "Move to" select.

import * as api from '../../api.js';
import { kanban } from '../../components/kanban.js';
import { toastError } from '../../components/toast.js';
import { append, h, replace } from '../../dom.js';
import { localName, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { navigate, refresh } from '../../router.js';
import { daysSince, dealBadges, isStalled, money } from '../format.js';
import { dealsTabs, moveDeal, pageSelect, pipelines } from './common.js';

const CARDS = 20;

export const boardPage = {
  name: 'deal-board',
  title: () => t('deals.board'),
  async render(view, ctx) {
    const { signal } = ctx;
    const all = (await pipelines()).filter((p) => !p.archived);
    const pipeline = all.find((p) => p.id === ctx.query.get('pipeline')) ?? all[0];
    const url = `/api/v1/pipelines/${pipeline.id}/kanban`;
    const { data } = await api.get(url, { query: { limit: CARDS, include_closed: true }, signal });
    const stages = new Map(pipeline.stages.map((s) => [s.id, s]));
    // Per column and currency: [amount, weighted]; kept up to date as cards move.
    const totals = new Map(
      data.columns.map((c) => [
        c.stage.id,
        new Map(c.sums.map((s) => [s.currency, [Number(s.amount), Number(s.weighted_amount)]])),
      ]),
    );
    const cursors = new Map(data.columns.map((c) => [c.stage.id, c.next_cursor]));
    const asCard = (stageId) => (card) => ({ ...card, stage_id: stageId });

    const sumsOf = (stageId) => {
      const list = [...totals.get(stageId)].filter(([, [amount]]) => amount);
      return h(
        'p',
        { class: 'kanban-sums' },
        list.length
          ? list.map(([currency, [amount, weighted]]) =>
              h(
                'span',
                {},
                money(amount, currency),
                h('span', { class: 'muted' }, ` · ${t('deals.weighted')} ${money(weighted, currency)}`),
              ),
            )
          : h('span', { class: 'muted' }, money(0)),
      );
    };
    const addTo = (stageId, card, sign) => {
      if (!card.amount) return;
      const sums = totals.get(stageId);
      const [amount, weighted] = sums.get(card.currency) ?? [0, 0];
      const share = Number(card.amount) * sign;
      sums.set(card.currency, [amount + share, weighted + (share * stages.get(stageId).probability) / 100]);
    };

    const moreButton = (stageId) => {
      const button = h(
        'button',
        { type: 'button', class: 'button small kanban-more', hidden: !cursors.get(stageId) },
        t('list.more'),
      );
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          const { data: column } = await api.get(`${url}/${stageId}`, {
            query: { limit: CARDS, cursor: cursors.get(stageId) },
          });
          cursors.set(stageId, column.next_cursor);
          board.add(stageId, column.cards.map(asCard(stageId)));
          button.hidden = !column.next_cursor;
        } catch (error) {
          toastError(error);
        } finally {
          button.disabled = false;
        }
      });
      return button;
    };

    const board = kanban({
      label: t('deals.board_of', { name: localName(pipeline) }),
      columns: data.columns.map((c) => ({
        id: c.stage.id,
        title: localName(c.stage),
        count: c.count,
        info: sumsOf(c.stage.id),
        footer: moreButton(c.stage.id),
      })),
      items: data.columns.flatMap((c) => c.cards.map(asCard(c.stage.id))),
      columnOf: (card) => card.stage_id,
      render: dealCard,
      async onMove(card, stageId) {
        const deal = await moveDeal(card, stages.get(stageId), { reload: refresh });
        const moved = {
          ...card,
          stage_id: deal.stage_id,
          amount: deal.amount,
          stage_entered_at: deal.stage_entered_at,
          regressing: deal.regressing,
          stalled: Boolean(deal.distance?.stalled),
          expected_amount: deal.distance?.expected_amount ?? '',
          version: deal.version,
          status: deal.status,
        };
        addTo(card.stage_id, card, -1);
        addTo(stageId, moved, 1);
        board.setInfo(card.stage_id, sumsOf(card.stage_id));
        board.setInfo(stageId, sumsOf(stageId));
        renderSummary();
        return moved;
      },
    });

    // The board's total: every column's sums, per currency.
    const summary = h('p', { class: 'list-count' });
    function renderSummary() {
      const all = new Map();
      for (const sums of totals.values())
        for (const [currency, [amount, weighted]] of sums) {
          const [a, w] = all.get(currency) ?? [0, 0];
          all.set(currency, [a + amount, w + weighted]);
        }
      replace(
        summary,
        t('deals.board_total', { count: data.count }),
        [...all].map(
          ([currency, [amount, weighted]]) =>
            ` · ${money(amount, currency)} (${t('deals.weighted')} ${money(weighted, currency)})`,
        ),
      );
    }
    renderSummary();

    append(
      view,
      h(
        'div',
        { class: 'page-head' },
        h('h1', { tabindex: '-1' }, t('deals.board')),
        h(
          'div',
          { class: 'toolbar' },
          pageSelect(
            t('deal.pipeline'),
            all.map((p) => ({ value: p.id, label: localName(p) })),
            pipeline.id,
            (id) => navigate(`/deals/board?pipeline=${encodeURIComponent(id)}`),
          ),
          h('a', { class: 'button primary', href: '/deals/new' }, icon('plus'), t('deal.new')),
        ),
      ),
      dealsTabs('board'),
      summary,
      board.el,
    );
  },
};

function dealCard(card) {
  const attention = [isStalled(card) && 'stalled', card.regressing && 'regressing'].filter(Boolean).join(' ');
  return h(
    'div',
    { class: `deal-card ${attention}` },
    h('a', { class: 'deal-card-title', href: `/deals/${card.id}`, draggable: 'false' }, card.title),
    h('span', { class: 'muted' }, card.client_name),
    h(
      'span',
      { class: 'deal-card-line' },
      h('strong', {}, money(card.amount, card.currency) || '—'),
      h('span', { class: 'muted' }, t('deals.days_in_stage', { count: daysSince(card.stage_entered_at) })),
    ),
    h(
      'span',
      { class: 'chips' },
      dealBadges({ stalled: card.stalled, regressing: card.regressing, status: card.status }),
    ),
  );
}
