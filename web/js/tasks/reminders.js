// Reminders in the header: a button with the user's overdue and due-today counts, which opens a short list of
// what is due (overdue first). The counts are one small request a minute (GET /tasks/counters), skipped while
// the tab is hidden and made at once when a task changes here. When something is due within the hour, its
// reminder (remind_before_minutes before the deadline) shows as a toast, once per task and session.

import * as api from '../api.js';
import { toast } from '../components/toast.js';
import { debounce, h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../icons.js';
import { onNavigate } from '../router.js';
import { ACTIVE, dayStart, dueNode, dueText, isoLocal, TIME_ZONE } from './format.js';

const INTERVAL = 60_000;
const SOON_EVERY = 5 * 60_000; // how often the next hour's tasks are asked for (reminder toasts)
const SOON_WINDOW = 60 * 60_000;
const REMINDED_KEY = 'crm.reminded';

export function remindersItem() {
  const listId = uid('reminders');
  const overdueCount = h('span', { class: 'reminder-count overdue', hidden: true });
  const todayCount = h('span', { class: 'reminder-count today', hidden: true });
  const button = h(
    'button',
    { type: 'button', class: 'icon-button reminders-button', 'aria-expanded': 'false', 'aria-controls': listId },
    icon('bell'),
    overdueCount,
    todayCount,
  );
  const list = h('div', { id: listId, class: 'reminders-popover', hidden: true });
  const el = h('div', { class: 'reminders', hidden: true }, button, list);
  let counts = null;
  let timer = null;
  let running = false;
  let lastPoll = 0;
  let lastSoon = 0;
  const scheduled = new Map(); // task id -> timeout of its reminder toast

  function relabel() {
    const label = counts
      ? t('reminders.label', { overdue: counts.overdue, today: counts.due_today })
      : t('reminders.title');
    button.setAttribute('aria-label', label);
    button.title = label;
    if (!list.hidden) fill();
  }

  function show(mine) {
    const changed = !counts || counts.overdue !== mine.overdue || counts.due_today !== mine.due_today;
    counts = mine;
    overdueCount.textContent = String(mine.overdue);
    overdueCount.hidden = !mine.overdue;
    todayCount.textContent = String(mine.due_today);
    todayCount.hidden = !mine.due_today;
    el.hidden = false;
    relabel();
    return changed;
  }

  async function poll() {
    clearTimeout(timer);
    if (!running) return;
    if (!document.hidden) {
      lastPoll = Date.now();
      try {
        const { data } = await api.get('/api/v1/tasks/counters', { query: { time_zone: TIME_ZONE } });
        delete el.dataset.stale;
        const changed = show(data.mine);
        if (data.mine.open && (changed || Date.now() - lastSoon > SOON_EVERY)) await scheduleReminders();
      } catch (error) {
        // A missed poll keeps the last counts on screen; the next one tries again (a 401 ends the session).
        el.dataset.stale = error?.status === 0 ? 'offline' : 'error';
      }
    }
    if (running) timer = setTimeout(poll, INTERVAL);
  }
  const pollSoon = debounce(poll, 500);

  // The next hour's tasks: each one's reminder is a toast at due_at - remind_before_minutes.
  async function scheduleReminders() {
    lastSoon = Date.now();
    const now = new Date();
    const { data } = await api.get('/api/v1/tasks', {
      query: {
        mine: true,
        filter: [ACTIVE, `due_at:gte:${isoLocal(now)}`, `due_at:lt:${isoLocal(new Date(+now + SOON_WINDOW))}`],
        sort: 'due_at',
        limit: 10,
      },
    });
    const reminded = new Set(JSON.parse(sessionStorage.getItem(REMINDED_KEY) || '[]'));
    for (const task of data.items) {
      if (!task.remind_before_minutes || reminded.has(task.id) || scheduled.has(task.id)) continue;
      const at = new Date(task.due_at).getTime() - task.remind_before_minutes * 60_000;
      scheduled.set(
        task.id,
        setTimeout(() => remind(task), Math.max(0, at - Date.now())),
      );
    }
  }

  function remind(task) {
    scheduled.delete(task.id);
    const reminded = new Set(JSON.parse(sessionStorage.getItem(REMINDED_KEY) || '[]'));
    reminded.add(task.id);
    sessionStorage.setItem(REMINDED_KEY, JSON.stringify([...reminded].slice(-200)));
    toast(
      [
        icon('bell'),
        ' ',
        t('reminders.toast'),
        ' ',
        h('a', { href: `/tasks/${task.id}` }, task.subject),
        ` — ${dueText(task.due_at)}`,
      ],
      { timeout: 0 },
    );
  }

  // The list behind the button: overdue and today's tasks, soonest first.
  async function fill() {
    replace(list, h('p', { class: 'muted', role: 'status' }, t('reminders.loading')));
    try {
      const { data } = await api.get('/api/v1/tasks', {
        query: { mine: true, filter: [ACTIVE, `due_at:lt:${dayStart(1)}`], sort: 'due_at', limit: 8 },
      });
      replace(
        list,
        h('h2', { class: 'reminders-title' }, t('reminders.title')),
        data.items.length
          ? h(
              'ul',
              { class: 'reminders-list' },
              data.items.map((task) =>
                h(
                  'li',
                  { class: task.overdue ? 'overdue' : '' },
                  h('a', { href: `/tasks/${task.id}` }, task.subject),
                  dueNode(task),
                ),
              ),
            )
          : h('p', { class: 'muted' }, t('reminders.none')),
        h(
          'p',
          { class: 'reminders-more' },
          h('a', { href: '/tasks' }, t('reminders.all')),
          counts?.overdue > 0 && h('a', { href: '/tasks?due=overdue' }, t('reminders.overdue', counts)),
        ),
      );
    } catch {
      replace(list, h('p', { role: 'alert' }, t('reminders.failed')));
    }
  }

  function setOpen(open) {
    list.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) fill();
  }
  button.addEventListener('click', () => setOpen(list.hidden));
  el.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !list.hidden) {
      setOpen(false);
      button.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (!list.hidden && !el.contains(event.target)) setOpen(false);
  });
  el.addEventListener('focusout', (event) => {
    if (!list.hidden && event.relatedTarget && !el.contains(event.relatedTarget)) setOpen(false); // tabbed away
  });
  list.addEventListener('click', (event) => {
    if (event.target.closest('a')) setOpen(false);
  });

  function start() {
    running = true;
    poll();
  }
  function stop() {
    running = false;
    clearTimeout(timer);
    for (const pending of scheduled.values()) clearTimeout(pending);
    scheduled.clear();
    counts = null;
    el.hidden = true;
    setOpen(false);
  }
  // Counting starts after the first signed-in page is ready, so it never delays that page.
  onNavigate(({ page }) => {
    if (!page.public && api.session.active && !running) start();
    if (!list.hidden) setOpen(false);
  });
  api.session.onEnd(stop);
  document.addEventListener('visibilitychange', () => {
    if (running && !document.hidden && Date.now() - lastPoll >= INTERVAL) poll();
  });
  addEventListener('crm:tasks-changed', () => running && pollSoon());

  relabel();
  return { el, relabel };
}
