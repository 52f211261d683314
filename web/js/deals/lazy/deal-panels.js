// Sections of the deal card with their own data: product lines, payments, stage history.

import * as api from '../../api.js';
import { form } from '../../components/form.js';
import { dataTable } from '../../components/table.js';
import { toast } from '../../components/toast.js';
import { h, replace, uid } from '../../dom.js';
import { actorLabel, formatDate, formatNumber, formatRelative, t } from '../../i18n.js';
import { money } from '../format.js';
import { lossLabel, nameOf } from './common.js';
import { unitLabel, vatRateLabel, vatTotals } from './vat.js';

/** Product lines with the server's totals and VAT (units by their label in `unitList`). */
export function linesView(deal, unitList = []) {
  if (!deal.lines.length) return h('p', { class: 'muted' }, t('deal.no_lines'));
  const table = dataTable({
    caption: t('deal.lines'),
    columns: [
      {
        key: 'product',
        label: t('deal.product'),
        className: 'primary',
        render: (l) => [l.product, l.article && h('span', { class: 'muted' }, ` · ${l.article}`)],
      },
      {
        key: 'quantity',
        label: t('deal.quantity'),
        className: 'num nowrap',
        render: (l) => `${formatNumber(Number(l.quantity))} ${unitLabel(unitList, l.unit_code)}`,
      },
      { key: 'price', label: t('deal.price'), className: 'num nowrap', render: (l) => money(l.price, deal.currency) },
      {
        key: 'discount_percent',
        label: t('deal.discount'),
        className: 'num',
        render: (l) => (Number(l.discount_percent) ? `${formatNumber(Number(l.discount_percent))} %` : ''),
      },
      {
        key: 'total',
        label: t('deal.line_total'),
        className: 'num nowrap',
        render: (l) => money(l.total, deal.currency),
      },
      { key: 'vat_rate', label: t('vat.rate'), className: 'nowrap', render: (l) => vatRateLabel(l.vat_rate) },
      {
        key: 'vat_amount',
        label: t('vat.amount'),
        className: 'num nowrap',
        render: (l) => (deal.vat_mode === 'exempt' ? '' : money(l.vat_amount, deal.currency)),
      },
    ],
  });
  table.setRows(deal.lines);
  return [
    table.el,
    h(
      'p',
      { class: 'lines-total' },
      Number(deal.discount_amount) > 0 &&
        h('span', { class: 'muted' }, `${t('deal.discount_amount')}: ${money(deal.discount_amount, deal.currency)} · `),
      vatTotals(deal),
    ),
  ];
}

