// The tasks domain in the client: its section and pages ("My tasks", "Team tasks", the task card, a new task),
// what the top search finds, how task events look on a client's timeline, the "Tasks" panel of the client and
// deal cards, the header's reminders and a dashboard card. The screens live in lazy/ and are imported when one
// of them opens (web.py does not preload lazy/ folders), so the first load carries only this file's helpers.

import * as api from '../api.js';
import { stat } from '../components/chart.js';
import { h } from '../dom.js';
import { has, localName, t } from '../i18n.js';
import {
  registerCardPanel,
  registerDashboardWidget,
  registerHeaderItem,
  registerSearchProvider,
  registerSection,
  registerTimelineRenderer,
} from '../registry.js';
import { lazyPage as lazy, route } from '../router.js';
import { ACTIVE, dueText, resultLabel, TIME_ZONE, typeIcon, typeLabel } from './format.js';
import { tasksPanel } from './panel.js';
import { remindersItem } from './reminders.js';

/** A page whose modules are imported on first use (router.lazyPage), titled after the section meanwhile. */
const lazyPage = (name, load) => lazy(name, load, () => t('nav.tasks'));

// Each screen with the shared module it needs, fetched in parallel (one round trip, not two).
const withCommon = (screen, ...more) =>
  Promise.all([screen, import('./lazy/common.js'), ...more]).then(([module]) => module);

registerSection({ id: 'tasks', path: '/tasks', order: 30, service: 'tasks' });
route(
  '/tasks',
  lazyPage('tasks', () => withCommon(import('./lazy/list.js')).then((m) => m.myTasksPage)),
);
route(
  '/tasks/team',
  lazyPage('team-tasks', () => withCommon(import('./lazy/list.js')).then((m) => m.teamTasksPage)),
);
route(
  '/tasks/new',
  lazyPage('task-new', () => withCommon(import('./lazy/create.js')).then((m) => m.createPage)),
);
route(
  '/tasks/:id',
  lazyPage('task', () => withCommon(import('./lazy/task.js'), import('./lazy/dialogs.js')).then((m) => m.taskPage)),
);

registerSearchProvider({
  id: 'tasks',
  order: 30,
  allHref: (q) => `/tasks?due=all&q=${encodeURIComponent(q)}`,
  async search(q, { signal }) {
    const [{ data }, types] = await Promise.all([
      api.get('/api/v1/tasks', {
        query: { filter: [`subject:contains:${q}`, ACTIVE], sort: 'due_at', limit: 5 },
        signal,
      }),
      api.cached('/api/v1/task-types', { include_archived: true }),
    ]);
    return data.items.map((task) => ({
      title: task.subject,
      subtitle: [typeLabel(task.type, types), dueText(task.due_at)].join(' · '),
      href: `/tasks/${task.id}`,
      icon: typeIcon(task.type),
    }));
  },
});

// On a client's card the tasks come first: the next task, the last contact, "Log a call".
registerCardPanel({ id: 'tasks', card: 'party', order: 10, render: (id, context) => tasksPanel('party', id, context) });
registerCardPanel({ id: 'tasks', card: 'deal', order: 30, render: (id, context) => tasksPanel('deal', id, context) });
registerHeaderItem({ id: 'reminders', order: 10, mount: remindersItem });

registerDashboardWidget({
  id: 'tasks',
  order: 15,
  async render({ signal }) {
    const { data } = await api.get('/api/v1/tasks/counters', { query: { time_zone: TIME_ZONE }, signal });
    return h(
      'section',
      { class: 'panel widget', 'aria-labelledby': 'widget-tasks' },
      h('h2', { id: 'widget-tasks' }, t('widget.tasks')),
      h(
        'div',
        { class: 'stats' },
        stat({ label: t('task.counter.open'), value: data.mine.open, href: '/tasks' }),
        stat({ label: t('task.counter.due_today'), value: data.mine.due_today, href: '/tasks?due=today' }),
        stat({ label: t('task.counter.overdue'), value: data.mine.overdue, href: '/tasks?due=overdue' }),
      ),
    );
  },
});

// Task and process events on a client's timeline, drawn from their payload (`data`): the type and result by their
// labels in the UI language, the subject as typed, the due time in the reader's time zone (the payload's due_at is
// a moment, RFC 3339), a process by its name.
const DUE_SHOWN = new Set(['task.created', 'task.updated', 'task.reminder_due', 'task.overdue']);

function taskLook(entry) {
  const { data } = entry;
  // A start is a task.updated whose status became in_progress.
  const started =
    entry.type === 'task.updated' && data.status === 'in_progress' && data.changed_fields?.includes('status');
  const title = `timeline.type.${started ? 'task.started' : entry.type}`;
  // Labels the payload carries (an installation's own codes too), else the shipped translation of the code.
  const type = data.type && (localName(data, 'type_label') || typeLabel(data.type));
  return {
    icon: typeIcon(data.type),
    title: has(title) ? t(title) : t('timeline.type.other'),
    text: [
      !data.subject?.startsWith(`${type}:`) && type, // a logged call's subject says "Call: Acme" already
      data.subject,
      entry.type === 'task.completed' &&
        data.result_code &&
        (localName(data, 'result_label') || resultLabel(data.result_code)),
      DUE_SHOWN.has(entry.type) && data.due_at && t('task.due_at', { time: dueText(data.due_at) }),
    ]
      .filter(Boolean)
      .join(' · '),
    href: entry.subject_id && `/tasks/${entry.subject_id}`,
  };
}
registerTimelineRenderer('source:tasks', taskLook);

// A process's own entries: what happened to it, and which process (the entry's author is the process too).
const processLook = (entry) => ({
  icon: 'processes',
  title: t(`timeline.type.${entry.type}`),
  text: localName(entry.data, entry.type === 'process.signal' ? 'process_name' : 'name'),
});
for (const verb of ['started', 'completed', 'failed', 'cancelled', 'signal']) {
  registerTimelineRenderer(`process.${verb}`, processLook);
}
