// The board of a pipeline: a column per stage with its count and sums (amount and weighted), the first
// cards and more by cursor; cards move by drag and drop or by their "Move to" select (touch, keyboard).
// A card says how long the deal has sat in its stage only past the stage's time limit, and when the deal's
// next step (its next open task) is due, or that it has none. The board's total is the open deals'; the won
// and lost ones are summed apart.

import * as api from '../../api.js';
import { kanban } from '../../components/kanban.js';
import { toastError } from '../../components/toast.js';
import { append, h, replace } from '../../dom.js';
import { formatDay, localName, t } from '../../i18n.js';
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
    const render = (card) => dealCard(card, stages.get(card.stage_id));
    const counts = new Map(data.columns.map((c) => [c.stage.id, c.count]));

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
      render,
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
          ...('has_next_step' in deal ? { has_next_step: deal.has_next_step, next_step_at: deal.next_step_at } : {}),
        };
        addTo(card.stage_id, card, -1);
        addTo(stageId, moved, 1);
        counts.set(card.stage_id, counts.get(card.stage_id) - 1);
        counts.set(stageId, counts.get(stageId) + 1);
        board.setInfo(card.stage_id, sumsOf(card.stage_id));
        board.setInfo(stageId, sumsOf(stageId));
        renderSummary();
        return moved;
      },
    });

    // The board's total: the open columns' sums, per currency; the won and the lost deals apart (money that
    // came in, money that will not), never added to the pipeline.
    const summary = h('div', { class: 'list-count board-total' });
    function totalOf(category) {
      const all = new Map();
      let count = 0;
      for (const [stageId, sums] of totals) {
        if (stages.get(stageId).category !== category) continue;
        count += counts.get(stageId);
        for (const [currency, [amount, weighted]] of sums) {
          const [a, w] = all.get(currency) ?? [0, 0];
          all.set(currency, [a + amount, w + weighted]);
        }
      }
      return { count, sums: [...all] };
    }
    function renderSummary() {
      const open = totalOf('open');
      const closed = ['won', 'lost'].map((category) => ({ category, ...totalOf(category) }));
      replace(
        summary,
        h(
          'p',
          { class: 'board-total-open' },
          t('deals.board_total', { count: open.count }),
          open.sums.map(
            ([currency, [amount, weighted]]) =>
              ` · ${money(amount, currency)} (${t('deals.weighted')} ${money(weighted, currency)})`,
          ),
        ),
        closed
          .filter((c) => c.count)
          .map((c) =>
            h(
              'p',
              { class: `board-total-${c.category} muted` },
              t(`deals.board_${c.category}`, { count: c.count }),
              c.sums.map(([currency, [amount]]) => ` · ${money(amount, currency)}`),
            ),
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

function dealCard(card, stage) {
  const attention = [isStalled(card) && 'stalled', card.regressing && 'regressing'].filter(Boolean).join(' ');
  const open = stage?.category === 'open';
  const days = daysSince(card.stage_entered_at);
  const overdue = open && stage.time_limit_days > 0 && days > stage.time_limit_days;
  return h(
    'div',
    { class: `deal-card ${attention}` },
    h('a', { class: 'deal-card-title', href: `/deals/${card.id}`, draggable: 'false' }, card.title),
    h('span', { class: 'muted' }, card.client_name),
    h(
      'span',
      { class: 'deal-card-line' },
      h('strong', {}, money(card.amount, card.currency) || '—'),
      overdue && h('span', { class: 'deal-card-days' }, t('deals.days_in_stage', { count: days })),
    ),
    open && nextStep(card),
    h(
      'span',
      { class: 'chips' },
      dealBadges({ stalled: card.stalled, regressing: card.regressing, status: card.status }),
    ),
  );
}

// The deal's next open task: the day it is due (`next_step_at`, RFC 3339), or a warning when the open deal has no
// open task (`has_next_step` false); an open task without a due day says nothing. A server that does not track next
// steps sends no such fields: nothing is said then.
function nextStep(card) {
  if (!('has_next_step' in card)) return null;
  if (!card.has_next_step) return h('span', { class: 'chip warn deal-no-next-step' }, t('deals.no_next_step'));
  if (!card.next_step_at) return null;
  const late = new Date(card.next_step_at).getTime() < Date.now();
  return h(
    'span',
    { class: `deal-next-step${late ? ' late' : ''}` },
    t('deals.next_step', { day: formatDay(card.next_step_at) }),
  );
}