/** Expected and received payments; add an expected one, mark one received. changed() after each. */
export function paymentsPanel(deal, payments, changed) {
  const headingId = uid('payments');
  const body = h('div', { class: 'panel-body' });
  const today = new Date().toISOString().slice(0, 10);
  const base = `/api/v1/deals/${deal.id}/payments`;

  const receive = (payment) => {
    const received = form({
      className: 'inline-form',
      fields: [{ name: 'received_on', label: t('payments.received_on'), type: 'date', required: true }],
      values: { received_on: today },
      submitLabel: t('payments.mark_received'),
      onCancel: render,
      submit: async (data) => {
        await api.post(`${base}/${payment.id}/receive`, data);
        toast(t('payments.received_done'), { kind: 'success' });
        await changed();
      },
    });
    return received;
  };

  function row(p) {
    const slot = h('div', { class: 'payment-action' });
    if (p.status === 'expected') {
      slot.append(
        h(
          'button',
          {
            type: 'button',
            class: 'button small',
            'aria-label': t('payments.mark_received_of', { amount: money(p.amount, p.currency) }),
            onClick: () => {
              const editor = receive(p);
              replace(slot, editor.el);
              editor.focus();
            },
          },
          t('payments.mark_received'),
        ),
      );
    }
    const late = p.late_days > 0 && h('span', { class: 'chip warn' }, t('payments.late_days', { count: p.late_days }));
    return h(
      'li',
      { class: `payment payment-${p.status}` },
      h('strong', {}, money(p.amount, p.currency)),
      ' ',
      h('span', { class: `chip ${p.status === 'received' ? 'strong' : ''}` }, t(`payments.status.${p.status}`)),
      ' ',
      h(
        'span',
        { class: 'muted' },
        p.status === 'received'
          ? t('payments.received_date', { date: formatDate(p.received_on, { dateOnly: true }) })
          : t('payments.due_date', { date: formatDate(p.due_date, { dateOnly: true }) }),
      ),
      ' ',
      late,
      p.note && h('p', { class: 'muted' }, p.note),
      slot,
    );
  }

  const add = h('button', { type: 'button', class: 'button small' }, t('payments.add_expected'));
  add.addEventListener('click', () => {
    add.hidden = true;
    const editor = form({
      className: 'inline-form',
      fields: [
        { name: 'amount', label: t('payments.amount'), inputmode: 'decimal', required: true },
        { name: 'due_date', label: t('payments.due'), type: 'date', required: true },
        { name: 'note', label: t('payments.note') },
      ],
      submitLabel: t('action.add'),
      onCancel: () => (render(), add.focus()),
      submit: async (data) => {
        await api.post(base, { status: 'expected', ...data });
        toast(t('payments.added'), { kind: 'success' });
        await changed();
      },
    });
    body.append(editor.el);
    editor.focus();
  });

  function render() {
    add.hidden = false;
    replace(
      body,
      payments.length
        ? h('ul', { class: 'payments' }, payments.map(row))
        : h('p', { class: 'muted' }, t('payments.none')),
    );
  }
  render();
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': headingId, dataset: { section: 'payments' } },
    h('div', { class: 'panel-head' }, h('h2', { id: headingId }, t('payments.title')), add),
    body,
  );
}

/** Every move: from → to, who and when, time spent in the stage left, regressions, loss reasons. */
export function historyPanel(changes, { people, reasons, stageName }) {
  return panel(
    'history',
    t('deal.history'),
    h(
      'ol',
      { class: 'stage-history' },
      [...changes]
        .reverse()
        .map((c) =>
          h(
            'li',
            { class: c.regression ? 'regression' : '' },
            h(
              'p',
              {},
              c.from_stage_name
                ? `${stageName(c.from_stage_id, c.from_stage_name)} → ${stageName(c.to_stage_id, c.to_stage_name)}`
                : t('deal.opened_in', { stage: stageName(c.to_stage_id, c.to_stage_name) }),
            ),
            c.regression && h('span', { class: 'chip danger' }, t('deal.regression')),
            c.loss_reason &&
              h(
                'p',
                {},
                lossLabel(
                  reasons.find((r) => r.code === c.loss_reason) ?? { code: c.loss_reason, label: c.loss_reason },
                ),
                c.comment && ` — ${c.comment}`,
              ),
            h(
              'p',
              { class: 'timeline-meta' },
              actorLabel(c.moved_by, nameOf(people, c.moved_by)),
              ' · ',
              h('time', { datetime: c.moved_at, title: formatDate(c.moved_at) }, formatRelative(c.moved_at)),
              c.from_stage_name && ` · ${t('deal.time_in_stage', { time: duration(c.seconds_in_previous_stage) })}`,
            ),
          ),
        ),
    ),
  );
}

function panel(id, title, content) {
  const headingId = uid(id);
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': headingId, dataset: { section: id } },
    h('div', { class: 'panel-head' }, h('h2', { id: headingId }, title)),
    h('div', { class: 'panel-body' }, content),
  );
}

/** "3 d 4 h", "5 h", "12 min" */
export function duration(seconds) {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  if (days) return t('time.days_hours', { days, hours });
  if (hours) return t('time.hours', { hours });
  return t('time.minutes', { minutes: Math.max(1, Math.round(seconds / 60)) });
}
