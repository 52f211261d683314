// A list screen for any collection of the REST API: search words, filters (`field:op:value`), sort,
// saved filters, a count, "show more" by cursor. Its state lives in the URL (?q=&filter=&sort=), so a
// filtered list can be bookmarked, shared and restored with Back.

import * as api from '../api.js';
import { debounce, h, uid } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from '../messages.js';
import { dataTable } from './table.js';
import { toastError } from './toast.js';

const PAGE_SIZE = 50;

/**
 * listView(ctx, config) -> {el, panel, prepend(row), reload()}; awaits the first page.
 * config: {heading, endpoint, countEndpoint?, columns, filters: [{name, label, type: 'select'|'text',
 *   options?, filter: 'field:op'}], sorts: [{value, label}], defaultSort, searchLabel,
 *   savedFilters?: {list(), create(spec), remove(filter), removable(filter)}, toolbar?: nodes,
 *   rowClass?(row), quickFilters?: [{label, name, value}], scopes?: {param, label, default, options: [{value, label,
 *   filter() -> ['field:op:value'], sort?}]}, params?: {name: value}, searchFilter?: 'field:op'}
 * A quick filter is a toggle button that sets the filter `name` to `value` (pressed while it is set).
 * Scopes are toggle buttons of which one is on (`?<param>=<value>` in the URL, the default left out); each adds
 * the API filters its `filter()` computes when the list loads ("due today" is today's bounds, whatever the URL).
 * `params` are sent to the API with every request (`mine: true`); `searchFilter` sends the words as that filter
 * (`subject:contains`) to an endpoint without `q`.
 * `panel` is an empty slot under the heading for inline forms (a create form, say).
 */
