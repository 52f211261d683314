// The task card's actions that ask something first, as modal dialogs: complete (the outcome, and the next activity
// in the same step), move the deadline (with the reason) and cancel. Each sends the version it showed (If-Match):
// a change made meanwhile is a 412 with a Reload button.

import * as api from '../../api.js';
import { formDialog as openDialog } from '../../components/dialog.js';
import { compact } from '../../components/form.js';
import { t } from '../../i18n.js';
import { toLocalInput } from '../format.js';
import { outcomeFields, peopleOptions, planFields, taskBody, toggleFields, tomorrowMorning } from './common.js';

// The task dialogs' own look (wider: the completion also plans the next activity).
const formDialog = (options) => openDialog({ className: 'task-dialog', ...options });

const etagOf = (task) => `"${task.version}"`;

/** Complete `task`: result code, what happened, and optionally the next activity. Resolves {task, next_task}. */
export function completeDialog(task, { types, results, team, reload }) {
  return formDialog({
    title: t('task.complete_title', { subject: task.subject }),
    submitLabel: t('task.complete'),
    fields: [
      ...outcomeFields(results),
      { name: 'schedule_next', label: t('task.schedule_next'), type: 'checkbox' },
      ...planFields({ types, team: peopleOptions(team, [task.assignee_id]), prefix: 'next_task.' }),
    ],
    values: {
      schedule_next: false,
      next_task: {
        type: task.type,
        subject: task.subject,
        due_at: tomorrowMorning(),
        priority: task.priority,
        assignee_id: task.assignee_id,
      },
    },
    setup: (formEl) => toggleFields(formEl, 'schedule_next', ['next_task.']),
    onConflict: reload,
    submit: async (data) => {
      const body = { result_code: data.outcome.result_code ?? '', text: data.outcome.text ?? '' };
      if (data.schedule_next) body.next_task = compact(taskBody(data.next_task));
      const { data: done } = await api.post(`/api/v1/tasks/${task.id}/complete`, body, {
        etag: etagOf(task),
        queue: true,
      });
      return done;
    },
  });
}

/** Move the deadline; the reason is kept in the task's deadline history. Resolves with the task. */
export function deadlineDialog(task, { reload }) {
  return formDialog({
    title: t('task.deadline_title'),
    submitLabel: t('task.move_deadline'),
    fields: [
      { name: 'due_at', label: t('task.new_due'), type: 'datetime-local', required: true },
      { name: 'due_change_reason', label: t('task.due_change_reason'), type: 'textarea', rows: 2, required: true },
    ],
    values: { due_at: toLocalInput(task.due_at) || tomorrowMorning() },
    onConflict: reload,
    submit: async (data) => {
      const body = {
        due_at: taskBody({ due_at: data.due_at }).due_at ?? null,
        due_change_reason: data.due_change_reason,
      };
      const { data: changed } = await api.patch(`/api/v1/tasks/${task.id}`, body, { etag: etagOf(task) });
      return changed;
    },
  });
}

/** Cancel the task, saying why (optional). Resolves with the task. */
export function cancelDialog(task, { reload }) {
  return formDialog({
    title: t('task.cancel_title', { subject: task.subject }),
    submitLabel: t('task.cancel'),
    fields: [{ name: 'reason', label: t('task.cancel_reason'), type: 'textarea', rows: 2 }],
    onConflict: reload,
    submit: async (data) => {
      const { data: cancelled } = await api.post(
        `/api/v1/tasks/${task.id}/cancel`,
        { reason: data.reason ?? '' },
        { etag: etagOf(task) },
      );
      return cancelled;
    },
  });
}
