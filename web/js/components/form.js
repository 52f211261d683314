// A form described by data, whose validation is the server's: problem+json errors[] are shown next to
// the field their `field` path names ("company.inn", "phones.0.value"), a 412 as "someone changed this".
// See COMPONENTS.md for the field types.

import { debounce, getPath, h, replace, setPath, uid } from '../dom.js';
import { formatDecimal, parseDecimal, t } from '../i18n.js';
import { errorText } from '../messages.js';

const INPUT_TYPES = new Set(['text', 'email', 'tel', 'url', 'date', 'datetime-local', 'search', 'password']);

// Amounts and quantities ('decimal': the API's decimal text; 'number': a JSON number; or any field typed with
// inputmode 'decimal') are read by parseDecimal, so every number input takes "1 250 000,50" and "1,250,000.50".
const isNumeric = (field) => field.type === 'decimal' || field.type === 'number' || field.inputmode === 'decimal';

/**
 * form({fields, values, submit, submitLabel, onCancel, onConflict, explain, className}) -> {el, focus()}
 * submit(data) receives the fields' values as one nested object (empty inputs are null) and may
 * throw an ApiError; onConflict() reloads what the form edits (the button of the 412 message);
 * explain(error) may return extra content for the message above the form (e.g. a link to a duplicate).
 */
export function form({ fields, values = {}, submit, submitLabel, onCancel, onConflict, explain, className = '' }) {
  const summary = h('div', { class: 'form-summary', hidden: true, tabindex: '-1' });
  const submitButton = h('button', { type: 'submit', class: 'button primary' }, submitLabel ?? t('action.save'));
  const body = h(
    'div',
    { class: 'form-grid' },
    fields.map((field) => buildField(field, values, field.name)),
  );
  const el = h(
    'form',
    { class: `form ${className}`, novalidate: true, onSubmit: onSubmit },
    summary,
    body,
    h(
      'div',
      { class: 'form-actions' },
      submitButton,
      onCancel && h('button', { type: 'button', class: 'button', onClick: onCancel }, t('action.cancel')),
    ),
  );

  async function onSubmit(event) {
    event.preventDefault();
    clearErrors();
    const { data, aliases, invalid } = collect(fields, body);
    if (invalid.length) {
      showError({ code: 'validation_failed', errors: invalid }, aliases);
      return;
    }
    submitButton.disabled = true;
    el.setAttribute('aria-busy', 'true');
    try {
      await submit(data);
    } catch (error) {
      if (error?.name === 'AbortError') return;
      showError(error, aliases);
    } finally {
      submitButton.disabled = false;
      el.setAttribute('aria-busy', 'false');
    }
  }

  function clearErrors() {
    summary.hidden = true;
    summary.replaceChildren();
    summary.className = 'form-summary';
    for (const wrapper of body.querySelectorAll('.invalid')) {
      const { error, inputs } = parts.get(wrapper);
      wrapper.classList.remove('invalid');
      error.hidden = true;
      error.textContent = '';
      for (const input of inputs) input.removeAttribute('aria-invalid');
    }
  }

  function showSummary(kind, ...content) {
    summary.className = `form-summary ${kind}`;
    summary.setAttribute('role', 'alert');
    summary.replaceChildren(...content);
    summary.hidden = false;
  }

  function showError(error, aliases) {
    if (error?.status === 412) {
      showSummary(
        'conflict',
        h('p', {}, t('form.conflict')),
        onConflict && h('button', { type: 'button', class: 'button', onClick: onConflict }, t('action.reload')),
      );
      summary.focus();
      return;
    }
    const unplaced = [];
    let first = null;
    for (const violation of error?.errors ?? []) {
      const target = findControl(body, aliases[violation.field] ?? violation.field);
      if (!target) {
        unplaced.push(violation);
        continue;
      }
      target.wrapper.classList.add('invalid');
      target.error.textContent = [target.error.textContent, errorText(violation)].filter(Boolean).join(' ');
      target.error.hidden = false;
      for (const input of target.inputs) input.setAttribute('aria-invalid', 'true');
      first ??= target.inputs[0];
    }
    const placed = (error?.errors?.length ?? 0) - unplaced.length;
    const lines = unplaced.length || !placed ? [errorText(error), ...unplaced.map((v) => errorText(v))] : [];
    if (placed) lines.unshift(t('form.fix_fields'));
    showSummary('error', ...[...new Set(lines)].map((line) => h('p', {}, line)));
    const extra = explain?.(error);
    if (extra) summary.append(extra);
    (first ?? summary).focus();
  }

  return { el, focus: () => el.querySelector('input, select, textarea')?.focus() };
}

// Each field's wrapper element -> {error, inputs}; wrappers carry their path in data-field.
const parts = new WeakMap();

// The control for a path, or for its nearest ancestor ("phones.0.value" -> "phones.0" -> "phones").
function findControl(root, path) {
  const segments = (path || '').split('.');
  while (segments.length) {
    const wrapper = root.querySelector(`[data-field="${CSS.escape(segments.join('.'))}"]`);
    if (wrapper) return { wrapper, ...parts.get(wrapper) };
    segments.pop();
  }
  return null;
}

