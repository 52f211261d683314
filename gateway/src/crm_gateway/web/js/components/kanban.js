// A kanban board (deal stages, ticket states, task statuses). Cards move by drag and drop with a mouse,
// and by the card's "move to" select with a keyboard, a screen reader or a finger (touch browsers have
// no HTML drag and drop). The move shows at once and is rolled back if onMove fails.

import { h, uid } from '../dom.js';
import { t } from '../i18n.js';
import { toastError } from './toast.js';

/**
 * kanban({label, columns: [{id, title}], items, columnOf(item), key(item), render(item), onMove(item, columnId)})
 * -> {el}; onMove returns a promise (reject to undo the move).
 */
export function kanban({ label, columns, items, columnOf, key = (item) => item.id, render, onMove }) {
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const lists = new Map();
  const board = h(
    'div',
    { class: 'kanban', role: 'group', 'aria-label': label },
    columns.map((column) => {
      const headingId = uid('col');
      const list = h('ol', { class: 'kanban-cards', 'aria-labelledby': headingId, dataset: { column: column.id } });
      lists.set(column.id, list);
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
        { class: 'kanban-column' },
        h('h3', { id: headingId }, column.title, h('span', { class: 'kanban-count' })),
        list,
      );
    }),
    announcer,
  );
  const byKey = new Map(items.map((item) => [String(key(item)), item]));

  function card(item) {
    const select = h(
      'select',
      { 'aria-label': t('kanban.move_to'), class: 'kanban-move' },
      columns.map((c) => h('option', { value: c.id }, c.title)),
    );
    const el = h(
      'li',
      { class: 'kanban-card', draggable: 'true', dataset: { key: String(key(item)) } },
      render(item),
      select,
    );
    select.addEventListener('change', () => move(el, select.value));
    el.addEventListener('dragstart', (event) => event.dataTransfer.setData('text/plain', el.dataset.key));
    return el;
  }

  async function move(el, columnId) {
    const from = el.parentElement;
    const to = lists.get(columnId);
    if (from === to) return;
    to.prepend(el);
    sync();
    const title = columns.find((c) => c.id === columnId).title;
    try {
      await onMove(byKey.get(el.dataset.key), columnId);
      announcer.textContent = t('kanban.moved', { column: title });
    } catch (error) {
      from.prepend(el);
      sync();
      toastError(error);
    }
  }

  // Counts in the headings and each card's select follow where the cards are.
  function sync() {
    for (const [columnId, list] of lists) {
      list.closest('.kanban-column').querySelector('.kanban-count').textContent = ` ${list.children.length}`;
      for (const select of list.querySelectorAll('.kanban-move')) select.value = columnId;
    }
  }

  for (const item of items) lists.get(columnOf(item))?.append(card(item));
  sync();
  return { el: board };
}
