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
    editor.focus();
  });
}
