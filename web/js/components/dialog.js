// A modal dialog around a form (components/form.js): the questions an action asks first (a task's outcome, the
// reason to cancel a process). Focus goes to the form and comes back to the opener when it closes.

import { h, uid } from '../dom.js';
import { form } from './form.js';

/**
 * formDialog({title, fields, values, submitLabel, submit, setup, onConflict, className}) -> Promise: resolves with
 * what `submit(data)` returned, or null when cancelled. `setup(formEl)` may wire the form up (show and hide
 * fields); `onConflict` is the 412 message's Reload.
 */
export function formDialog({ title, fields, values, submitLabel, submit, setup, onConflict, className = '' }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog');
    let result = null;
    const dialog = h('dialog', { class: `dialog ${className}`, 'aria-labelledby': titleId });
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
    if (fields.length) editor.focus();
  });
}

/**
 * confirmDialog({title, text, confirmLabel, action, danger}) -> Promise: asks before an action that is hard to take
 * back (deactivating someone, revoking a key). `text` is a paragraph or a list of them; `action()` runs on confirm,
 * and an error it throws shows in the dialog (problem+json translated), which stays open. Resolves with what
 * `action` returned (true when nothing), or null when cancelled; Cancel has the focus, so Enter does no harm.
 */
export function confirmDialog({ title, text, confirmLabel, action, danger = false }) {
  return formDialog({
    title,
    fields: [],
    submitLabel: confirmLabel,
    className: `confirm-dialog${danger ? ' danger' : ''}`,
    submit: async () => (await action?.()) ?? true,
    setup(formEl) {
      formEl.prepend(...[text].flat().map((line) => h('p', { class: 'dialog-text' }, line)));
      formEl.querySelector('.form-actions button[type="button"]').autofocus = true;
    },
  });
}
