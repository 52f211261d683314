// The task card's actions that ask something first, as modal dialogs: complete (the outcome, and the next activity
// in the same step), move the deadline (with the reason) and cancel. Each sends the version it showed (If-Match):
// a change made meanwhile is a 412 with a Reload button.

import * as api from '../../api.js';
import { compact, form } from '../../components/form.js';
import { h, uid } from '../../dom.js';
import { t } from '../../i18n.js';
import { toLocalInput } from '../format.js';
import { outcomeFields, peopleOptions, planFields, taskBody, toggleFields, tomorrowMorning } from './common.js';

/**
 * A modal dialog around a form: resolves with what `submit(data)` returned, or null when cancelled. `setup(formEl)`
 * may wire the form up (show and hide fields); `onConflict` is the 412 message's Reload.
 */
export function formDialog({ title, fields, values, submitLabel, submit, setup, onConflict }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog');
    let result = null;
    const dialog = h('dialog', { class: 'dialog task-dialog', 'aria-labelledby': titleId });
    const editor = form({
      fields,
      values,
      submitLabel,
      submit: async (data) => {
        result = await submit(data);
        dialog.close();
      },
      onCancel: () => dialog.close(),
      onConflict: onConflict && (() => (dialog.close(), onConflict())),
    });
    setup?.(editor.el);
    dialog.append(h('h2', { id: titleId }, title), editor.el);
    const opener = document.activeElement;
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus?.();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    editor.focus();
  });
}

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
      const { data: done } = await api.post(`/api/v1/tasks/${task.id}/complete`, body, { etag: etagOf(task) });
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
