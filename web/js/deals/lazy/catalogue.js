// The catalogue (/catalogue): products and services deal lines pick from. Everyone finds them by name or article;
// admins and catalogue managers add, edit, archive and restore them (the server refuses everybody else).

import * as api from '../../api.js';
import { formDialog } from '../../components/dialog.js';
import { pageHead } from '../../components/page.js';
import { dataTable } from '../../components/table.js';
import { toast, toastError } from '../../components/toast.js';
import { debounce, h, uid } from '../../dom.js';
import { t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { money } from '../format.js';
import { productFields, unitLabel, units, vatRateLabel } from './vat.js';

const PAGE_SIZE = 50;

/** Admins and catalogue managers change the catalogue. */
export const mayEditCatalogue = (me) => me.roles.includes('admin') || me.roles.includes('catalog_manager');

/** The base price in roubles, else the first price a product has. */
const basePrice = (p) => p.prices.find((x) => x.price_list === 'base' && x.currency === 'RUB') ?? p.prices[0];

export const cataloguePage = {
  name: 'catalogue',
  title: () => t('catalogue.title'),
  async render(view, ctx) {
    const [me, unitList] = await Promise.all([api.cached('/api/v1/me'), units()]);
    const editable = mayEditCatalogue(me);
    let cursor = '';

    const search = h('input', {
      type: 'search',
      id: uid('q'),
      value: ctx.query.get('q') ?? '',
      placeholder: t('catalogue.search'),
      'aria-label': t('catalogue.search'),
    });
    const kind = h(
      'select',
      { id: uid('kind') },
      h('option', { value: '' }, t('catalogue.kind.any')),
      ['product', 'service'].map((k) => h('option', { value: k }, t(`catalogue.kind.${k}`))),
    );
    const archived = h('input', { type: 'checkbox', id: uid('archived') });
    const count = h('p', { class: 'list-count', 'aria-live': 'polite' });
    const more = h(
      'button',
      { type: 'button', class: 'button', hidden: true, onClick: () => load(true) },
      t('list.more'),
    );

    const table = dataTable({
      caption: t('catalogue.title'),
      emptyText: t('catalogue.none'),
      rowClass: (p) => (p.archived ? 'muted' : ''),
      columns: [
        {
          key: 'name',
          label: t('catalogue.name'),
          className: 'primary',
          render: (p) => [
            p.name,
            p.archived && [' ', h('span', { class: 'chip' }, t('catalogue.archived'))],
            p.description && h('p', { class: 'muted' }, p.description),
          ],
        },
        { key: 'article', label: t('catalogue.article'), className: 'nowrap' },
        { key: 'kind', label: t('catalogue.kind'), render: (p) => t(`catalogue.kind.${p.kind}`) },
        { key: 'unit', label: t('catalogue.unit'), render: (p) => unitLabel(unitList, p.unit_code) },
        { key: 'vat', label: t('vat.rate'), className: 'nowrap', render: (p) => vatRateLabel(p.vat_rate) },
        {
          key: 'price',
          label: t('catalogue.price'),
          className: 'num nowrap',
          render: (p) => (basePrice(p) ? money(basePrice(p).price, basePrice(p).currency) : ''),
        },
        editable && {
          key: 'actions',
          label: t('catalogue.actions'),
          render: (p) =>
            h(
              'div',
              { class: 'row-actions' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'button small',
                  'aria-label': t('catalogue.edit_of', { name: p.name }),
                  onClick: () => edit(p),
                },
                t('action.edit'),
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'button small secondary',
                  'aria-label': t(p.archived ? 'catalogue.restore_of' : 'catalogue.archive_of', { name: p.name }),
                  onClick: () => setArchived(p, !p.archived),
                },
                t(p.archived ? 'catalogue.restore' : 'catalogue.archive'),
              ),
            ),
        },
      ].filter(Boolean),
    });

    async function load(append = false) {
      try {
        const query = { q: search.value.trim(), limit: PAGE_SIZE, cursor: append ? cursor : '' };
        if (kind.value) query.kind = kind.value;
        if (archived.checked) query.include_archived = true;
        const { data } = await api.get('/api/v1/products', { query, signal: ctx.signal });
        cursor = data.next_cursor;
        table.setRows(data.items, { append });
        more.hidden = !cursor;
        count.textContent = data.items.length || append ? '' : t('catalogue.none');
      } catch (error) {
        if (error?.name !== 'AbortError') toastError(error);
      }
    }

    // The form's values: a product's price lists as rows; a new product in pieces at 22 % VAT by default.
    async function edit(product = null) {
      const values = product ?? {
        kind: 'product',
        unit_code: '796',
        vat_rate: '22',
        prices: [{ price_list: 'base', currency: 'RUB' }],
      };
      const saved = await formDialog({
        title: product ? t('catalogue.edit_title', { name: product.name }) : t('catalogue.new'),
        className: 'catalogue-dialog',
        fields: productFields(unitList),
        values,
        submitLabel: product ? t('action.save') : t('action.create'),
        submit: async (data) => {
          const body = { ...data, prices: (data.prices ?? []).filter((p) => p.price) };
          if (!product) return (await api.post('/api/v1/products', dropNulls(body))).data;
          return (await api.patch(`/api/v1/products/${product.id}`, body, { etag: `"${product.version}"` })).data;
        },
        onConflict: () => load(),
      });
      if (saved) {
        toast(t(product ? 'catalogue.saved' : 'catalogue.created', { name: saved.name }), { kind: 'success' });
        await load();
      }
    }

    async function setArchived(product, value) {
      try {
        await api.patch(`/api/v1/products/${product.id}`, { archived: value }, { etag: `"${product.version}"` });
        toast(t(value ? 'catalogue.archived_done' : 'catalogue.restored_done', { name: product.name }), {
          kind: 'success',
        });
        await load();
      } catch (error) {
        toastError(error);
      }
    }

    const reload = debounce(() => load(), 250);
    search.addEventListener('input', reload);
    kind.addEventListener('change', () => load());
    archived.addEventListener('change', () => load());

    view.append(
      pageHead(
        t('catalogue.title'),
        editable &&
          h(
            'button',
            { type: 'button', class: 'button primary', onClick: () => edit() },
            icon('plus'),
            t('catalogue.new'),
          ),
      ),
      h(
        'div',
        { class: 'filters catalogue-filters' },
        h('div', { class: 'filter grow' }, search),
        h('div', { class: 'filter' }, h('label', { for: kind.id }, t('catalogue.kind')), kind),
        h(
          'div',
          { class: 'filter' },
          h('label', { class: 'chip-check', for: archived.id }, archived, t('catalogue.show_archived')),
        ),
      ),
      h('div', { class: 'panel' }, table.el, count, more),
    );
    await load();
  },
};

function dropNulls(value) {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== ''));
}
