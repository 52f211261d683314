// Monitoring: process instances newest first, filtered by definition, status and "late only" (state in the URL:
// ?key=&status=&late=true). Each row: the process, the deal or client it is about, the step it stands at, since
// when and for how long; late ones are highlighted and say so in words.

import * as api from '../../api.js';
import { dataTable } from '../../components/table.js';
import { toastError } from '../../components/toast.js';
import { append, h, uid } from '../../dom.js';
import { formatDate, formatRelative, localName, t } from '../../i18n.js';
import {
  currentRun,
  durationText,
  instanceHref,
  recordLink,
  statusChips,
  statusLabel,
  stepTitle,
  stepTypeLabel,
} from '../format.js';
import { definitions, pageHead, processTabs } from './common.js';

const STATUSES = ['running', 'completed', 'failed', 'cancelled'];
const PAGE_SIZE = 50;

export const instancesPage = {
  name: 'process-instances',
  title: () => t('processes.instances'),
  async render(view, ctx) {
    const state = {
      key: ctx.query.get('key') ?? '',
      status: ctx.query.get('status') ?? '',
      late: ctx.query.get('late') === 'true',
    };
    let cursor = '';
    const list = await definitions(ctx.signal);

    const table = dataTable({
      caption: t('processes.instances'),
      emptyText: t('process.no_instances'),
      rowClass: instanceRowClass,
      columns: [
        {
          key: 'process',
          label: t('process.process'),
          className: 'primary',
          render: (i) =>
            h(
              'div',
              {},
              h('a', { href: instanceHref(i.id) }, localName(i, 'definition_name') || i.definition_key),
              h('p', { class: 'muted' }, t('process.version_n', { version: i.definition_version })),
            ),
        },
        { key: 'record', label: t('process.record'), render: (i) => recordLink(i.record_kind, i.record_id) },
        { key: 'step', label: t('process.current_step'), render: stepCell },
        { key: 'since', label: t('process.since'), render: sinceCell },
        {
          key: 'started',
          label: t('process.started'),
          className: 'nowrap',
          render: (i) => h('time', { datetime: i.started_at }, formatDate(i.started_at)),
        },
      ],
    });

    const keySelect = select(t('process.process'), [
      ['', t('list.any')],
      ...list.map((d) => [d.key, `${localName(d)} (${d.key})`]),
    ]);
    const statusSelect = select(t('process.status'), [
      ['', t('list.any')],
      ...STATUSES.map((s) => [s, statusLabel(s)]),
    ]);
    const lateBox = h('input', { type: 'checkbox', id: uid('late'), name: 'late', checked: state.late });
    keySelect.input.value = state.key;
    statusSelect.input.value = state.status;
    const count = h('p', { class: 'list-count', 'aria-live': 'polite' });
    const more = h('button', { type: 'button', class: 'button', hidden: true }, t('list.more'));

    async function load({ append: adding = false, signal } = {}) {
      const { data } = await api.get('/api/v1/process-instances', {
        query: {
          key: state.key,
          status: state.status,
          late: state.late || undefined,
          limit: PAGE_SIZE,
          cursor: adding ? cursor : undefined,
        },
        signal,
      });
      cursor = data.next_cursor;
      table.setRows(data.items, { append: adding });
      more.hidden = !cursor;
      const shown = table.el.querySelectorAll('tbody tr:not(.empty)').length;
      count.textContent = t('process.instances_shown', { count: shown });
    }

    // Filters change the URL (bookmarkable, Back restores them) and the rows, not the page: focus stays put.
    async function apply() {
      state.key = keySelect.input.value;
      state.status = statusSelect.input.value;
      state.late = lateBox.checked;
      const query = new URLSearchParams();
      if (state.key) query.set('key', state.key);
      if (state.status) query.set('status', state.status);
      if (state.late) query.set('late', 'true');
      const search = query.toString();
      history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
      await load().catch(toastError);
    }

    const filters = h(
      'form',
      { class: 'filters', 'aria-label': t('list.filters') },
      keySelect.el,
      statusSelect.el,
      h(
        'div',
        { class: 'field field-checkbox process-late-filter' },
        lateBox,
        h('label', { for: lateBox.id }, t('process.late_only')),
      ),
    );
    filters.addEventListener('change', apply);
    filters.addEventListener('submit', (event) => {
      event.preventDefault();
      apply();
    });
    more.addEventListener('click', () => load({ append: true }).catch(toastError));

    await load({ signal: ctx.signal });
    append(view, pageHead(t('processes.instances')), processTabs('instances'), filters, count, table.el, more);
  },
};

function select(label, options) {
  const input = h(
    'select',
    { id: uid('filter') },
    options.map(([value, text]) => h('option', { value }, text)),
  );
  return { input, el: h('div', { class: 'filter' }, h('label', { for: input.id }, label), input) };
}

/** Late rows need attention; failed ones too; finished ones step back. */
export function instanceRowClass(instance) {
  if (instance.late) return 'process-late';
  if (instance.status === 'failed') return 'process-failed';
  return instance.status === 'running' ? '' : 'process-closed';
}

// Each cell is one block: on a phone a cell lays its children side by side.
function stepCell(instance) {
  const run = currentRun(instance);
  return h(
    'div',
    {},
    h('span', { class: 'process-step-name' }, stepTitle(run) || instance.current_step || '—'),
    ' ',
    statusChips(instance),
    run && h('p', { class: 'muted' }, stepTypeLabel(run.step_type)),
  );
}

/** Since when the instance stands where it is, and for how long (a finished one: when it finished). */
function sinceCell(instance) {
  if (instance.status !== 'running' && instance.finished_at)
    return h(
      'time',
      { datetime: instance.finished_at, title: formatDate(instance.finished_at) },
      formatDate(instance.finished_at),
    );
  const run = currentRun(instance);
  if (!run) return '';
  return h(
    'div',
    {},
    h('time', { datetime: run.entered_at, title: formatDate(run.entered_at) }, formatRelative(run.entered_at)),
    h(
      'p',
      { class: instance.late ? 'process-late-text' : 'muted' },
      t('process.for', { time: durationText(run.seconds) }),
    ),
  );
}
