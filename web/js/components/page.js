// The parts of a screen's frame: its heading with a toolbar, a section's own tabs, titled panels.

import { h, uid } from '../dom.js';

/** A page's heading (focused by the router after navigation) with its toolbar. */
export function pageHead(title, ...toolbar) {
  return h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, title), h('div', { class: 'toolbar' }, toolbar));
}

/** A section's own navigation: tabs([[id, href, label]], current, label); the current one has aria-current. */
export function tabs(items, current, label) {
  return h(
    'nav',
    { class: 'tabs', 'aria-label': label },
    items.map(([id, href, text]) => h('a', { href, 'aria-current': id === current ? 'page' : null }, text)),
  );
}

/** A titled panel (`id` becomes data-section, for tests and styles); `actions` go beside the title. */
export function panel(id, title, content, actions = null) {
  const headingId = uid(id);
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': headingId, dataset: { section: id } },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: headingId }, title),
      actions && h('div', { class: 'toolbar' }, actions),
    ),
    h('div', { class: 'panel-body' }, content),
  );
}
