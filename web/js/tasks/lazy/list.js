// "My tasks" (assigned to you) and "Team tasks" (your teams'): counters, quick filters (active, overdue, today,
// upcoming, done), filters by type, priority and assignee, and a list of type, subject, due time (overdue rows
// highlighted and labelled), priority and the linked client and deal. The team's page adds each person's counts.
// An open task is completed from its row (the result, and the next activity if one is planned) without opening it.

import * as api from '../../api.js';
import { listView } from '../../components/list-view.js';
import { toast, toastError } from '../../components/toast.js';
import { append, h } from '../../dom.js';
import { formatNumber, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { tasksChanged } from '../panel.js';
import { ACTIVE, dayStart, dueNode, linksNode, taskRowClass, TIME_ZONE, typeNode } from '../format.js';
import {
  counterTiles,
  nameOf,
  PRIORITIES,
  people,
  taskResults,
  taskTypes,
  tasksTabs,
  typeOptions,
  users,
} from './common.js';
import { completeDialog } from './dialogs.js';

const OPEN = new Set(['open', 'in_progress']);

function scopes() {
  return {
    param: 'due',
    label: t('task.quick'),
    default: 'active',
    options: [
      { value: 'active', label: t('task.scope.active'), filter: () => [ACTIVE] },
      { value: 'overdue', label: t('task.scope.overdue'), filter: () => ['overdue:eq:true'] },
      {
        value: 'today',
        label: t('task.scope.today'),
        filter: () => [ACTIVE, `due_at:gte:${dayStart(0)}`, `due_at:lt:${dayStart(1)}`],
      },
      { value: 'upcoming', label: t('task.scope.upcoming'), filter: () => [ACTIVE, `due_at:gte:${dayStart(1)}`] },
      { value: 'done', label: t('task.scope.done'), filter: () => ['status:eq:done'], sort: '-updated_at' },
      { value: 'all', label: t('task.scope.all'), filter: () => [] },
    ],
  };
}

async function tasksList(view, ctx, { team }) {
  const path = team ? '/tasks/team' : '/tasks';
  const [types, directory, counters] = await Promise.all([
    taskTypes(),
    users(),
    api.get('/api/v1/tasks/counters', { query: { time_zone: TIME_ZONE }, signal: ctx.signal }),
  ]);
  const heading = t(team ? 'tasks.team' : 'tasks.mine');
  const columns = [
    { key: 'type', label: t('task.type'), render: (task) => typeNode(task.type, types) },
    {
      key: 'subject',
      label: t('task.subject'),
      className: 'primary',
      // The status only when it is not "open": the priority has its own column.
      render: (task) => [
        h('a', { href: `/tasks/${task.id}` }, task.subject),
        task.status !== 'open' && [
          ' ',
          h('span', { class: `chip task-status-${task.status}` }, t(`task.status.${task.status}`)),
        ],
      ],
    },
    { key: 'due_at', label: t('task.due'), sortKey: 'due_at', className: 'nowrap', render: dueNode },
    {
      key: 'priority',
      label: t('task.priority'),
      sortKey: 'priority',
      render: (task) => h('span', { class: `priority priority-${task.priority}` }, t(`task.priority.${task.priority}`)),
    },
    { key: 'links', label: t('task.links'), render: linksNode },
    team && { key: 'assignee', label: t('task.assignee'), render: (task) => nameOf(directory, task.assignee_id) },
    { key: 'actions', label: t('task.actions'), className: 'row-actions', render: (task) => completeButton(task) },
  ].filter(Boolean);

  // "Complete" on the row: the same dialog as on the task's card; the list reloads after it.
  function completeButton(task) {
    if (!OPEN.has(task.status)) return '';
    const button = h(
      'button',
      {
        type: 'button',
        class: 'button small',
        'aria-label': t('task.complete_named', { subject: task.subject }),
        dataset: { action: 'complete' },
      },
      icon('check'),
      h('span', { class: 'button-text' }, t('task.complete')),
    );
    button.addEventListener('click', async () => {
      try {
        const [results, team] = await Promise.all([taskResults(), people()]);
        const done = await completeDialog(task, { types, results, team, reload: () => list.reload() });
        if (!done) return;
        tasksChanged();
        toast(
          done.next_task
            ? [
                t('task.completed'),
                ' · ',
                t('task.next_scheduled'),
                ' ',
                h('a', { href: `/tasks/${done.next_task.id}` }, done.next_task.subject),
              ]
            : t('task.completed'),
          { kind: 'success' },
        );
        await list.reload();
      } catch (error) {
        toastError(error);
      }
    });
    return button;
  }
  const teamCounts = sum(counters.data.teams.map((entry) => entry.counts));
  const list = await listView(ctx, {
    heading,
    endpoint: '/api/v1/tasks',
    params: team ? { team: true } : { mine: true },
    searchLabel: t('task.search'),
    searchFilter: 'subject:contains',
    defaultSort: 'due_at',
    rowClass: taskRowClass,
    toolbar: [h('a', { class: 'button primary', href: '/tasks/new' }, icon('plus'), t('task.new'))],
    scopes: scopes(),
    columns,
    filters: [
      { name: 'type', label: t('task.type'), type: 'select', filter: 'type:eq', options: typeOptions(types) },
      {
        name: 'priority',
        label: t('task.priority'),
        type: 'select',
        filter: 'priority:eq',
        options: PRIORITIES.map((p) => ({ value: p, label: t(`task.priority.${p}`) })),
      },
      team && {
        name: 'assignee',
        label: t('task.assignee'),
        type: 'select',
        filter: 'assignee_id:eq',
        options: counters.data.users.map((u) => ({
          value: u.user_id,
          label: nameOf(directory, u.user_id) || u.user_id,
        })),
      },
    ].filter(Boolean),
    sorts: [
      { value: 'due_at', label: t('task.sort.due') },
      { value: '-priority,due_at', label: t('task.sort.priority') },
      { value: '-created_at', label: t('sort.created') },
      { value: '-updated_at', label: t('sort.updated') },
    ],
  });
  list.el
    .querySelector('.page-head')
    .after(tasksTabs(team ? 'team' : 'mine'), counterTiles(team ? teamCounts : counters.data.mine, path));
  append(view, list.el);
  if (team && counters.data.users.length) view.append(perPerson(counters.data.users, directory, path));
}

function sum(list) {
  return list.reduce(
    (total, c) => ({
      open: total.open + c.open,
      due_today: total.due_today + c.due_today,
      overdue: total.overdue + c.overdue,
    }),
    { open: 0, due_today: 0, overdue: 0 },
  );
}

// A manager's view: who has how much, who is behind (each count opens that person's list).
function perPerson(entries, directory, path) {
  const link = (entry, due, value) =>
    h('a', { href: `${path}?filter=assignee_id:eq:${entry.user_id}${due ? `&due=${due}` : ''}` }, formatNumber(value));
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'per-person' },
    h('div', { class: 'panel-head' }, h('h2', { id: 'per-person' }, t('tasks.per_person'))),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data-table per-person' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t('task.assignee'), t('task.counter.open'), t('task.counter.due_today'), t('task.counter.overdue')].map(
              (label, i) => h('th', { scope: 'col', class: i ? 'num' : null }, label),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          [...entries]
            .sort((a, b) => b.counts.overdue - a.counts.overdue || b.counts.open - a.counts.open)
            .map((entry) =>
              h(
                'tr',
                { class: entry.counts.overdue ? 'task-overdue' : null },
                h('td', { class: 'primary' }, nameOf(directory, entry.user_id) || entry.user_id),
                h(
                  'td',
                  { class: 'num', dataset: { label: t('task.counter.open') } },
                  link(entry, '', entry.counts.open),
                ),
                h(
                  'td',
                  { class: 'num', dataset: { label: t('task.counter.due_today') } },
                  link(entry, 'today', entry.counts.due_today),
                ),
                h(
                  'td',
                  { class: 'num', dataset: { label: t('task.counter.overdue') } },
                  link(entry, 'overdue', entry.counts.overdue),
                ),
              ),
            ),
        ),
      ),
    ),
  );
}

export const myTasksPage = {
  name: 'tasks',
  title: () => t('tasks.mine'),
  render: (view, ctx) => tasksList(view, ctx, { team: false }),
};

export const teamTasksPage = {
  name: 'team-tasks',
  title: () => t('tasks.team'),
  render: (view, ctx) => tasksList(view, ctx, { team: true }),
};
