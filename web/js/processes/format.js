// How business processes read, for their screens, the deal card's panel and the task card: statuses, step types,
// triggers, durations, the record an instance is about, and who may see the monitoring (admins).

import { isAdmin } from '../access.js';
import * as api from '../api.js';
import { h } from '../dom.js';
import { has, localName, t } from '../i18n.js';
import { icon } from '../icons.js';
import { linkName } from '../tasks/format.js';

export const instanceHref = (id) => `/processes/instances/${encodeURIComponent(id)}`;
export const definitionHref = (key) => `/processes/definitions/${encodeURIComponent(key)}`;

/** "Running", "Failed"...; a status the client does not know yet stays as the server wrote it. */
export function statusLabel(status) {
  return has(`process.status.${status}`) ? t(`process.status.${status}`) : status;
}

/** The status as a chip (a running instance needs none, unless it is late). */
export function statusChips(instance) {
  return [
    instance.status !== 'running' &&
      h('span', { class: `chip process-status-${instance.status}` }, statusLabel(instance.status)),
    instance.late && h('span', { class: 'chip danger' }, t('process.late')),
  ];
}

export function stepTypeLabel(type) {
  return has(`process.step_type.${type}`) ? t(`process.step_type.${type}`) : type;
}

/** What starts a definition: "Started by hand", or the event (and its condition, when it has one). */
export function triggerText(definition) {
  if (definition.trigger_event === 'manual') return t('process.trigger.manual');
  const event = has(`timeline.type.${definition.trigger_event}`)
    ? `${t(`timeline.type.${definition.trigger_event}`)} (${definition.trigger_event})`
    : definition.trigger_event;
  return definition.trigger_condition ? `${event} · ${definition.trigger_condition}` : event;
}

/** A time spent in a step: "40 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function durationText(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('time.seconds', { seconds: s });
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return t('time.minutes', { minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24)
    return minutes % 60 ? t('time.hours_minutes', { hours, minutes: minutes % 60 }) : t('time.hours', { hours });
  return t('time.days_hours', { days: Math.floor(hours / 24), hours: hours % 24 });
}

/** The step an instance stands at (or stopped at): its name, else its id. */
export function currentRun(instance) {
  return instance.steps.findLast((run) => !run.left_at) ?? instance.steps.at(-1);
}

export const stepTitle = (run) => localName(run, 'step_name') || run?.step_id || '';

const RECORD_PATHS = { deal: '/deals/', party: '/parties/' };

/** A link to the deal or client an instance is about; its name is filled in when it arrives. */
export function recordLink(kind, id) {
  if (!id) return h('span', { class: 'muted' }, t('process.no_record'));
  const path = RECORD_PATHS[kind];
  if (!path) return h('span', {}, `${kind} ${id}`);
  const name = h('span', {}, '…');
  linkName({ kind, id }).then((text) => (name.textContent = text || t('task.link_hidden')));
  return h(
    'a',
    { href: `${path}${encodeURIComponent(id)}`, class: `task-link link-${kind}` },
    icon(kind === 'party' ? 'company' : 'deals'),
    name,
  );
}

/**
 * The process a task belongs to, for the task card: {instance, admin}; `instance` is null when the caller may not
 * read it (only admins and whoever started it may: the others get a 404, which is no error here).
 */
export async function taskProcess(task, signal) {
  if (!task.process_instance_id) return null;
  const [admin, instance] = await Promise.all([
    isAdmin(),
    api.get(`/api/v1/process-instances/${encodeURIComponent(task.process_instance_id)}`, { signal }).then(
      (response) => response.data,
      (error) => {
        if (error.status === 404 || error.status === 403) return null;
        throw error;
      },
    ),
  ]);
  return { admin, instance };
}

/** "Onboarding — step Kick-off call": a link to the instance for admins, text for the others. */
export function taskProcessNode(task, { admin, instance }) {
  const run = instance?.steps.find((r) => r.step_id === task.process_step_id);
  const step = stepTitle(run) || task.process_step_id;
  if (!instance) return h('span', { class: 'task-process' }, t('task.process_step', { step }));
  const text = t('task.process_named', {
    name: localName(instance, 'definition_name') || instance.definition_key,
    step,
  });
  return admin
    ? h('a', { href: instanceHref(instance.id), class: 'task-process' }, icon('processes'), text)
    : h('span', { class: 'task-process' }, text);
}
