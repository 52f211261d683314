// The sections of a card that edit in place, and the one that shows a record's custom fields.
// A section shows its view; "Edit" swaps in a form over the same data, and saving or cancelling swaps back.

import { h, replace } from '../dom.js';
import { formatDate, formatNumber, t } from '../i18n.js';
import { icon } from '../icons.js';
import { form } from './form.js';
import { panel } from './page.js';

/**
 * An editable section. `display()` builds the view; `fields()` (may be async) the form's fields, or null when
 * the caller may not edit; `values()` what the form starts from; `submit(data)` saves (it throws problems
 * the form shows); `onConflict()` reloads the record after a 412.
 */
export function editableSection({ id, title, display, fields, values, submit, onConflict }) {
  const body = h('div', {});
  const edit =
    fields &&
    h(
      'button',
      { type: 'button', class: 'button small', 'aria-label': `${t('action.edit')}: ${title}` },
      icon('edit'),
      h('span', { 'aria-hidden': 'true' }, t('action.edit')),
    );
  const show = () => {
    replace(body, display());
    if (edit) edit.hidden = false;
  };
  edit?.addEventListener('click', async () => {
    edit.hidden = true;
    const editor = form({
      fields: await fields(),
      values: values(),
      submit,
      onCancel: () => (show(), edit.focus()),
      onConflict,
    });
    replace(body, editor.el);
    editor.focus();
  });
  show();
  return panel(id, title, body, edit);
}

const FIELD_TYPES = { string: 'text', number: 'number', date: 'date', enum: 'select', bool: 'checkbox' };

/** Form fields for custom field definitions (archived ones are left out: they take no new values). */
export function customFieldInputs(definitions) {
  return definitions
    .filter((d) => !d.archived)
    .map((d) => ({
      name: `custom_fields.${d.key}`,
      label: d.label,
      type: FIELD_TYPES[d.type] ?? 'text',
      required: d.required,
      options: d.options.map((o) => ({ value: o, label: o })),
    }));
}

/**
 * The "More fields" section of a record with custom fields (a party, a deal): the values of `definitions`
 * (GET /api/v1/custom-fields, /api/v1/deals/custom-fields), editable when `save(patch)` is given.
 */
export function customFieldsSection({ record, definitions, title = t('custom_fields.title'), save, onConflict }) {
  const active = definitions.filter((d) => !d.archived);
  return editableSection({
    id: 'custom',
    title,
    display: () => customFieldsView(record, active),
    fields: save ? () => customFieldInputs(active) : null,
    values: () => record,
    submit: (data) => save({ custom_fields: data.custom_fields ?? {} }),
    onConflict,
  });
}

function customFieldsView(record, definitions) {
  const shown = (d, value) =>
    d.type === 'bool'
      ? t(value ? 'common.yes' : 'common.no')
      : d.type === 'date'
        ? formatDate(value, { dateOnly: true })
        : d.type === 'number' && typeof value === 'number'
          ? formatNumber(value)
          : String(value);
  const filled = definitions.filter((d) => record.custom_fields?.[d.key] != null && record.custom_fields[d.key] !== '');
  if (!filled.length) return h('p', { class: 'muted' }, t('party.empty_section'));
  return h(
    'dl',
    { class: 'details' },
    filled.map((d) => [h('dt', {}, d.label), h('dd', {}, shown(d, record.custom_fields[d.key]))]),
  );
}
