// The people and service accounts of the CRM: who they are, their roles and teams, active or not. Words find a
// username, a name or an e-mail (on the server); kind and status narrow what it answered. The state stays in the
// URL (?q=&kind=&status=), so Back returns to the same list.

import * as api from '../../api.js';
import { dataTable } from '../../components/table.js';
import { toastError } from '../../components/toast.js';
import { append, debounce, h, uid } from '../../dom.js';
import { t } from '../../i18n.js';
import { icon } from '../../icons.js';
import {
  adminTabs,
  kindLabel,
  pageHead,
  roleChips,
  statusChip,
  teamNamer,
  teamNames,
  teamsList,
  userHref,
} from './common.js';

const LIMIT = 500; // the API answers at most this many users

const find = (q, signal) => api.get('/api/v1/users', { query: { q }, signal }).then((response) => response.data);

export const usersPage = {
  name: 'admin-users',
  title: () => t('admin.users'),
  async render(view, ctx) {
    const state = {
      q: ctx.query.get('q') ?? '',
      kind: ctx.query.get('kind') ?? '',
      status: ctx.query.get('status') ?? '',
    };
    const [first, teams] = await Promise.all([find(state.q, ctx.signal), teamsList(ctx.signal)]);
    let found = first;
    const teamName = teamNamer(teams);

    const table = dataTable({
      caption: t('admin.users'),
      emptyText: t('admin.users_none'),
      rowClass: (user) => (user.active ? '' : 'admin-inactive'),
      columns: [
        {
          key: 'name',
          label: t('admin.user.name'),
          className: 'primary',
          render: (user) =>
            h(
              'a',
              { href: userHref(user.id), class: 'admin-user-link' },
              icon(user.kind === 'service' ? 'key' : 'person'),
              h('span', {}, user.display_name),
            ),
        },
        { key: 'username', label: t('admin.user.username'), render: (user) => h('code', {}, user.username) },
        { key: 'email', label: t('admin.user.email'), render: (user) => user.email ?? '' },
        { key: 'roles', label: t('admin.user.roles'), render: (user) => roleChips(user.roles) },
        { key: 'teams', label: t('admin.user.teams'), render: (user) => teamNames(user.team_ids, teamName) },
        { key: 'kind', label: t('admin.user.kind'), className: 'nowrap', render: kindLabel },
        { key: 'status', label: t('admin.user.status'), render: statusChip },
      ],
    });
    const count = h('p', { class: 'list-count', 'aria-live': 'polite' });

    const search = h('input', { type: 'search', id: uid('q'), value: state.q, autocomplete: 'off' });
    const kind = choice(state.kind, [
      ['', t('admin.kind.any')],
      ['person', t('admin.kind.people')],
      ['service', t('admin.kind.services')],
    ]);
    const status = choice(state.status, [
      ['', t('admin.status.any')],
      ['active', t('admin.status.active')],
      ['inactive', t('admin.status.inactive')],
    ]);

    function show() {
      const rows = found.filter(
        (user) =>
          (!state.kind || user.kind === state.kind) && (!state.status || user.active === (state.status === 'active')),
      );
      table.setRows(rows);
      count.textContent =
        found.length >= LIMIT
          ? t('admin.users_limit', { count: LIMIT })
          : t('admin.users_count', { count: rows.length });
    }

    function remember() {
      const url = new URL(location.href);
      for (const [key, value] of Object.entries(state))
        value ? url.searchParams.set(key, value) : url.searchParams.delete(key);
      history.replaceState(null, '', url);
    }

    let pending = null;
    const reload = debounce(async () => {
      pending?.abort();
      const request = (pending = new AbortController());
      try {
        found = await find(state.q, AbortSignal.any([ctx.signal, request.signal]));
        show();
      } catch (error) {
        if (!request.signal.aborted && !ctx.signal.aborted) toastError(error);
      }
    }, 300);

    search.addEventListener('input', () => {
      state.q = search.value.trim();
      remember();
      reload();
    });
    for (const [name, select] of [
      ['kind', kind],
      ['status', status],
    ])
      select.addEventListener('change', () => {
        state[name] = select.value;
        remember();
        show();
      });

    show();
    append(
      view,
      pageHead(
        t('admin.users'),
        h('a', { class: 'button primary', href: '/admin/users/new' }, icon('plus'), t('admin.user_new')),
      ),
      adminTabs('users'),
      h(
        'form',
        {
          class: 'filters',
          role: 'search',
          'aria-label': t('list.search'),
          onSubmit: (event) => event.preventDefault(),
        },
        labelled(t('admin.users_find'), search, 'filter-q'),
        labelled(t('admin.user.kind'), kind),
        labelled(t('admin.user.status'), status),
      ),
      count,
      table.el,
    );
  },
};

function choice(value, options) {
  const select = h(
    'select',
    { id: uid('filter') },
    options.map(([key, label]) => h('option', { value: key }, label)),
  );
  select.value = value;
  return select;
}

function labelled(label, control, className = '') {
  return h('div', { class: `filter ${className}` }, h('label', { for: control.id }, label), control);
}
