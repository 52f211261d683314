// How deals' numbers and states read, for the screens and for the client card's panel.

import { h } from '../dom.js';
import { formatNumber, language, localName, t } from '../i18n.js';

/**
 * stageNames(boards): `(stageId, fallback)` -> the stage's name in the UI language. Deals and stage changes
 * carry the name in the installation's language; `fallback` (that name) serves a stage not among `boards`.
 */
export function stageNames(boards) {
  const stages = new Map(boards.flatMap((p) => p.stages.map((s) => [s.id, s])));
  return (id, fallback = '') => (stages.has(id) ? localName(stages.get(id)) : fallback);
}

/** "1 500 ₽" or "1 500,50 ₽" from the API's decimal text and currency (kopecks only when there are some); ''
 * for no amount. */
export function money(amount, currency = 'RUB') {
  if (amount === '' || amount == null) return '';
  const value = Number(amount);
  const digits = Number.isInteger(Math.round(value * 100) / 100) ? 0 : 2;
  try {
    return new Intl.NumberFormat(language(), {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: 2,
    }).format(value);
  } catch {
    return `${formatNumber(value)} ${currency}`; // a code Intl does not know
  }
}

/** Sums per currency ([{currency, amount}]) as one text; `key` picks another field (weighted_amount). */
export function sums(list, key = 'amount') {
  return list.map((s) => money(s[key], s.currency)).join(' + ') || money(0);
}

/** Whole days since an ISO moment. */
export function daysSince(value) {
  return Math.max(0, Math.floor((Date.now() - new Date(value).getTime()) / 86_400_000));
}

/** A deal's (or a board card's) attention flags. */
export function isStalled(deal) {
  return Boolean(deal.stalled ?? deal.distance?.stalled);
}

/** Chips: status when closed, stalled, regressing. */
export function dealBadges(deal) {
  return [
    deal.status &&
      deal.status !== 'open' &&
      h('span', { class: `chip status-${deal.status}` }, t(`deal.status.${deal.status}`)),
    isStalled(deal) && h('span', { class: 'chip warn badge-stalled' }, t('deal.stalled')),
    deal.regressing && h('span', { class: 'chip danger badge-regressing' }, t('deal.regressing')),
  ];
}

/** Row highlight for lists: stalled and regressing deals need attention. */
export function attentionClass(deal) {
  return [isStalled(deal) && 'deal-stalled', deal.regressing && 'deal-regressing'].filter(Boolean).join(' ');
}