function buildField(field, values, path) {
  const id = uid('f');
  const errorId = `${id}-error`;
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const hint = field.hint && h('p', { class: 'field-hint', id: `${id}-hint` }, field.hint);
  const described = [errorId, hint && `${id}-hint`].filter(Boolean).join(' ');
  const value = getPath(values, field.name);
  let wrapper;
  let inputs;
  if (field.type === 'checkboxes' || field.type === 'list') {
    const group = field.type === 'list' ? listField(field, value, path) : checkboxes(field, value);
    inputs = group.inputs;
    wrapper = h(
      'fieldset',
      { class: `field wide field-${field.type}`, 'aria-describedby': described },
      h('legend', {}, field.label),
      hint,
      group.el,
      error,
    );
  } else {
    const input = control(field, value, id, described);
    inputs = [input];
    const label = h(
      'label',
      { for: id, class: field.labelHidden ? 'visually-hidden' : null },
      field.label,
      field.required && h('span', { class: 'required', 'aria-hidden': 'true' }, ' *'),
    );
    const finder = field.type === 'lookup' && lookupSearch(field, input);
    wrapper =
      field.type === 'checkbox'
        ? h('div', { class: 'field field-checkbox' }, input, label, hint, error)
        : h(
            'div',
            { class: `field${field.wide || field.type === 'textarea' || field.type === 'lines' ? ' wide' : ''}` },
            label,
            hint,
            finder,
            input,
            error,
          );
  }
  wrapper.dataset.field = path;
  parts.set(wrapper, { error, inputs });
  return wrapper;
}

function control(field, value, id, described) {
  const common = {
    id,
    name: field.name,
    'aria-describedby': described,
    required: field.required,
    autocomplete: field.autocomplete,
    inputmode: field.inputmode,
    placeholder: field.placeholder ?? (field.labelHidden ? field.label : null),
  };
  const type = field.type ?? 'text';
  if (type === 'select' || type === 'lookup') {
    const options = [
      h('option', { value: '' }, field.empty ?? '—'),
      ...field.options.map((o) => h('option', { value: String(o.value) }, o.label)),
    ];
    const select = h('select', common, options);
    select.value = value == null ? '' : String(value);
    return select;
  }
  if (type === 'checkbox') return h('input', { ...common, type: 'checkbox', checked: Boolean(value) });
  if (type === 'textarea') return h('textarea', { ...common, rows: field.rows ?? 3, value: value ?? '' });
  if (type === 'lines') return h('textarea', { ...common, rows: field.rows ?? 3, value: (value ?? []).join('\n') });
  if (type === 'tags') return h('input', { ...common, type: 'text', value: (value ?? []).join(', ') });
  if (isNumeric(field)) {
    // Text, not type=number: "1 250 000,50" as people type it (type=number refuses spaces and, in English, commas).
    const shown = value == null || value === '' ? '' : formatDecimal(String(value));
    return h('input', { ...common, type: 'text', inputmode: field.inputmode ?? 'decimal', value: shown });
  }
  if (!INPUT_TYPES.has(type)) throw new Error(`form: unknown field type ${type}`);
  return h('input', { ...common, type, value: value ?? '' });
}

// A lookup: words typed in a search box fill its select with what field.search(words) finds.
function lookupSearch(field, select) {
  const input = h('input', {
    type: 'search',
    class: 'lookup-search',
    autocomplete: 'off',
    'aria-label': field.searchLabel ?? t('list.search'),
    placeholder: field.searchLabel,
  });
  const find = debounce(async () => {
    const found = await field.search(input.value.trim()).catch(() => []);
    replace(
      select,
      found.length ? null : h('option', { value: '' }, t('list.empty')),
      found.map((o) => h('option', { value: String(o.value) }, o.label)),
    );
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }, 250);
  input.addEventListener('input', find);
  return input;
}

function checkboxes(field, value) {
  const chosen = new Set((value ?? []).map(String));
  const inputs = field.options.map((o) =>
    h('input', { type: 'checkbox', value: String(o.value), checked: chosen.has(String(o.value)) }),
  );
  const labels = field.options.map((o, i) => h('label', { class: 'chip-check' }, inputs[i], h('span', {}, o.label)));
  const group = h('div', { class: field.filter ? 'checkboxes filtered' : 'checkboxes' }, labels);
  if (!field.filter) return { el: group, inputs };
  // A long list (people, teams) narrows as you type; ticked boxes stay in view.
  const finder = h('input', {
    type: 'search',
    class: 'lookup-search checkbox-filter',
    autocomplete: 'off',
    'aria-label': field.filter,
    placeholder: field.filter,
  });
  finder.addEventListener('input', () => {
    const words = finder.value.trim().toLowerCase();
    labels.forEach((label, i) => {
      label.hidden = Boolean(words) && !inputs[i].checked && !label.textContent.toLowerCase().includes(words);
    });
  });
  return { el: h('div', {}, finder, group), inputs };
}

