// What the helpdesk screens share: the codes of the service (statuses and where each may go, priorities,
// categories, channels, SLA states) with their labels, the names of shipped queues and policies in the UI
// language, SLA badges with due times in the user's zone and minutes left, business durations said humanly
// ("4 ч", "1 раб. день"), the directory, and the "someone changed it" answer to a 412.

import * as api from '../../api.js';
import { toast } from '../../components/toast.js';
import { h } from '../../dom.js';
import { has, t } from '../../i18n.js';
import { dueFull, dueText } from '../../tasks/format.js';

export const STATUSES = ['new', 'open', 'pending_customer', 'resolved', 'closed', 'reopened'];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
export const CATEGORIES = ['question', 'incident', 'problem', 'request', 'complaint'];
export const CHANNELS = ['phone', 'email', 'portal', 'api'];
export const SLA_STATES = ['breached', 'warning', 'on_track', 'paused', 'met', 'missed', 'none'];
export const STRATEGIES = ['manual', 'round_robin', 'least_loaded'];
export const TIERS = ['standard', 'premium', 'vip'];
/** Where staff may move a ticket from each status (crm_helpdesk.domain.TRANSITIONS). */
export const TRANSITIONS = {
  new: ['open', 'pending_customer', 'resolved', 'closed'],
  open: ['pending_customer', 'resolved', 'closed'],
  pending_customer: ['open', 'resolved', 'closed'],
  resolved: ['reopened', 'closed'],
  closed: ['reopened'],
  reopened: ['open', 'pending_customer', 'resolved', 'closed'],
};
/** A working day of the business calendar, in minutes (9:00-18:00): SLA targets count these. */
export const WORKDAY_MINUTES = 540;

export const statusLabel = (code) => t(`helpdesk.status.${code}`);
export const priorityLabel = (code) => t(`helpdesk.priority.${code}`);
export const categoryLabel = (code) => t(`helpdesk.category.${code}`);
export const channelLabel = (code) => t(`helpdesk.channel.${code}`);
export const slaStateLabel = (code) => t(`helpdesk.sla_state.${code}`);
export const options = (codes, label) => codes.map((code) => ({ value: code, label: label(code) }));

// The priority, category and queue fields of a ticket's forms (new and edit); `autoQueue` labels an empty queue.
export const routingFields = (queueList, autoQueue) => [
  {
    name: 'priority',
    label: t('helpdesk.field.priority'),
    type: 'select',
    options: options(PRIORITIES, priorityLabel),
  },
  {
    name: 'category',
    label: t('helpdesk.field.category'),
    type: 'select',
    options: options(CATEGORIES, categoryLabel),
  },
  {
    name: 'queue_id',
    label: t('helpdesk.field.queue'),
    type: 'select',
    ...(autoQueue ? { empty: autoQueue } : {}),
    options: queueList.map((q) => ({ value: q.id, label: queueName(q) })),
  },
];

/** A shipped queue or policy by its key's translation (helpdesk.queue.general), any other by the name given. */
export const queueName = (queue) =>
  queue &&
  (queue.shipped_key && has(`helpdesk.queue.${queue.shipped_key}`)
    ? t(`helpdesk.queue.${queue.shipped_key}`)
    : queue.name);
export const policyName = (policy) =>
  policy.shipped_key && has(`helpdesk.sla.${policy.shipped_key}`)
    ? t(`helpdesk.sla.${policy.shipped_key}`)
    : policy.name;

export const me = () => api.cached('/api/v1/me');
export const users = () => api.cached('/api/v1/users');
export const queues = (signal) =>
  api.get('/api/v1/helpdesk/queues', { signal }).then(({ data }) => data.filter((queue) => !queue.archived));

/** A user's name from the directory ('' when unknown). */
export const nameOf = (list, id) => list.find((user) => user.id === id)?.display_name ?? '';

/** "№ 17" / "#17". */
export const ticketNumber = (ticket) => t('helpdesk.number', { number: ticket.number });

export const statusBadge = (code) => h('span', { class: 'hd-status', dataset: { status: code } }, statusLabel(code));
export const priorityChip = (code) =>
  h('span', { class: 'hd-priority', dataset: { priority: code } }, priorityLabel(code));

/** Minutes as people say them: "45 мин", "3 ч", "3 ч 20 мин" (the sign dropped). */
export function formatMinutes(minutes) {
  const m = Math.abs(Math.round(minutes));
  if (m < 60) return t('time.minutes', { minutes: m });
  const hours = Math.floor(m / 60);
  return m % 60 ? t('time.hours_minutes', { hours, minutes: m % 60 }) : t('time.hours', { hours });
}

/** An SLA target in business minutes, humanly: whole working days as "1 раб. день", else hours and minutes. */
export function businessDuration(minutes) {
  if (minutes > 0 && minutes % WORKDAY_MINUTES === 0)
    return t('helpdesk.workdays', { count: minutes / WORKDAY_MINUTES });
  return formatMinutes(minutes);
}

/** The target a ticket is racing now: the first response until it is given, then the resolution. */
export function currentTarget(ticket) {
  const first = ticket.first_response;
  if (first?.due_at && !first.met_at) return ['first_response', first];
  return ['resolution', ticket.resolution];
}

/** What is left of a target in a list row: "осталось 45 мин", "просрочено на 15 мин" (a paused one's badge says so). */
export function leftText(state, target) {
  if (state === 'met' || state === 'missed' || state === 'none' || !target?.due_at) return '';
  return target.minutes_left < 0 || state === 'breached'
    ? t('helpdesk.sla_late', { time: formatMinutes(target.minutes_left) })
    : t('helpdesk.sla_left', { time: formatMinutes(target.minutes_left) });
}

/** A state as a coloured badge (the colour is not the only sign: the state is written). */
export const slaStateBadge = (state) =>
  h('span', { class: 'sla-badge', dataset: { state } }, slaStateLabel(state || 'none'));

/** A ticket's SLA in a list row: the state badge, the target it races, its due time and what is left. */
export function slaCell(ticket) {
  const [name, target] = currentTarget(ticket);
  const state = ticket.sla_state || 'none';
  if (state === 'none') return h('span', { class: 'muted' }, slaStateLabel('none'));
  const active = target?.due_at && !target.met_at;
  return h(
    'span',
    { class: 'sla-cell' },
    slaStateBadge(state),
    active &&
      h(
        'span',
        { class: 'sla-due' },
        `${t(`helpdesk.target.${name}`)}: `,
        h('time', { datetime: target.due_at, title: dueFull(target.due_at) }, dueText(target.due_at)),
      ),
    active && h('span', { class: 'sla-left' }, leftText(state, target)),
  );
}

/** After a 412: the fresh ticket is shown and the user told to look again before repeating the action. */
export function conflictToast() {
  toast(t('helpdesk.conflict'), { kind: 'error' });
}
