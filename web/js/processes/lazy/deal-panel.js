// The deal card's "Processes" panel (admins): the processes running on the deal, where each stands and since when,
// and "Start process": one of the definitions started by hand (trigger "manual", turned on) started on this deal,
// with an input per variable the chosen definition declares (prefilled with its default).

import * as api from '../../api.js';
import { toast, toastError } from '../../components/toast.js';
import { h, replace, uid } from '../../dom.js';
import { formatRelative, localName, parseDecimal, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { errorText } from '../../messages.js';
import { currentRun, durationText, instanceHref, statusChips, stepTitle } from '../format.js';

/** The panel for deal `dealId`; `context` is the card's {signal}. */
export async function dealProcessesPanel(dealId, { signal }) {
  const headingId = uid('processes');
  const body = h('div', { class: 'panel-body' });
  const slot = h('div', { class: 'process-start-slot' });
  const start = h(
    'button',
    { type: 'button', class: 'button small', 'aria-expanded': 'false' },
    icon('play'),
    t('process.start'),
  );

  async function load(requestSignal) {
    const { data } = await api.get('/api/v1/process-instances', {
      query: { record_id: dealId, status: 'running', limit: 20 },
      signal: requestSignal,
    });
    replace(
      body,
      slot,
      data.items.length
        ? h('ul', { class: 'process-lines' }, data.items.map(line))
        : h('p', { class: 'muted' }, t('process.none_running')),
    );
  }

  async function openStart() {
    if (slot.firstChild) return slot.querySelector('select')?.focus();
    let manual;
    try {
      const { data } = await api.get('/api/v1/process-definitions', { query: { include_inactive: false } });
      manual = data.filter((d) => d.trigger_event === 'manual' && d.active);
    } catch (error) {
      return toastError(error);
    }
    const close = () => {
      replace(slot);
      start.setAttribute('aria-expanded', 'false');
      start.focus();
    };
    if (!manual.length) {
      replace(
        slot,
        h(
          'div',
          { class: 'process-start', role: 'status' },
          h('p', {}, t('process.none_manual')),
          h('button', { type: 'button', class: 'button small', onClick: close }, t('action.close')),
        ),
      );
      start.setAttribute('aria-expanded', 'true');
      return;
    }
    const selectId = uid('definition');
    const choice = h(
      'select',
      { id: selectId, required: true },
      manual.map((d) => h('option', { value: d.key }, localName(d))),
    );
    const byKey = new Map(manual.map((d) => [d.key, d]));
    const variables = h('div', { class: 'process-start-variables' });
    const showVariables = () => {
      replace(variables, variablesFieldset(byKey.get(choice.value)?.variables));
      variables.hidden = !variables.firstChild;
    };
    choice.addEventListener('change', showVariables);
    showVariables();
    const error = h('p', { class: 'field-error', hidden: true, role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'button primary small' }, t('process.start_submit'));
    const startForm = h(
      'form',
      { class: 'process-start', novalidate: true },
      h('div', { class: 'field' }, h('label', { for: selectId }, t('process.choose')), choice),
      variables,
      error,
      h(
        'div',
        { class: 'form-actions' },
        submit,
        h('button', { type: 'button', class: 'button small', onClick: close }, t('action.cancel')),
      ),
    );
    startForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true;
      error.hidden = true;
      clearVariableErrors(variables);
      const values = readVariables(variables);
      try {
        const { data: instance } = await api.post('/api/v1/process-instances', {
          key: choice.value,
          record: { kind: 'deal', id: dealId },
          ...(values && { variables: values }),
        });
        close();
        toast(
          [
            t('process.started_named', { name: localName(instance, 'definition_name') }),
            ' ',
            h('a', { href: instanceHref(instance.id) }, t('process.open_instance')),
          ],
          { kind: 'success' },
        );
        await load().catch(toastError);
      } catch (failure) {
        const { unplaced, first } = placeVariableErrors(variables, failure.errors ?? []);
        const lines = first
          ? [t('form.fix_fields'), ...unplaced.map(errorText)]
          : [errorText(failure), ...unplaced.map(errorText)];
        error.textContent = [...new Set(lines)].join(' ');
        error.hidden = false;
        (first ?? choice).focus();
      } finally {
        submit.disabled = false;
      }
    });
    replace(slot, startForm);
    start.setAttribute('aria-expanded', 'true');
    choice.focus();
  }
  start.addEventListener('click', openStart);

  await load(signal);
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': headingId, dataset: { section: 'processes' } },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: headingId }, t('nav.processes')),
      h('div', { class: 'toolbar' }, start),
    ),
    body,
  );
}

