// The "Tasks" panel of the client card and of the deal card: the record's open tasks (overdue ones marked), its
// last finished activities with their outcomes, and "Log a call" / "Schedule": a call made now recorded with its
// outcome and the next activity planned in one step. The form is imported when first opened (lazy/log.js),
// so the cards' first load carries only this list.

import * as api from '../api.js';
import { toastError } from '../components/toast.js';
import { h, replace, uid } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { icon } from '../icons.js';
import { ACTIVE, dueNode, resultLabel, taskChips, typeIcon, typeLabel } from './format.js';

/** The API filter of the tasks linked to a client (`party`) or a deal. */
export const linkFilter = (kind, id) => (kind === 'party' ? `party_id:eq:${id}` : `link:eq:deal:${id}`);

/** Tell whoever counts tasks (the header's reminders) that they changed. */
export function tasksChanged() {
  dispatchEvent(new CustomEvent('crm:tasks-changed'));
}

/** The panel for a client (`kind` 'party') or a deal; `context` is the card's {signal, record, expectTimeline}. */
export async function tasksPanel(kind, id, context) {
  const { signal } = context;
  const headingId = uid('tasks');
  const body = h('div', { class: 'panel-body' });
  const slot = h('div', { class: 'task-log-slot' });
  const buttons = [
    ['call', 'phone', t('task.log.call')],
    ['next', 'clock', t('task.log.schedule')],
  ].map(([mode, name, label]) =>
    h('button', { type: 'button', class: 'button small', dataset: { mode } }, icon(name), label),
  );
  let opened = null;

  async function load(requestSignal) {
    const query = (filter, sort, limit) => ({ filter: [linkFilter(kind, id), filter], sort, limit });
    const [open, done, users, types, results] = await Promise.all([
      api.get('/api/v1/tasks', { query: query(ACTIVE, 'due_at', 20), signal: requestSignal }),
      api.get('/api/v1/tasks', { query: query('status:eq:done', '-updated_at', 3), signal: requestSignal }),
      api.cached('/api/v1/users'),
      // The code lists, so that a type or result an admin added reads in the UI language too.
      api.cached('/api/v1/task-types', { include_archived: true }),
      api.cached('/api/v1/task-results', { include_archived: true }),
    ]);
    render(open.data.items, done.data.items, users, types, results);
  }

  function render(open, done, users, types, results) {
    const name = (userId) => users.find((u) => u.id === userId)?.display_name ?? '';
    replace(
      body,
      slot,
      open.length
        ? h(
            'ul',
            { class: 'task-lines' },
            open.map((task) =>
              h(
                'li',
                { class: `task-line${task.overdue ? ' overdue' : ''}`, dataset: { task: task.id } },
                icon(typeIcon(task.type), typeLabel(task.type, types)),
                h(
                  'div',
                  { class: 'task-line-body' },
                  h('a', { href: `/tasks/${task.id}` }, task.subject),
                  ' ',
                  taskChips(task),
                  h('p', { class: 'muted' }, dueNode(task), ' · ', name(task.assignee_id)),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('task.none_open')),
      done.length > 0 && h('h3', { class: 'subhead' }, t('task.recent')),
      done.length > 0 &&
        h(
          'ul',
          { class: 'task-lines recent' },
          done.map((task) =>
            h(
              'li',
              { class: 'task-line done', dataset: { task: task.id } },
              icon(typeIcon(task.type), typeLabel(task.type, types)),
              h(
                'div',
                { class: 'task-line-body' },
                h('a', { href: `/tasks/${task.id}` }, task.subject),
                task.outcome &&
                  h(
                    'p',
                    { class: 'task-outcome' },
                    h('span', { class: 'chip strong' }, resultLabel(task.outcome.result_code, results)),
                    task.outcome.text && ` ${task.outcome.text}`,
                  ),
                h('p', { class: 'muted' }, formatDate(task.completed_at), ' · ', name(task.assignee_id)),
              ),
            ),
          ),
        ),
    );
  }

  async function open(mode, button) {
    if (opened?.mode === mode) return opened.focus();
    try {
      const { logForm } = await import('./lazy/log.js');
      opened = await logForm({
        mode,
        kind,
        id,
        record: context.record,
        onCancel: () => {
          replace(slot);
          opened = null;
          button.focus();
        },
        onDone: async (event) => {
          replace(slot);
          opened = null;
          tasksChanged();
          context.expectTimeline?.(event);
          await load().catch(toastError);
          button.focus();
        },
      });
      replace(slot, opened.el);
      opened.focus();
    } catch (error) {
      toastError(error);
    }
  }
  buttons.forEach((button) => button.addEventListener('click', () => open(button.dataset.mode, button)));

  await load(signal);
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': headingId, dataset: { section: 'tasks' } },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: headingId }, t('nav.tasks')),
      h('div', { class: 'toolbar' }, buttons),
    ),
    body,
  );
}
