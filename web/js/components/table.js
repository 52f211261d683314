// A data table: sortable headers (aria-sort), cells labelled for the phone layout (each row becomes a card), or,
// `compact`, one or two lines per row on a phone (the primary cell and the row's actions, then the rest).

import { h } from '../dom.js';
import { t } from '../i18n.js';

/**
 * dataTable({columns, caption, sort, onSort, emptyText, rowClass, compact}) -> {el, setRows(rows, {append}), setSort(sort)}
 * columns: [{key, label, render(row) -> node|string, sortKey?, className?}]; sort: 'name' or '-name';
 * rowClass(row) -> class names of a row (to highlight rows that need attention).
 */
export function dataTable({ columns, caption, sort = '', onSort, emptyText, rowClass, compact = false }) {
  const headRow = h('tr');
  const body = h('tbody');
  const el = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: compact ? 'data-table compact' : 'data-table' },
      caption && h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, headRow),
      body,
    ),
  );

  function renderHead() {
    headRow.replaceChildren(
      ...columns.map((column) => {
        if (!column.sortKey || !onSort) return h('th', { scope: 'col', class: column.className }, column.label);
        const active = sort.replace(/^-/, '') === column.sortKey;
        const descending = sort.startsWith('-');
        const next = active && !descending ? `-${column.sortKey}` : column.sortKey;
        return h(
          'th',
          {
            scope: 'col',
            class: column.className,
            'aria-sort': active ? (descending ? 'descending' : 'ascending') : 'none',
          },
          h(
            'button',
            { type: 'button', class: 'sort-button', onClick: () => onSort(next) },
            column.label,
            h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (descending ? ' ↓' : ' ↑') : ''),
          ),
        );
      }),
    );
  }

  function row(item) {
    return h(
      'tr',
      { class: rowClass?.(item) || null },
      columns.map((column) =>
        h(
          'td',
          { class: column.className, dataset: { label: column.label } },
          column.render ? column.render(item) : item[column.key],
        ),
      ),
    );
  }

  renderHead();
  return {
    el,
    setRows(rows, { append = false } = {}) {
      if (!append) body.replaceChildren();
      body.append(...rows.map(row));
      if (!body.children.length)
        body.append(h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, emptyText ?? t('list.empty'))));
    },
    prependRow(item) {
      body.querySelector('tr.empty')?.remove();
      const tr = row(item);
      tr.classList.add('highlight');
      body.prepend(tr);
    },
    setSort(value) {
      sort = value;
      renderHead();
    },
  };
}