// Rows of sub-fields (phones, needs, ...) with add and remove buttons.
function listField(field, value, path) {
  const rows = h('div', { class: 'list-rows' });
  const inputs = [];
  const addRow = (item = {}) => {
    const index = rows.children.length;
    const row = h('div', { class: 'list-row' });
    const removeRow = () => {
      row.remove();
      renumber(rows, path);
    };
    for (const sub of field.item) {
      const subField = { ...sub, labelHidden: true };
      const cell = buildField(subField, item, `${path}.${index}.${sub.name}`);
      cell.classList.add('list-cell');
      row.append(cell);
      inputs.push(...cell.querySelectorAll('input, select, textarea'));
      // A sub-field's onChange(value, row) may reset the row's other cells (a picked product brings its own).
      const picked = sub.onChange && cell.querySelector('select, input:not(.lookup-search), textarea');
      if (picked) picked.addEventListener('change', () => sub.onChange(picked.value, row));
    }
    row.append(
      h(
        'button',
        { type: 'button', class: 'icon-button remove', 'aria-label': t('action.remove'), onClick: removeRow },
        '×',
      ),
    );
    rows.append(row);
    return row;
  };
  for (const item of value ?? []) addRow(item);
  const add = h('button', { type: 'button', class: 'button small' }, `+ ${field.addLabel ?? t('action.add')}`);
  add.addEventListener('click', () => addRow().querySelector('input, select, textarea')?.focus());
  return { el: h('div', {}, rows, add), inputs };
}

// After a removal, rows keep matching the server's indices (errors point at "phones.<index>").
function renumber(rows, path) {
  const prefix = new RegExp(`^${path.replaceAll('.', '\\.')}\\.\\d+`);
  [...rows.children].forEach((row, index) => {
    for (const cell of row.querySelectorAll('[data-field]'))
      cell.dataset.field = cell.dataset.field.replace(prefix, `${path}.${index}`);
  });
}

/** Read the form into a nested object; aliases map server paths of list items to their rows; `invalid` lists
 * the numbers that could not be read (shown as field errors without asking the server). */
function collect(fields, root) {
  const data = {};
  const aliases = {};
  const invalid = [];
  for (const field of fields)
    setPath(data, field.name, readField(field, root.querySelector(`[data-field="${field.name}"]`), aliases, invalid));
  return { data, aliases, invalid };
}

function readField(field, wrapper, aliases, invalid) {
  if (field.type === 'list') {
    const items = [];
    for (const row of wrapper.querySelectorAll(':scope .list-row')) {
      const item = {};
      let rowPath = '';
      for (const sub of field.item) {
        const cell = row.querySelector(`:scope > [data-field$=".${sub.name}"]`);
        rowPath = cell.dataset.field.slice(0, -sub.name.length - 1);
        setPath(item, sub.name, readField(sub, cell, aliases, invalid));
      }
      // Empty rows are dropped, so the server's index n may be another row on screen.
      if (Object.values(item).some((v) => v !== null && v !== false && !(Array.isArray(v) && !v.length))) {
        aliases[`${field.name}.${items.length}`] = rowPath;
        for (const sub of field.item) aliases[`${field.name}.${items.length}.${sub.name}`] = `${rowPath}.${sub.name}`;
        items.push(item);
      }
    }
    return items;
  }
  if (field.type === 'checkboxes') {
    const boxes = wrapper.querySelectorAll('.checkboxes input');
    return field.options.filter((_, i) => boxes[i].checked).map((o) => o.value);
  }
  const input = wrapper.querySelector(field.type === 'lookup' ? 'select' : 'input, select, textarea');
  if (field.type === 'checkbox') return input.checked;
  const text = input.value.trim();
  if (field.type === 'tags' || field.type === 'lines') {
    return text
      .split(field.type === 'tags' ? ',' : '\n')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (!text) return null;
  if (isNumeric(field)) {
    const decimal = parseDecimal(text);
    if (decimal === null) {
      invalid.push({ field: wrapper.dataset.field, code: 'invalid_number', message: t('apierror.invalid_number') });
      return text;
    }
    return field.type === 'number' ? Number(decimal) : decimal;
  }
  if (field.type === 'lookup') return text;
  if (field.type === 'select') return field.options.find((o) => String(o.value) === text)?.value ?? text;
  return text;
}

/** Drop nulls, empty strings and empty lists (a create sends only what was filled in). */
export function compact(value) {
  if (Array.isArray(value)) return value.map(compact).filter((item) => !isEmpty(item));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [key, compact(item)]);
    return Object.fromEntries(entries.filter(([, item]) => !isEmpty(item)));
  }
  return value;
}

function isEmpty(value) {
  if (value == null || value === '') return true;
  if (Array.isArray(value)) return !value.length;
  return typeof value === 'object' && !Object.keys(value).length;
}