export async function listView(ctx, config) {
  const state = readState(ctx.query, config);
  let loading = null;
  let cursor = '';

  const count = h('p', { class: 'list-count', 'aria-live': 'polite' });
  const more = h(
    'button',
    { type: 'button', class: 'button', hidden: true, onClick: () => load({ append: true }) },
    t('list.more'),
  );
  const table = dataTable({
    columns: config.columns,
    caption: config.heading,
    sort: state.sort,
    onSort: (sort) => apply({ sort }),
    rowClass: config.rowClass,
    compact: true,
  });

  const search = h('input', { type: 'search', id: uid('q'), name: 'q', value: state.q, autocomplete: 'off' });
  const inputs = Object.fromEntries(config.filters.map((f) => [f.name, filterInput(f, state.filters[f.name])]));
  const sortSelect = h(
    'select',
    { id: uid('sort'), name: 'sort' },
    config.sorts.map((s) => h('option', { value: s.value }, s.label)),
  );
  sortSelect.value = state.sort;
  const extras = h('div', { class: 'filter-extras' });
  const typed = debounce(() => apply(readInputs()), 300);

  const saved = config.savedFilters
    ? savedFiltersBar(config.savedFilters, {
        current: () => ({
          query: state.q,
          filters: (toQuery(state, config).filter ?? []).map(parseFilter),
          sort: state.sort,
        }),
        apply: (chosen) => apply(readState(savedParams(chosen), config), true),
      })
    : null;
  // On a phone the filters fold away unless some are set; words and sort stay in view.
  const narrow = matchMedia('(max-width: 760px)').matches;
  const activeFilters = Object.keys(state.filters).length + state.extra.length;
  const submitted = (event) => {
    event.preventDefault();
    apply(readInputs());
  };
  const searchBar = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('list.search'), onSubmit: submitted },
    labelled(config.searchLabel ?? t('list.search'), search, 'filter-q'),
    labelled(t('list.sort'), sortSelect),
    h(
      'button',
      {
        type: 'button',
        class: 'button',
        onClick: () =>
          apply({ q: '', filters: {}, extra: [], sort: config.defaultSort, scope: config.scopes?.default ?? '' }, true),
      },
      t('list.reset'),
    ),
  );
  const filterFields = h(
    'form',
    { class: 'filters', 'aria-label': t('list.filters'), onSubmit: submitted },
    config.filters.map((f) => labelled(f.label, inputs[f.name])),
    extras,
  );
  const filterBox = h(
    'details',
    { class: 'filters-more', open: !narrow || activeFilters > 0 },
    h('summary', {}, t('list.filters')),
    filterFields,
    saved?.el,
  );
  for (const bar of [searchBar, filterFields]) {
    bar.addEventListener('input', (e) => (e.target.type === 'search' || e.target.type === 'text' ? typed() : null));
    bar.addEventListener('change', (e) => (e.target.tagName === 'SELECT' ? apply(readInputs()) : null));
  }

  const quick = (config.quickFilters ?? []).map((spec) =>
    h(
      'button',
      {
        type: 'button',
        class: 'button small quick-filter',
        onClick: () => {
          const filters = { ...state.filters };
          if (filters[spec.name] === spec.value) delete filters[spec.name];
          else filters[spec.name] = spec.value;
          apply({ filters }, true);
        },
      },
      spec.label,
    ),
  );
  const scopes = (config.scopes?.options ?? []).map((option) =>
    h(
      'button',
      {
        type: 'button',
        class: 'button small quick-filter',
        dataset: { scope: option.value },
        onClick: () => {
          const scope = state.scope === option.value ? config.scopes.default : option.value;
          const chosen = config.scopes.options.find((o) => o.value === scope);
          apply(chosen?.sort ? { scope, sort: chosen.sort } : { scope }, true);
        },
      },
      option.label,
    ),
  );
  const renderQuick = () => {
    quick.forEach((button, i) => {
      const spec = config.quickFilters[i];
      button.setAttribute('aria-pressed', String(state.filters[spec.name] === spec.value));
    });
    scopes.forEach((button) => button.setAttribute('aria-pressed', String(state.scope === button.dataset.scope)));
  };
  const quickBar = h(
    'div',
    { class: 'quick-bar' },
    scopes.length > 0 &&
      h('div', { class: 'quick-filters scopes', role: 'group', 'aria-label': config.scopes.label }, scopes),
    quick.length > 0 && h('div', { class: 'quick-filters', role: 'group', 'aria-label': t('list.quick') }, quick),
  );

  const panel = h('div', { class: 'list-panel' });
  const el = h(
    'section',
    { class: 'list-view' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', { tabindex: '-1' }, config.heading),
      h('div', { class: 'toolbar' }, config.toolbar),
    ),
    panel,
    searchBar,
    quickBar,
    filterBox,
    count,
    table.el,
    more,
  );

  function readInputs() {
    const filters = {};
    for (const f of config.filters) if (inputs[f.name].value.trim()) filters[f.name] = inputs[f.name].value.trim();
    return { q: search.value.trim(), filters, sort: sortSelect.value };
  }

  // Change the state, show it in the inputs and the URL, load the first page.
  function apply(change, updateInputs = false) {
    Object.assign(state, change);
    if (updateInputs || change.sort !== undefined) {
      search.value = state.q;
      for (const f of config.filters) inputs[f.name].value = state.filters[f.name] ?? '';
      sortSelect.value = state.sort;
    }
    table.setSort(state.sort);
    renderExtras();
    renderQuick();
    const params = new URLSearchParams(toQuery(state, config, true)).toString();
    history.replaceState(null, '', params ? `${location.pathname}?${params}` : location.pathname);
    return load();
  }

  // Filters the inputs cannot show (from a saved filter or a link) stay visible and removable.
  function renderExtras() {
    extras.replaceChildren(
      ...state.extra.map((raw) =>
        h(
          'span',
          { class: 'chip' },
          raw,
          h(
            'button',
            {
              type: 'button',
              class: 'chip-remove',
              'aria-label': t('action.remove'),
              onClick: () => apply({ extra: state.extra.filter((x) => x !== raw) }),
            },
            '×',
          ),
        ),
      ),
    );
  }

  // The first page of the first load is the page's content: its failure fails the page (error panel).
  // Later loads (filters, "show more") report a failure in a toast and keep what is shown.
  async function load({ append = false, initial = false } = {}) {
    loading?.abort();
    const controller = new AbortController();
    loading = controller;
    ctx.signal.addEventListener('abort', () => controller.abort(), { once: true });
    const query = { ...toQuery(state, config), limit: PAGE_SIZE, cursor: append ? cursor : '' };
    el.setAttribute('aria-busy', 'true');
    try {
      const [page, total] = await Promise.all([
        api.get(config.endpoint, { query, signal: controller.signal }),
        !append && config.countEndpoint
          ? api.get(config.countEndpoint, { query: { q: query.q, filter: query.filter }, signal: controller.signal })
          : null,
      ]);
      cursor = page.data.next_cursor;
      table.setRows(page.data.items, { append });
      more.hidden = !cursor;
      if (total)
        count.textContent = t(total.data.capped ? 'list.found_more' : 'list.found', { count: total.data.count });
    } catch (error) {
      if (controller.signal.aborted) return;
      if (initial) throw error;
      toastError(error);
    } finally {
      if (loading === controller) el.setAttribute('aria-busy', 'false');
    }
  }

  renderExtras();
  renderQuick();
  await Promise.all([load({ initial: true }), saved?.load()]);
  return { el, panel, prepend: (row) => table.prependRow(row), reload: () => load() };
}

function labelled(text, input, className = '') {
  return h('div', { class: `filter ${className}` }, h('label', { for: input.id }, text), input);
}

function filterInput(spec, value = '') {
  const attrs = { id: uid('filter'), name: spec.name };
  const input =
    spec.type === 'select'
      ? h(
          'select',
          attrs,
          h('option', { value: '' }, t('list.any')),
          spec.options.map((o) => h('option', { value: o.value }, o.label)),
        )
      : h('input', { ...attrs, type: 'text', autocomplete: 'off' });
  input.value = value;
  return input;
}

