// Legal entities (admins): your company's requisites printed on every document. The list with the default one
// marked; "New legal entity" and "Edit" open a form of requisites (INN, KPP, OGRN, bank, BIC, accounts), signatories,
// VAT payer, number prefixes per document type and "default"; the server checks the INN, KPP, BIC and accounts and
// its field errors are shown under their inputs. Archive and restore; "Make default".

import * as api from '../../api.js';
import { formDialog } from '../../components/dialog.js';
import { compact } from '../../components/form.js';
import { pageHead } from '../../components/page.js';
import { dataTable } from '../../components/table.js';
import { toast, toastError } from '../../components/toast.js';
import { h, uid } from '../../dom.js';
import { t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { DOC_TYPES, docTypeLabel, documentsTabs, me } from '../common.js';

const ROLES = ['director', 'accountant', 'manager'];

function entityFields() {
  const text = (name, extra = {}) => ({ name, label: t(`legal.${name}`), autocomplete: 'off', ...extra });
  return [
    text('name', { required: true, hint: t('legal.name_hint') }),
    text('full_name', { wide: true }),
    text('inn', { required: true, inputmode: 'numeric' }),
    text('kpp', { inputmode: 'numeric' }),
    text('ogrn', { inputmode: 'numeric' }),
    text('address', { wide: true }),
    text('phone', { type: 'tel' }),
    text('email', { type: 'email' }),
    text('bank_name'),
    text('bik', { inputmode: 'numeric' }),
    text('correspondent_account', { inputmode: 'numeric' }),
    text('account', { inputmode: 'numeric' }),
    {
      name: 'signatories',
      label: t('legal.signatories'),
      type: 'list',
      addLabel: t('legal.signatory_add'),
      item: [
        {
          name: 'role',
          label: t('legal.signatory.role'),
          type: 'select',
          options: ROLES.map((r) => ({ value: r, label: t(`legal.role.${r}`) })),
        },
        { name: 'title', label: t('legal.signatory.title') },
        { name: 'name', label: t('legal.signatory.name') },
        { name: 'basis', label: t('legal.signatory.basis') },
      ],
    },
    ...DOC_TYPES.map((type) => ({
      name: `number_prefixes.${type}`,
      label: t('legal.prefix', { type: docTypeLabel(type) }),
      autocomplete: 'off',
    })),
    { name: 'vat_payer', label: t('legal.vat_payer'), type: 'checkbox' },
    { name: 'is_default', label: t('legal.is_default'), type: 'checkbox' },
  ];
}

/** The form's values as the API takes them: prefixes without the empty ones, signatories without nulls. */
function body(data) {
  const prefixes = Object.fromEntries(Object.entries(data.number_prefixes ?? {}).filter(([, v]) => v));
  const signatories = (data.signatories ?? []).map((s) => ({
    role: s.role ?? '',
    title: s.title ?? '',
    name: s.name ?? '',
    basis: s.basis ?? '',
  }));
  return { ...data, number_prefixes: prefixes, signatories };
}

export const legalEntitiesPage = {
  name: 'legal-entities',
  title: () => t('documents.tab.legal_entities'),
  async render(view, ctx) {
    const user = await me();
    const archived = h('input', { type: 'checkbox', id: uid('archived') });
    const table = dataTable({
      caption: t('documents.tab.legal_entities'),
      emptyText: t('legal.none'),
      rowClass: (e) => (e.archived ? 'muted' : ''),
      columns: [
        {
          key: 'name',
          label: t('legal.name'),
          className: 'primary',
          render: (e) => [
            e.name,
            e.is_default && [' ', h('span', { class: 'chip strong' }, t('legal.default'))],
            e.archived && [' ', h('span', { class: 'chip' }, t('legal.archived'))],
          ],
        },
        { key: 'inn', label: t('legal.inn'), className: 'nowrap' },
        { key: 'kpp', label: t('legal.kpp'), className: 'nowrap' },
        { key: 'bank_name', label: t('legal.bank_name') },
        { key: 'vat_payer', label: t('legal.vat'), render: (e) => t(e.vat_payer ? 'legal.vat_yes' : 'legal.vat_no') },
        {
          key: 'actions',
          label: t('documents.actions'),
          className: 'row-actions',
          render: (e) => [
            h(
              'button',
              {
                type: 'button',
                class: 'button small',
                'aria-label': t('legal.edit_of', { name: e.name }),
                onClick: () => edit(e),
              },
              t('action.edit'),
            ),
            !e.is_default &&
              !e.archived &&
              h(
                'button',
                { type: 'button', class: 'button small ghost', onClick: () => change(e, { is_default: true }) },
                t('legal.make_default'),
              ),
            !e.is_default &&
              h(
                'button',
                { type: 'button', class: 'button small ghost', onClick: () => change(e, { archived: !e.archived }) },
                t(e.archived ? 'legal.restore' : 'legal.archive'),
              ),
          ],
        },
      ],
    });

    async function load() {
      try {
        const { data } = await api.get('/api/v1/legal-entities', {
          query: { include_archived: archived.checked || undefined },
          signal: ctx.signal,
        });
        table.setRows(data);
      } catch (error) {
        if (error?.name !== 'AbortError') toastError(error);
      }
    }

    async function edit(entity = null) {
      const values = entity ?? {
        vat_payer: true,
        is_default: true,
        number_prefixes: { invoice: 'СЧ-', act: 'АКТ-' },
        signatories: [{ role: 'director' }, { role: 'accountant' }],
      };
      const saved = await formDialog({
        title: entity ? t('legal.edit_title', { name: entity.name }) : t('legal.new'),
        className: 'legal-entity-dialog',
        fields: entityFields(),
        values,
        submitLabel: entity ? t('action.save') : t('action.create'),
        submit: async (data) => {
          if (!entity) return (await api.post('/api/v1/legal-entities', compact(body(data)))).data;
          return (await api.patch(`/api/v1/legal-entities/${entity.id}`, body(data), { etag: `"${entity.version}"` }))
            .data;
        },
        onConflict: load,
      });
      if (saved) {
        toast(t(entity ? 'legal.saved' : 'legal.created', { name: saved.name }), { kind: 'success' });
        await load();
      }
    }

    async function change(entity, patch) {
      try {
        await api.patch(`/api/v1/legal-entities/${entity.id}`, patch, { etag: `"${entity.version}"` });
        toast(t('legal.saved', { name: entity.name }), { kind: 'success' });
      } catch (error) {
        toastError(error);
      }
      await load();
    }

    archived.addEventListener('change', load);
    view.append(
      pageHead(
        t('documents.tab.legal_entities'),
        h('button', { type: 'button', class: 'button primary', onClick: () => edit() }, icon('plus'), t('legal.new')),
      ),
      documentsTabs(user, 'legal'),
      h(
        'div',
        { class: 'filters' },
        h('label', { class: 'chip-check', for: archived.id }, archived, t('legal.show_archived')),
      ),
      h('div', { class: 'panel' }, table.el),
    );
    await load();
  },
};
