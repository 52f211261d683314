// The relationship timeline: entries of every domain, newest first, each drawn by the renderer its
// type or source registered (registry.registerTimelineRenderer) from the entry's `data` (its event's payload),
// in the reader's language and time zone, or by a generic fallback (entries projected before `data` was kept,
// types no domain claims): a translated type name and the server's English summary.
// Entries are projected from events asynchronously, so after a change the timeline polls for a while.

import { h, sleep } from '../dom.js';
import { icon } from '../icons.js';
import { formatDate, formatRelative, has, localName, t } from '../i18n.js';
import { timelineRenderer } from '../registry.js';
import { toastError } from './toast.js';

const POLL_DELAYS = [300, 500, 800, 1200, 2000, 3000, 5000]; // ~13 s in all

/**
 * timeline({load(cursor, signal) -> {items, next_cursor}, actorName(id) -> string, signal})
 *   -> {el, load(signal), expectNew(type)}; `signal` (the page's) stops polling when the page is left.
 */
export function timeline({ load, actorName = () => '', signal: pageSignal }) {
  let cursor = '';
  let shown = new Set(); // ids of the entries on screen
  let polling = null;
  const list = h('ol', { class: 'timeline' });
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const more = h(
    'button',
    { type: 'button', class: 'button small', hidden: true, onClick: () => fetchPage(true).catch(toastError) },
    t('list.more'),
  );
  const el = h('div', { class: 'timeline-wrap' }, status, list, more);

  async function fetchPage(append, requestSignal) {
    const page = await load(append ? cursor : '', requestSignal);
    cursor = page.next_cursor;
    more.hidden = !cursor;
    if (!append) {
      list.replaceChildren();
      shown = new Set();
    }
    for (const entry of page.items) shown.add(entry.id);
    list.append(...page.items.map((entry) => item(entry, actorName)));
    if (!list.children.length) list.append(h('li', { class: 'muted empty' }, t('timeline.empty')));
    return page;
  }

  return {
    el,
    load: (requestSignal) => fetchPage(false, requestSignal),
    /** After a change: poll until a new entry of `type` (the change's event) is on the timeline. */
    async expectNew(type) {
      polling?.abort();
      const controller = new AbortController();
      polling = controller;
      pageSignal?.addEventListener('abort', () => controller.abort(), { once: true });
      const before = new Set(shown);
      status.textContent = t('timeline.updating');
      try {
        for (const delay of POLL_DELAYS) {
          await sleep(delay, controller.signal);
          const page = await fetchPage(false, controller.signal);
          if (page.items.some((entry) => entry.type === type && !before.has(entry.id))) break;
        }
      } catch (error) {
        if (!controller.signal.aborted) toastError(error);
      } finally {
        if (polling === controller) status.textContent = '';
      }
    },
  };
}

function item(entry, actorName) {
  const look = (entry.data && timelineRenderer(entry)?.(entry, actorName)) || generic(entry);
  const actor = author(entry, actorName);
  return h(
    'li',
    { class: `timeline-item source-${entry.source}`, dataset: { type: entry.type } },
    h('span', { class: 'timeline-icon' }, icon(look.icon ?? 'event')),
    h(
      'div',
      { class: 'timeline-body' },
      h('p', { class: 'timeline-title' }, look.href ? h('a', { href: look.href }, look.title) : look.title),
      look.text && h('p', { class: 'timeline-text' }, look.text),
      h(
        'p',
        { class: 'timeline-meta' },
        h(
          'time',
          { datetime: entry.occurred_at, title: formatDate(entry.occurred_at) },
          formatRelative(entry.occurred_at),
        ),
        actor && ` · ${actor}`,
      ),
    ),
  );
}

// The process events' own payloads name their process in `name`; a task a process created or cancelled and a
// process step's signal carry it as `process_name`.
const PROCESS_EVENTS = new Set(['process.started', 'process.completed', 'process.failed', 'process.cancelled']);

/** Who made the entry: a process by its name, the platform's own actions as "system", else the user. */
export function author(entry, actorName) {
  const process =
    localName(entry.data, 'process_name') || (PROCESS_EVENTS.has(entry.type) && localName(entry.data, 'name'));
  if (process) return t('timeline.actor.process', { name: process });
  if (!entry.actor_id) return '';
  return entry.actor_id === 'system' ? t('timeline.actor.system') : actorName(entry.actor_id);
}

// Unknown types still read in the UI language: a translated title (never a raw code), the summary under it.
function generic(entry) {
  const key = `timeline.type.${entry.type}`;
  return {
    icon: entry.source,
    title: has(key) ? t(key) : t('timeline.type.other'),
    text: entry.summary,
  };
}