// URL or saved filter -> {q, filters: {name: value}, extra: ['field:op:value'], sort}.
function readState(query, config) {
  const filters = {};
  const extra = [];
  for (const raw of query.getAll('filter')) {
    const spec = config.filters.find((f) => raw.startsWith(`${f.filter}:`));
    if (spec && !(spec.name in filters)) filters[spec.name] = raw.slice(spec.filter.length + 1);
    else extra.push(raw);
  }
  const scope = config.scopes ? query.get(config.scopes.param) || config.scopes.default : '';
  return { q: query.get('q') ?? '', filters, extra, sort: query.get('sort') || config.defaultSort, scope };
}

// State -> query parameters of the API (and of the page's URL, which leaves the default sort out).
function toQuery(state, config, forUrl = false) {
  const filter = [
    ...config.filters.filter((f) => state.filters[f.name]).map((f) => `${f.filter}:${state.filters[f.name]}`),
    ...state.extra,
  ];
  const scope = config.scopes?.options.find((o) => o.value === state.scope);
  if (!forUrl) {
    if (scope) filter.push(...scope.filter());
    if (state.q && config.searchFilter) filter.push(`${config.searchFilter}:${state.q}`);
  }
  const query = forUrl ? {} : { ...config.params };
  if (state.q && (forUrl || !config.searchFilter)) query.q = state.q;
  if (filter.length) query.filter = filter;
  if (!forUrl || state.sort !== config.defaultSort) query.sort = state.sort;
  if (forUrl && config.scopes && state.scope !== config.scopes.default) query[config.scopes.param] = state.scope;
  if (!forUrl) return query;
  const params = [];
  for (const [key, value] of Object.entries(query)) for (const item of [value].flat()) params.push([key, item]);
  return params;
}

function parseFilter(raw) {
  const [field, op, ...value] = raw.split(':');
  return { field, op, value: value.join(':') };
}

// A saved filter as the query parameters of a URL.
function savedParams(saved) {
  const params = new URLSearchParams();
  if (saved.query) params.set('q', saved.query);
  for (const f of saved.filters) params.append('filter', `${f.field}:${f.op}:${f.value}`);
  if (saved.sort) params.set('sort', saved.sort);
  return params;
}

// Saved filters: pick one to apply it, save the current search under a name, delete your own.
function savedFiltersBar(source, search) {
  let filters = [];
  const select = h('select', { id: uid('saved') });
  const remove = h('button', { type: 'button', class: 'button', hidden: true }, t('saved.delete'));
  const name = h('input', { type: 'text', id: uid('saved-name'), maxlength: 300, required: true });
  const shared = h('input', { type: 'checkbox', id: uid('saved-shared') });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const saveForm = h(
    'form',
    { class: 'saved-form', hidden: true, onSubmit: onSave },
    h('div', { class: 'filter' }, h('label', { for: name.id }, t('saved.name')), name),
    h('div', { class: 'field-checkbox' }, shared, h('label', { for: shared.id }, t('saved.shared'))),
    h('button', { type: 'submit', class: 'button primary' }, t('action.save')),
    h('button', { type: 'button', class: 'button', onClick: () => (saveForm.hidden = true) }, t('action.cancel')),
    error,
  );
  const open = h(
    'button',
    { type: 'button', class: 'button', onClick: () => ((saveForm.hidden = false), name.focus()) },
    t('saved.save_current'),
  );
  const el = h(
    'div',
    { class: 'saved-filters' },
    h('div', { class: 'filter' }, h('label', { for: select.id }, t('saved.label')), select),
    remove,
    open,
    saveForm,
  );

  function render(selectedId = '') {
    select.replaceChildren(
      h('option', { value: '' }, t('saved.choose')),
      ...filters.map((f) => h('option', { value: f.id }, f.shared ? `${f.name} (${t('saved.shared_mark')})` : f.name)),
    );
    select.value = selectedId;
    remove.hidden = !filters.find((f) => f.id === selectedId && source.removable(f));
  }

  select.addEventListener('change', () => {
    const chosen = filters.find((f) => f.id === select.value);
    remove.hidden = !(chosen && source.removable(chosen));
    if (chosen) search.apply(chosen);
  });
  remove.addEventListener('click', async () => {
    const chosen = filters.find((f) => f.id === select.value);
    try {
      await source.remove(chosen);
      filters = filters.filter((f) => f !== chosen);
      render();
    } catch (e) {
      toastError(e);
    }
  });

  async function onSave(event) {
    event.preventDefault();
    error.hidden = true;
    try {
      const created = await source.create({ name: name.value.trim(), ...search.current(), shared: shared.checked });
      filters.push(created);
      saveForm.hidden = true;
      name.value = '';
      render(created.id);
    } catch (e) {
      error.textContent = errorText(e.errors?.[0] ?? e);
      error.hidden = false;
    }
  }

  return {
    el,
    async load() {
      filters = await source.list();
      render();
    },
  };
}
