// Form pieces of the portal's pages: labelled fields, an error summary that names each field's problem, and a
// submit that disables its button while the request runs.

import { h, uid } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from '../messages.js';

/** A labelled control: field(label, element) -> the wrapper (the control gets an id its label points at). */
export function field(label, control, hint = '') {
  control.id ||= uid('f');
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, label),
    control,
    hint && h('p', { class: 'field-hint' }, hint),
  );
}

export function errorBox() {
  return h('div', { class: 'form-summary error', role: 'alert', hidden: true });
}

/** Show an error (its own text and each field's) in `box`. */
export function showError(box, error) {
  const lines = [errorText(error), ...(error.errors ?? []).map((e) => `${e.field}: ${errorText(e)}`)];
  box.replaceChildren(...[...new Set(lines)].map((line) => h('p', {}, line)));
  box.hidden = false;
}

/** A form that runs `action()` on submit with its button disabled, showing failures in its error box. */
export function form(children, submitLabel, action) {
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'button primary' }, submitLabel);
  const el = h('form', { class: 'panel', novalidate: true }, box, ...children, submit);
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    box.hidden = true;
    submit.disabled = true;
    try {
      await action();
    } catch (error) {
      showError(box, error);
    } finally {
      submit.disabled = false;
    }
  });
  return el;
}

/** A radio group (fieldset + legend): choices [{value, label}] -> {el, value()}. */
export function radios(legend, name, choices, className) {
  const inputs = choices.map((c) => h('input', { type: 'radio', name, value: String(c.value), id: uid(name) }));
  const el = h(
    'fieldset',
    { class: className },
    h('legend', { class: 'visually-hidden' }, legend),
    ...choices.map((c, i) => h('label', { for: inputs[i].id }, inputs[i], c.label)),
  );
  return { el, value: () => inputs.find((i) => i.checked)?.value ?? '' };
}

export const required = (label) => `${label} *`;
export const notice = (key) => h('p', { class: 'muted', role: 'status' }, t(key));
