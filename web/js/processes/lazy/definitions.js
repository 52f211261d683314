// Process definitions: the list (the newest version of each, what starts it, on or off, how many of its instances
// run, are late, completed or failed) and one definition (any version: its steps, its source).
// A definition is turned on or off as a whole (its newest version); turning it off starts no new instances,
// the running ones go on.

import * as api from '../../api.js';
import { dataTable } from '../../components/table.js';
import { toast, toastError } from '../../components/toast.js';
import { append, h, uid } from '../../dom.js';
import { formatDate, formatNumber, localName, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { navigate } from '../../router.js';
import { definitionHref, triggerText } from '../format.js';
import { definitions, nameOf, pageHead, panel, processTabs, stepsList, users } from './common.js';

const instancesHref = (key, query = '') => `/processes/instances?key=${encodeURIComponent(key)}${query}`;

export const definitionsPage = {
  name: 'processes',
  title: () => t('processes.title'),
  async render(view, ctx) {
    const list = await definitions(ctx.signal);
    const count = (key, query, value, danger = false) =>
      value
        ? h('a', { href: instancesHref(key, query), class: danger ? 'chip danger' : null }, formatNumber(value))
        : h('span', { class: 'muted' }, '0');
    const table = dataTable({
      caption: t('processes.title'),
      emptyText: t('processes.none'),
      rowClass: (d) => (d.active ? '' : 'process-inactive'),
      columns: [
        {
          key: 'name',
          label: t('process.name'),
          className: 'primary',
          render: (d) =>
            h(
              'div',
              {},
              h('a', { href: definitionHref(d.key) }, localName(d)),
              d.description && h('p', { class: 'muted process-description' }, localName(d, 'description')),
            ),
        },
        { key: 'key', label: t('process.key'), className: 'nowrap', render: (d) => h('code', {}, d.key) },
        { key: 'version', label: t('process.version'), className: 'num', render: (d) => formatNumber(d.version) },
        { key: 'trigger', label: t('process.trigger'), render: triggerText },
        { key: 'active', label: t('process.active'), render: activeSwitch },
        ...[
          ['running', '&status=running', false],
          ['late', '&late=true', true],
          ['completed', '&status=completed', false],
          ['failed', '&status=failed', true],
        ].map(([name, query, danger]) => ({
          key: name,
          label: t(`process.count.${name}`),
          className: 'num',
          render: (d) => count(d.key, query, d.counts?.[name] ?? 0, danger),
        })),
      ],
    });
    table.setRows(list);
    append(
      view,
      pageHead(
        t('processes.title'),
        h('a', { class: 'button primary', href: '/processes/publish' }, icon('plus'), t('process.new')),
      ),
      processTabs('definitions'),
      h('p', { class: 'muted' }, t('processes.lead')),
      table.el,
    );
  },
};

/** On/off as a switch; a refusal puts it back and says why. */
function activeSwitch(definition) {
  const input = h('input', {
    type: 'checkbox',
    role: 'switch',
    checked: definition.active,
    'aria-label': t('process.active_named', { name: localName(definition) }),
  });
  const state = h('span', {}, t(definition.active ? 'process.on' : 'process.off'));
  input.addEventListener('change', async () => {
    input.disabled = true;
    const on = input.checked;
    try {
      const action = on ? 'activate' : 'deactivate';
      const { data } = await api.post(`/api/v1/process-definitions/${encodeURIComponent(definition.key)}/${action}`);
      state.textContent = t(data.active ? 'process.on' : 'process.off');
      toast(t(data.active ? 'process.activated' : 'process.deactivated', { name: localName(data) }), {
        kind: 'success',
      });
    } catch (error) {
      input.checked = !on;
      toastError(error);
    } finally {
      input.disabled = false;
    }
  });
  return h('label', { class: 'switch' }, input, state);
}

export const definitionPage = {
  name: 'process-definition',
  title: (ctx) => ctx.title ?? t('processes.title'),
  async render(view, ctx) {
    const { key } = ctx.params;
    const version = Number(ctx.query.get('version')) || 0;
    const [{ data: definition }, list, people] = await Promise.all([
      api.get(`/api/v1/process-definitions/${encodeURIComponent(key)}`, {
        query: { version: version || undefined },
        signal: ctx.signal,
      }),
      definitions(ctx.signal),
      users(),
    ]);
    const newest = list.find((d) => d.key === definition.key) ?? definition;
    const isNewest = definition.version === newest.version;
    ctx.title = localName(definition);

    const versionSelect = h(
      'select',
      { id: uid('version') },
      Array.from({ length: newest.version }, (_, i) => newest.version - i).map((n) =>
        h('option', { value: String(n) }, t('process.version_n', { version: n })),
      ),
    );
    versionSelect.value = String(definition.version);
    versionSelect.addEventListener('change', () =>
      navigate(
        `${definitionHref(key)}${versionSelect.value === String(newest.version) ? '' : `?version=${versionSelect.value}`}`,
      ),
    );

    const details = [
      [t('process.key'), h('code', {}, definition.key)],
      [t('process.trigger'), triggerText(definition)],
      [t('process.active'), isNewest ? activeSwitch(newest) : t('process.old_version', { version: newest.version })],
      definition.description && [t('process.description'), localName(definition, 'description')],
      definition.roles.length > 0 && [
        t('process.roles'),
        h('a', { href: '/processes/roles' }, definition.roles.join(', ')),
      ],
      definition.user_ids.length > 0 && [
        t('process.users'),
        definition.user_ids.map((id) => nameOf(people, id) || id).join(', '),
      ],
      [
        t('process.published'),
        [formatDate(definition.created_at), ' · ', nameOf(people, definition.created_by) || definition.created_by],
      ],
      newest.counts && [
        t('processes.tab.instances'),
        h('a', { href: instancesHref(key) }, t('process.counts', countsText(newest.counts))),
      ],
    ].filter(Boolean);

    append(
      view,
      pageHead(
        localName(definition),
        h(
          'a',
          { class: 'button primary', href: `/processes/publish?from=${encodeURIComponent(key)}` },
          icon('edit'),
          t('process.publish_new_version'),
        ),
        h('a', { class: 'button', href: instancesHref(key) }, t('process.show_instances')),
      ),
      processTabs('definitions'),
      h(
        'div',
        { class: 'filter process-version' },
        h('label', { for: versionSelect.id }, t('process.version')),
        versionSelect,
      ),
      h(
        'div',
        { class: 'card-grid' },
        h(
          'div',
          { class: 'card-main' },
          panel(
            'definition',
            t('process.about'),
            h(
              'dl',
              { class: 'details' },
              details.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
            ),
          ),
          panel('steps', t('process.steps'), stepsList(definition.steps)),
        ),
        h(
          'div',
          { class: 'card-side' },
          panel(
            'source',
            t('process.source'),
            h(
              'pre',
              { class: 'process-source-view', tabindex: '0', 'aria-label': t('process.source') },
              h('code', {}, definition.source),
            ),
          ),
        ),
      ),
    );
  },
};

function countsText(counts) {
  return Object.fromEntries(Object.entries(counts).map(([name, value]) => [name, formatNumber(value)]));
}
