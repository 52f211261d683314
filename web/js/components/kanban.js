// A kanban board (deal stages, ticket states, task statuses). Cards move by drag and drop with a mouse,
// and by the card's "move to" select with a keyboard, a screen reader or a finger (touch browsers have
// no HTML drag and drop). Where a mouse can drag, the select stays hidden until the card is reached with the
// keyboard (Tab onto the card shows it). The move shows at once and is rolled back if onMove fails.

import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { toastError } from './toast.js';

/**
 * kanban({label, columns: [{id, title, count?, info?, footer?}], items, columnOf(item), key(item), render(item),
 *   onMove(item, columnId)}) -> {el, add(columnId, items), setInfo(columnId, node)}.
 * onMove returns a promise: reject to undo the move (an error named AbortError undoes it silently), or
 * resolve with the item as it is now to redraw its card. A column's `count` is the total the server counts
 * (more than the cards shown when they come in pages; moves adjust it), else the cards are counted;
 * `info` (sums, say) shows under the heading, `footer` (a "load more" button) under the cards.
 */
export function kanban({ label, columns, items, columnOf, key = (item) => item.id, render, onMove }) {
  // A finger (or a pen) cannot drag HTML elements: the select is its only way to move a card.
  const dragless = matchMedia('(pointer: coarse)').matches || !matchMedia('(any-pointer: fine)').matches;
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const lists = new Map();
  const counts = new Map(columns.filter((c) => c.count != null).map((c) => [c.id, c.count]));
  const infos = new Map();
  const board = h(
    'div',
    { class: 'kanban', role: 'group', 'aria-label': label },
    columns.map((column) => {
      const headingId = uid('col');
      const list = h('ol', { class: 'kanban-cards', 'aria-labelledby': headingId, dataset: { column: column.id } });
      const info = h('div', { class: 'kanban-info' }, column.info);
      lists.set(column.id, list);
      infos.set(column.id, info);
      list.addEventListener('dragover', (event) => (event.preventDefault(), list.classList.add('drop')));
      list.addEventListener('dragleave', () => list.classList.remove('drop'));
      list.addEventListener('drop', (event) => {
        event.preventDefault();
        list.classList.remove('drop');
        const dragged = board.querySelector(`[data-key="${CSS.escape(event.dataTransfer.getData('text/plain'))}"]`);
        if (dragged) move(dragged, column.id);
      });
      return h(
        'section',
        { class: 'kanban-column', dataset: { column: column.id } },
        h('h3', { id: headingId }, column.title, h('span', { class: 'kanban-count' })),
        info,
        list,
        column.footer,
      );
    }),
    announcer,
  );
  const byKey = new Map();

  function card(item) {
    byKey.set(String(key(item)), item);
    const select = h(
      'select',
      { 'aria-label': t('kanban.move_to'), class: 'kanban-move', hidden: !dragless },
      columns.map((c) => h('option', { value: c.id }, c.title)),
    );
    // Where the select hides, the card itself is a tab stop, so a keyboard always reaches its select.
    const el = h(
      'li',
      { class: 'kanban-card', draggable: 'true', tabindex: dragless ? null : '0', dataset: { key: String(key(item)) } },
      render(item),
      select,
    );
    select.addEventListener('change', () => move(el, select.value));
    if (!dragless) {
      // Keyboard users get the select when they reach the card (a mouse click does not match :focus-visible).
      el.addEventListener('focusin', (event) => {
        if (event.target.matches(':focus-visible')) select.hidden = false;
      });
      el.addEventListener('focusout', (event) => {
        if (!el.contains(event.relatedTarget)) select.hidden = true;
      });
    }
    el.addEventListener('dragstart', (event) => event.dataTransfer.setData('text/plain', el.dataset.key));
    return el;
  }

  async function move(el, columnId) {
    const from = el.parentElement;
    const to = lists.get(columnId);
    if (from === to) return;
    const fromId = from.dataset.column;
    to.prepend(el);
    shift(fromId, columnId);
    const title = columns.find((c) => c.id === columnId).title;
    try {
      const updated = await onMove(byKey.get(el.dataset.key), columnId);
      if (updated) {
        const fresh = card(updated);
        const focused = el.contains(document.activeElement);
        el.replaceWith(fresh);
        if (focused) {
          const moveSelect = fresh.querySelector('.kanban-move');
          moveSelect.hidden = false;
          moveSelect.focus();
        }
        sync();
      }
      announcer.textContent = t('kanban.moved', { column: title });
    } catch (error) {
      from.prepend(el);
      shift(columnId, fromId);
      if (error?.name !== 'AbortError') toastError(error);
    }
  }

  function shift(fromId, toId) {
    if (counts.has(fromId)) counts.set(fromId, counts.get(fromId) - 1);
    if (counts.has(toId)) counts.set(toId, counts.get(toId) + 1);
    sync();
  }

  // Counts in the headings and each card's select follow where the cards are.
  function sync() {
    for (const [columnId, list] of lists) {
      const count = counts.get(columnId) ?? list.children.length;
      list.closest('.kanban-column').querySelector('.kanban-count').textContent = ` ${count}`;
      for (const select of list.querySelectorAll('.kanban-move')) select.value = columnId;
    }
  }

  for (const item of items) lists.get(columnOf(item))?.append(card(item));
  sync();
  return {
    el: board,
    /** Append cards to a column (its next page). */
    add(columnId, more) {
      lists.get(columnId).append(...more.filter((item) => !byKey.has(String(key(item)))).map(card));
      sync();
    },
    /** Replace what shows under a column's heading. */
    setInfo(columnId, node) {
      replace(infos.get(columnId), node);
    },
  };
}
