// The import wizard's parts that know fields and rows: what each target's columns may fill, their labels, and
// rows as the import reads them with their problems (the preview, and the rows it refused).

import { dataTable } from '../../components/table.js';
import { h, uid } from '../../dom.js';
import { has, t } from '../../i18n.js';
import { errorText } from '../../messages.js';

// What each target's columns may fill (the marketing service's imports/mapping.py).
export const FIELDS = {
  leads: [
    'person_name',
    'first_name',
    'last_name',
    'middle_name',
    'company_name',
    'email',
    'phone',
    'inn',
    'position',
    'comment',
    'utm_source',
    'utm_medium',
    'utm_campaign',
    'utm_content',
    'utm_term',
    'tags',
    'owner_email',
  ],
  parties: [
    'kind',
    'name',
    'first_name',
    'last_name',
    'middle_name',
    'position',
    'company_name',
    'short_name',
    'inn',
    'kpp',
    'ogrn',
    'phone',
    'mobile_phone',
    'home_phone',
    'fax',
    'email',
    'personal_email',
    'address',
    'postal_address',
    'website',
    'industry',
    'comment',
    'tags',
    'owner_email',
  ],
};

/** A field's label (its name when the dictionary has none). */
export const fieldLabel = (name) => (has(`importfield.${name}`) ? t(`importfield.${name}`) : name);

/** A labelled select: {el, input}. */
export function select(name, label, options) {
  const input = h(
    'select',
    { id: uid(name), name },
    options.map((o) => h('option', { value: o.value }, o.label)),
  );
  return { el: h('div', { class: 'field' }, h('label', { for: input.id }, label), input), input };
}

/** Rows as the import reads them, with each row's problems beside it. */
export function previewTable(rows, fields) {
  if (!rows.length) return h('p', { class: 'muted' }, t('list.empty'));
  // The fields the rows carry, in the target's order, then any other keys the server sent.
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row.values ?? {})))];
  const used = [...fields.filter((f) => keys.includes(f)), ...keys.filter((k) => !fields.includes(k))];
  const table = dataTable({
    caption: t('import.preview'),
    rowClass: (row) => (row.errors?.length ? 'row-error' : ''),
    columns: [
      { key: 'row_number', label: t('import.row'), className: 'num' },
      ...used.map((f) => ({ key: f, label: fieldLabel(f), render: (row) => row.values?.[f] ?? '' })),
      {
        key: 'errors',
        label: t('import.problems'),
        render: (row) =>
          (row.errors ?? []).map((e) =>
            h('p', { class: 'field-error' }, `${e.field ? `${fieldLabel(e.field)}: ` : ''}${errorText(e)}`),
          ),
      },
    ],
  });
  table.setRows(rows);
  return h('div', { class: 'preview-table' }, table.el);
}
