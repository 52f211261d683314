// Charts as plain HTML bars: readable by screen readers (the labels and numbers are text), crisp at
// any width, no library. Bar lengths are set through the CSSOM, which the Content-Security-Policy allows.

import { h } from '../dom.js';
import { formatNumber, t } from '../i18n.js';

/** Horizontal bars, longest first: barChart({title, items: [{label, value}], limit}). */
export function barChart({ title, items, limit = 10 }) {
  const shown = [...items].sort((a, b) => b.value - a.value).slice(0, limit);
  const max = Math.max(1, ...shown.map((i) => i.value));
  return figure(
    title,
    shown.length
      ? h(
          'ul',
          { class: 'bar-chart' },
          shown.map((item) =>
            h(
              'li',
              {},
              h('span', { class: 'bar-label' }, item.label),
              h('span', { class: 'bar-track' }, bar(item.value / max)),
              h('span', { class: 'bar-value' }, formatNumber(item.value)),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('chart.no_data')),
  );
}

/** Vertical columns in a fixed order (months, stages): columnChart({title, items: [{label, value}]}). */
export function columnChart({ title, items }) {
  const max = Math.max(1, ...items.map((i) => i.value));
  const total = items.reduce((sum, i) => sum + i.value, 0);
  return figure(
    title,
    total
      ? h(
          'ol',
          { class: 'column-chart' },
          items.map((item) =>
            h(
              'li',
              { title: `${item.label}: ${formatNumber(item.value)}` },
              h('span', { class: 'column-value' }, item.value ? formatNumber(item.value) : ''),
              h('span', { class: 'column-track' }, bar(item.value / max, 'height')),
              h('span', { class: 'column-label' }, item.label),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('chart.no_data')),
  );
}

/**
 * Columns side by side per label (forecast against fact per month):
 * pairedColumnChart({title, series: [label, label], items: [{label, values: [a, b]}]}).
 */
export function pairedColumnChart({ title, series, items }) {
  const max = Math.max(1, ...items.flatMap((i) => i.values));
  const total = items.reduce((sum, i) => sum + i.values.reduce((a, b) => a + b, 0), 0);
  const legend = h(
    'p',
    { class: 'chart-legend' },
    series.map((name, n) => h('span', { class: `legend-item series-${n}` }, name)),
  );
  return figure(
    title,
    total
      ? [
          legend,
          h(
            'ol',
            { class: 'column-chart paired' },
            items.map((item) =>
              h(
                'li',
                { title: `${item.label}: ${item.values.map((v, n) => `${series[n]} ${formatNumber(v)}`).join(', ')}` },
                h(
                  'span',
                  { class: 'column-track' },
                  item.values.map((v, n) => {
                    const el = bar(v / max, 'height');
                    el.classList.add(`series-${n}`);
                    return el;
                  }),
                ),
                h('span', { class: 'column-label' }, item.label),
              ),
            ),
          ),
        ]
      : h('p', { class: 'muted' }, t('chart.no_data')),
  );
}

/** A big number with a caption (counts on the dashboard). */
/** A figure with its label; `capped` says the figure is a lower bound ("more than 10 000"). */
export function stat({ label, value, href, capped = false }) {
  const shown = capped ? t('count.more_than', { count: value }) : formatNumber(value);
  const body = [h('span', { class: 'stat-value' }, shown), h('span', { class: 'stat-label' }, label)];
  return href ? h('a', { class: 'stat', href }, body) : h('div', { class: 'stat' }, body);
}

function bar(share, dimension = 'width') {
  const el = h('span', { class: 'bar' });
  el.style.setProperty(dimension, `${Math.max(share * 100, share > 0 ? 2 : 0)}%`);
  return el;
}

function figure(title, content) {
  return h('figure', { class: 'chart' }, h('figcaption', {}, title), content);
}
