// VAT and units on the deals screens: the rate codes and modes (crm_core.vat), the units code list (OKEI),
// the catalogue product's form, the lines editor's fields and the totals line ("в т.ч. НДС", "НДС сверху",
// "Без НДС"). Amounts are the server's: the client shows them and never computes VAT itself.

import * as api from '../../api.js';
import { h } from '../../dom.js';
import { codeLabel, t } from '../../i18n.js';
import { money } from '../format.js';

/** The rate codes in pick-list order (crm_core.vat.VAT_RATES) and the modes. */
export const VAT_RATES = ['none', '0', '5', '7', '10', '20', '22'];
export const VAT_MODES = ['included', 'on_top', 'exempt'];

// Archived units too: lines and products keep them.
export const units = () => api.cached('/api/v1/units', { include_archived: true });

/** "шт" / "pcs"; a code the list does not have stays as it is. */
export function unitLabel(list, code) {
  const unit = list.find((u) => u.code === code);
  return unit ? codeLabel(unit) : code;
}

/** "20 %", "Без НДС" / "No VAT". */
export const vatRateLabel = (rate) => (rate === 'none' ? t('vat.rate_none') : `${rate} %`);

const rateOptions = () => VAT_RATES.map((value) => ({ value, label: vatRateLabel(value) }));
const unitOptions = (list) => list.filter((u) => !u.archived).map((u) => ({ value: u.code, label: codeLabel(u) }));

/** The catalogue product's form: name, article, kind, unit, VAT rate, description, prices per list and currency. */
export function productFields(unitList) {
  return [
    { name: 'name', label: t('catalogue.name'), required: true, wide: true },
    { name: 'article', label: t('catalogue.article') },
    {
      name: 'kind',
      label: t('catalogue.kind'),
      type: 'select',
      options: ['product', 'service'].map((value) => ({ value, label: t(`catalogue.kind.${value}`) })),
    },
    { name: 'unit_code', label: t('catalogue.unit'), type: 'select', options: unitOptions(unitList) },
    { name: 'vat_rate', label: t('vat.rate'), type: 'select', options: rateOptions() },
    { name: 'description', label: t('catalogue.description'), type: 'textarea', wide: true },
    {
      name: 'prices',
      label: t('catalogue.prices'),
      type: 'list',
      addLabel: t('catalogue.price'),
      item: [
        { name: 'price_list', label: t('catalogue.price_list'), placeholder: 'base' },
        { name: 'currency', label: t('deal.currency'), placeholder: 'RUB' },
        { name: 'price', label: t('catalogue.price'), inputmode: 'decimal' },
      ],
    },
  ];
}

/** Catalogue products on offer found by name or article prefix, as lookup options ("Стеллаж · ST-1"). */
export async function findProducts(q) {
  const { data } = await api.get('/api/v1/products', { query: { q, limit: 10 } });
  return data.items.map((p) => ({ value: p.id, label: [p.name, p.article].filter(Boolean).join(' · ') }));
}

/**
 * The lines editor of the deal card: the deal's VAT mode, and per line a catalogue product (search), a name, unit,
 * VAT rate, quantity, price and discount. A line naming a product takes what is left empty from it (the server's
 * rule: name, unit, rate, the base price in the deal's currency).
 */
export function lineFields(deal, unitList) {
  const chosen = deal.lines
    .filter((l) => l.product_id)
    .map((l) => ({ value: l.product_id, label: [l.product, l.article].filter(Boolean).join(' · ') }));
  return [
    {
      name: 'vat_mode',
      label: t('vat.mode'),
      type: 'select',
      options: VAT_MODES.map((value) => ({ value, label: t(`vat.mode.${value}`) })),
    },
    {
      name: 'lines',
      label: t('deal.lines'),
      type: 'list',
      addLabel: t('deal.line'),
      item: [
        {
          name: 'product_id',
          label: t('catalogue.product'),
          type: 'lookup',
          search: findProducts,
          searchLabel: t('catalogue.find'),
          options: [...new Map(chosen.map((o) => [o.value, o])).values()],
          empty: t('catalogue.free_text'),
        },
        { name: 'product', label: t('deal.product') },
        { name: 'unit_code', label: t('catalogue.unit'), type: 'select', options: unitOptions(unitList), empty: '—' },
        { name: 'vat_rate', label: t('vat.rate'), type: 'select', options: rateOptions(), empty: '—' },
        { name: 'quantity', label: t('deal.quantity'), inputmode: 'decimal' },
        { name: 'price', label: t('deal.price'), inputmode: 'decimal' },
        { name: 'discount_percent', label: t('deal.discount'), inputmode: 'decimal' },
      ],
    },
  ];
}

/**
 * The totals under the lines: "Итого … · в т.ч. НДС …" (included), "Сумма … · НДС сверху … · Всего …" (on top),
 * "Итого … · Без НДС" (exempt), with a row per VAT rate when the lines have several.
 */
export function vatTotals(deal) {
  const sum = (value) => money(value, deal.currency);
  const rates = deal.vat_by_rate.filter((r) => r.rate !== 'none' && r.rate !== '0');
  const perRate =
    rates.length > 1 &&
    h(
      'ul',
      { class: 'vat-rates' },
      rates.map((r) => h('li', {}, t(`vat.by_rate.${deal.vat_mode}`, { rate: r.rate, amount: sum(r.vat) }))),
    );
  if (deal.vat_mode === 'exempt') {
    return [h('strong', {}, `${t('deal.total')}: ${sum(deal.amount)}`), ' · ', h('span', {}, t('vat.exempt'))];
  }
  if (deal.vat_mode === 'on_top') {
    return [
      h('span', {}, `${t('vat.net')}: ${sum(deal.amount)}`),
      ' · ',
      h('span', {}, `${t('vat.on_top')}: ${sum(deal.vat_amount)}`),
      ' · ',
      h('strong', {}, `${t('vat.total_with_vat')}: ${sum(deal.total_with_vat)}`),
      perRate,
    ];
  }
  return [
    h('strong', {}, `${t('deal.total')}: ${sum(deal.amount)}`),
    ' · ',
    h('span', {}, `${t('vat.included')}: ${sum(deal.vat_amount)}`),
    perRate,
  ];
}
