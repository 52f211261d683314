// How tasks read, for the screens, the cards' panels and the reminders: type and result labels, due times in
// the user's time zone, overdue marks, and the names of the clients and deals a task is linked to.

import * as api from '../api.js';
import { h } from '../dom.js';
import { codeLabel, has, language, t } from '../i18n.js';
import { icon } from '../icons.js';

/** The browser's IANA zone: "today" is counted and due times are shown in it. */
export const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
/** The API filter of tasks still to be done. */
export const ACTIVE = 'status:in:open,in_progress';

const TYPE_ICONS = { call: 'phone', meeting: 'parties', email: 'email', todo: 'tasks' };
export const typeIcon = (code) => TYPE_ICONS[code] ?? 'tasks';

/** A code in the UI language, from `list` (the server's code list); without the list, the shipped translation. */
function labelIn(prefix, code, list) {
  const item = list?.find((candidate) => candidate.code === code);
  if (item) return codeLabel(item);
  return has(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : code;
}
export const typeLabel = (code, types) => labelIn('task.type', code, types);
export const resultLabel = (code, results) => labelIn('task.result', code, results);

const pad = (n) => String(n).padStart(2, '0');

/** A moment as ISO 8601 with the local offset (2026-11-27T10:00:00+03:00): what the API stores and shows back. */
export function isoLocal(date) {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day}T${time}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** Midnight `days` days from today (local), as ISO with offset: the bounds of "today" and "upcoming". */
export function dayStart(days = 0) {
  const date = new Date();
  date.setHours(0, 0, 0, 0);
  date.setDate(date.getDate() + days);
  return isoLocal(date);
}

/** The value of a datetime-local input ("2026-11-27T10:00") as ISO with offset; null for ''. */
export function fromLocalInput(value) {
  return value ? isoLocal(new Date(value)) : null;
}

/** An ISO moment as the value of a datetime-local input. */
export function toLocalInput(value) {
  if (!value) return '';
  const d = new Date(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const sameDay = (a, b) => a.toDateString() === b.toDateString();

/** "Today, 15:00", "Tomorrow, 10:00", "27 Nov, 10:00" (the year when it is not this one). */
export function dueText(value) {
  if (!value) return t('task.no_due');
  const due = new Date(value);
  const time = new Intl.DateTimeFormat(language(), { hour: '2-digit', minute: '2-digit' }).format(due);
  const now = new Date();
  const shift = (days) => new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  if (sameDay(due, now)) return t('task.due_today_at', { time });
  if (sameDay(due, shift(1))) return t('task.due_tomorrow_at', { time });
  if (sameDay(due, shift(-1))) return t('task.due_yesterday_at', { time });
  const options = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  if (due.getFullYear() !== now.getFullYear()) options.year = 'numeric';
  return new Intl.DateTimeFormat(language(), options).format(due);
}

/** The whole due moment with the weekday and the zone's offset ("Fri, 27 Nov 2026, 10:00 GMT+3"). */
export function dueFull(value) {
  if (!value) return t('task.no_due');
  return new Intl.DateTimeFormat(language(), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(value));
}

/** How long ago a deadline passed: "3 h", "2 d". */
export function lateBy(value) {
  const minutes = Math.max(1, Math.round((Date.now() - new Date(value).getTime()) / 60000));
  if (minutes < 60) return t('time.minutes', { minutes });
  if (minutes < 1440) return t('time.hours', { hours: Math.floor(minutes / 60) });
  return t('task.days', { count: Math.floor(minutes / 1440) });
}

/** The due time of a list row or panel line; an overdue one says so in words, not only in red. */
export function dueNode(task) {
  const open = task.status === 'open' || task.status === 'in_progress';
  return h(
    'span',
    { class: `due${task.overdue && open ? ' overdue' : ''}` },
    h(
      'time',
      { datetime: task.due_at || null, title: task.due_at ? dueFull(task.due_at) : null },
      dueText(task.due_at),
    ),
    task.overdue && open && h('span', { class: 'chip danger' }, t('task.overdue_by', { time: lateBy(task.due_at) })),
  );
}

/** Chips for what is not the usual: a high or urgent priority, a status other than open. */
export function taskChips(task) {
  return [
    task.status !== 'open' && h('span', { class: `chip task-status-${task.status}` }, t(`task.status.${task.status}`)),
    (task.priority === 'high' || task.priority === 'urgent') &&
      h('span', { class: `chip priority-${task.priority}` }, t(`task.priority.${task.priority}`)),
  ];
}

/** The type as an icon and a word. */
export function typeNode(code, types) {
  return h('span', { class: 'task-type' }, icon(typeIcon(code)), typeLabel(code, types));
}

/** Row highlight of lists: overdue tasks need attention, finished ones step back. */
export function taskRowClass(task) {
  if (task.overdue && (task.status === 'open' || task.status === 'in_progress')) return 'task-overdue';
  return task.status === 'done' || task.status === 'cancelled' ? 'task-closed' : '';
}

const LINK_PATHS = { party: '/parties/', deal: '/deals/' };

/** The name of a linked client or deal, asked once per session; '' when it is gone or hidden from you. */
export function linkName(link) {
  const path = LINK_PATHS[link.kind];
  if (!path) return Promise.resolve('');
  return api.cached(`/api/v1${path}${encodeURIComponent(link.id)}`).then(
    (record) => record.display_name ?? record.title ?? '',
    () => '',
  );
}

/** Links to the task's client and deal (names filled in as they arrive); other kinds are named by kind. */
export function linksNode(task) {
  if (!task.links.length) return null;
  const links = [...task.links].sort((a, b) => (a.kind === 'party' ? -1 : b.kind === 'party' ? 1 : 0));
  return h(
    'span',
    { class: 'task-links' },
    links.map((link) => {
      const path = LINK_PATHS[link.kind];
      if (!path) return h('span', { class: 'chip' }, t(`task.link.${link.kind}`));
      const anchor = h(
        'a',
        { href: `${path}${link.id}`, class: `task-link link-${link.kind}` },
        icon(link.kind === 'party' ? 'company' : 'deals'),
        h('span', {}, '…'),
      );
      linkName(link).then((name) => (anchor.lastChild.textContent = name || t('task.link_hidden')));
      return anchor;
    }),
  );
}
