// What the task screens share: reference data (types, result codes, people), the screens' tabs and counters,
// and the fields of a task as the forms show them (names are the API's JSON paths, so the server's validation
// messages land next to the right input).

import * as api from '../../api.js';
import { stat } from '../../components/chart.js';
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { dayStart, fromLocalInput, resultLabel, toLocalInput, typeLabel } from '../format.js';

// Archived codes too: existing tasks keep them (typeOptions and resultOptions offer only the active ones).
export const taskTypes = () => api.cached('/api/v1/task-types', { include_archived: true });
export const taskResults = () => api.cached('/api/v1/task-results', { include_archived: true });
export const users = () => api.cached('/api/v1/users');
export const me = () => api.cached('/api/v1/me');
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const REMIND_BEFORE = [0, 5, 15, 30, 60, 120, 1440];

/** A user's display name, '' when unknown. */
export function nameOf(list, id) {
  return list.find((user) => user.id === id)?.display_name ?? '';
}

/**
 * People a task is given to: you and the people of your teams (and whoever `chosen` names already), as options.
 * Everybody in the directory would be a list of hundreds; work is shared within teams.
 */
export function peopleOptions({ all, self }, chosen = []) {
  const mine = new Set(self.team_ids);
  const wanted = new Set(chosen.filter(Boolean));
  const options = all
    .filter((u) => u.id === self.id || wanted.has(u.id) || (u.active && u.team_ids.some((team) => mine.has(team))))
    .map((u) => ({ value: u.id, label: u.id === self.id ? t('task.me', { name: u.display_name }) : u.display_name }));
  return options.sort((a, b) => (a.value === self.id ? -1 : b.value === self.id ? 1 : a.label.localeCompare(b.label)));
}

/** The directory and you, for peopleOptions. */
export async function people() {
  const [all, self] = await Promise.all([users(), me()]);
  return { all, self };
}

export function typeOptions(types, current) {
  return types
    .filter((type) => !type.archived || type.code === current)
    .map((type) => ({ value: type.code, label: typeLabel(type.code, types) }));
}

export function resultOptions(results) {
  return results
    .filter((result) => !result.archived)
    .map((result) => ({ value: result.code, label: resultLabel(result.code, results) }));
}

const priorityOptions = () => PRIORITIES.map((p) => ({ value: p, label: t(`task.priority.${p}`) }));

/** "Tomorrow at 10:00" as the value of a datetime-local input: the usual time of a next call. */
export function tomorrowMorning() {
  const date = new Date(dayStart(1));
  date.setHours(10);
  return toLocalInput(date.toISOString());
}

/** The fields of a task to plan: type, subject, due time, priority, assignee; `prefix` nests them (next_task.). */
export function planFields({ types, team, prefix = '' }) {
  return [
    { name: `${prefix}type`, label: t('task.type'), type: 'select', options: typeOptions(types), required: true },
    { name: `${prefix}subject`, label: t('task.subject'), required: true, wide: true },
    {
      name: `${prefix}due_at`,
      label: t('task.due'),
      type: 'datetime-local',
      hint: t('task.time_zone_hint', { zone: Intl.DateTimeFormat().resolvedOptions().timeZone }),
    },
    { name: `${prefix}priority`, label: t('task.priority'), type: 'select', options: priorityOptions() },
    { name: `${prefix}assignee_id`, label: t('task.assignee'), type: 'select', options: team },
  ];
}

async function findParties(q) {
  const { data } = await api.get('/api/v1/parties', { query: { q, limit: 10, sort: q ? 'relevance' : '-updated_at' } });
  return data.items.map((p) => ({ value: p.id, label: p.display_name }));
}

async function findDeals(q) {
  const { data } = await api.get('/api/v1/deals', { query: { q, limit: 10, sort: '-updated_at' } });
  return data.items.map((d) => ({ value: d.id, label: `${d.title} · ${d.client_name}` }));
}

/** The client and deal lookups of a task form (`party`, `deal`: the current choice as an option). */
export function linkFields({ party, deal }) {
  return [
    {
      name: 'party_id',
      label: t('task.client'),
      type: 'lookup',
      search: findParties,
      searchLabel: t('deal.find_client'),
      options: party ? [party] : [],
      empty: t('task.no_link'),
    },
    {
      name: 'deal_id',
      label: t('task.deal'),
      type: 'lookup',
      search: findDeals,
      searchLabel: t('task.find_deal'),
      options: deal ? [deal] : [],
      empty: t('task.no_link'),
    },
  ];
}