// The inputs of a definition's declared variables ({name: default}), or nothing when it declares none.
function variablesFieldset(declared) {
  const entries = Object.entries(declared ?? {});
  if (!entries.length) return null;
  return h(
    'fieldset',
    {},
    h('legend', {}, t('process.variables')),
    entries.map(([name, value]) => variableField(name, value)),
  );
}

function variableField(name, value) {
  const id = uid('variable');
  const errorId = `${id}-error`;
  const kind = typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? 'number' : 'text';
  const common = { id, name, 'aria-describedby': errorId, dataset: { kind } };
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const label = h('label', { for: id }, name);
  const field = { 'data-field': `variables.${name}` };
  if (kind === 'boolean') {
    const box = h('input', { ...common, type: 'checkbox', checked: value });
    return h('div', { ...field, class: 'field field-checkbox' }, box, label, error);
  }
  const text = value == null ? '' : String(value);
  const numeric = kind === 'number' ? { type: 'text', inputmode: 'decimal' } : { type: 'text' };
  const input = h('input', { ...common, ...numeric, value: text });
  return h('div', { ...field, class: 'field' }, label, input, error);
}

// The values to send ({name: value}; numbers as numbers, empty text as null), or null when none are declared.
function readVariables(root) {
  const inputs = [...root.querySelectorAll('input[data-kind]')];
  if (!inputs.length) return null;
  const values = {};
  for (const input of inputs) {
    const text = input.value.trim();
    if (input.dataset.kind === 'boolean') values[input.name] = input.checked;
    else if (!text) values[input.name] = null;
    // A number the way people type it ("1 250,5"); what cannot be read goes as typed, for the server to refuse.
    else if (input.dataset.kind === 'number') {
      const decimal = parseDecimal(text);
      values[input.name] = decimal === null ? text : Number(decimal);
    } else values[input.name] = text;
  }
  return values;
}

function clearVariableErrors(root) {
  for (const wrapper of root.querySelectorAll('.invalid')) {
    wrapper.classList.remove('invalid');
    const error = wrapper.querySelector('.field-error');
    error.hidden = true;
    error.textContent = '';
    wrapper.querySelector('input').removeAttribute('aria-invalid');
  }
}

// Problems naming "variables.<name>" go next to that input; the rest are returned to be shown above.
function placeVariableErrors(root, problems) {
  const unplaced = [];
  let first = null;
  for (const problem of problems) {
    const wrapper = problem.field && root.querySelector(`[data-field="${CSS.escape(problem.field)}"]`);
    if (!wrapper) {
      unplaced.push(problem);
      continue;
    }
    const error = wrapper.querySelector('.field-error');
    const input = wrapper.querySelector('input');
    wrapper.classList.add('invalid');
    error.textContent = [error.textContent, errorText(problem)].filter(Boolean).join(' ');
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    first ??= input;
  }
  return { unplaced, first };
}

function line(instance) {
  const run = currentRun(instance);
  return h(
    'li',
    { class: `process-line${instance.late ? ' late' : ''}`, dataset: { instance: instance.id } },
    icon('processes'),
    h(
      'div',
      {},
      h('a', { href: instanceHref(instance.id) }, localName(instance, 'definition_name') || instance.definition_key),
      ' ',
      statusChips(instance),
      run &&
        h(
          'p',
          { class: 'muted' },
          t('process.at_step', { step: stepTitle(run) }),
          ' · ',
          h('time', { datetime: run.entered_at }, formatRelative(run.entered_at)),
          ' · ',
          t('process.for', { time: durationText(run.seconds) }),
        ),
    ),
  );
}