/** A task's links with its client and deal replaced by the chosen ones (links of other kinds are kept). */
export function linksOf(links, partyId, dealId) {
  return [
    ...links.filter((link) => link.kind !== 'party' && link.kind !== 'deal'),
    partyId && { kind: 'party', id: partyId },
    dealId && { kind: 'deal', id: dealId },
  ].filter(Boolean);
}

/** The rest of a task: description, duration, co-executors, watchers, reminder. */
export function detailFields({ team }) {
  return [
    { name: 'description', label: t('task.description'), type: 'textarea', rows: 4 },
    { name: 'duration_minutes', label: t('task.duration'), type: 'number', hint: t('task.duration_hint') },
    {
      name: 'remind_before_minutes',
      label: t('task.remind_before'),
      type: 'select',
      options: REMIND_BEFORE.map((m) => ({ value: m, label: remindLabel(m) })),
    },
    { name: 'co_executor_ids', label: t('task.co_executors'), type: 'checkboxes', options: team },
    { name: 'watcher_ids', label: t('task.watchers'), type: 'checkboxes', options: team },
  ];
}

export function remindLabel(minutes) {
  if (!minutes) return t('task.remind.none');
  if (minutes % 1440 === 0) return t('task.remind.days', { count: minutes / 1440 });
  if (minutes % 60 === 0) return t('task.remind.hours', { count: minutes / 60 });
  return t('task.remind.minutes', { count: minutes });
}

/** The outcome of a finished task: result code and what happened (the complete endpoint's error paths). */
export function outcomeFields(results) {
  return [
    {
      name: 'outcome.result_code',
      label: t('task.result'),
      type: 'select',
      options: resultOptions(results),
      required: true,
      empty: t('task.choose_result'),
    },
    { name: 'outcome.text', label: t('task.outcome_text'), type: 'textarea', rows: 3 },
  ];
}

/** A form's task fields as the API takes them: the due time with the local offset, empty values left out. */
export function taskBody(data) {
  const body = { ...data };
  if ('due_at' in body) body.due_at = fromLocalInput(body.due_at);
  for (const [key, value] of Object.entries(body)) if (value === null || value === '') delete body[key];
  return body;
}

/**
 * Show the fields whose path starts with `prefix` only while the checkbox `name` is ticked (the next activity
 * of a completion, say). Returns a function that tells whether it is ticked.
 */
export function toggleFields(formEl, name, prefixes) {
  const box = formEl.querySelector(`[data-field="${name}"] input`);
  const wrappers = prefixes.flatMap((prefix) => [...formEl.querySelectorAll(`[data-field^="${prefix}"]`)]);
  const sync = () => wrappers.forEach((wrapper) => (wrapper.hidden = !box.checked));
  box.addEventListener('change', sync);
  sync();
  return () => box.checked;
}

/** Error paths of a plain create ("due_at") as those of the nested form fields ("next_task.due_at"). */
export function nestErrors(error, prefix) {
  if (error?.errors) error.errors = error.errors.map((e) => ({ ...e, field: `${prefix}${e.field}` }));
  return error;
}

/** The task screens' own navigation: my tasks, the team's. */
export function tasksTabs(current) {
  const tabs = [
    ['mine', '/tasks', t('tasks.tab.mine')],
    ['team', '/tasks/team', t('tasks.tab.team')],
  ];
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('nav.tasks') },
    tabs.map(([id, href, label]) => h('a', { href, 'aria-current': id === current ? 'page' : null }, label)),
  );
}

/** Open, due today, overdue: tiles that open the list with that quick filter. */
export function counterTiles(counts, path) {
  return h(
    'div',
    { class: 'stats task-counters', role: 'group', 'aria-label': t('task.counters') },
    stat({ label: t('task.counter.open'), value: counts.open, href: path }),
    stat({ label: t('task.counter.due_today'), value: counts.due_today, href: `${path}?due=today` }),
    stat({ label: t('task.counter.overdue'), value: counts.overdue, href: `${path}?due=overdue` }),
  );
}
