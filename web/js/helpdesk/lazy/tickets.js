// The helpdesk's first page: the queues (with their open tickets) beside the ticket list of the chosen view -
// a queue, "mine", "unassigned" or everything you may see - with its counts (open, breached, near the deadline,
// unassigned, waiting on the client, satisfaction), filters (status, priority, SLA state, words, #number) and
// sort, the next page by cursor. The view and the filters live in the URL (?queue=&status=&priority=&sla=&q=&sort=).

import * as api from '../../api.js';
import { stat } from '../../components/chart.js';
import { pageHead } from '../../components/page.js';
import { dataTable } from '../../components/table.js';
import { toastError } from '../../components/toast.js';
import { debounce, h, replace, uid } from '../../dom.js';
import { formatNumber, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { helpdeskTabs } from '../index.js';
import {
  me,
  nameOf,
  PRIORITIES,
  priorityChip,
  priorityLabel,
  queueName,
  queues as loadQueues,
  SLA_STATES,
  slaCell,
  slaStateLabel,
  STATUSES,
  statusBadge,
  statusLabel,
  ticketNumber,
  users,
} from './tickets-common.js';

const PAGE_SIZE = 50;
const ACTIVE = ['new', 'open', 'pending_customer', 'reopened'];
const SORTS = ['due_at', '-updated_at', '-priority', '-created_at', 'number'];

export const ticketsPage = {
  name: 'tickets',
  title: () => t('helpdesk.tickets'),
  async render(view, ctx) {
    const { signal } = ctx;
    const chosen = ctx.query.get('queue') ?? '';
    const [user, directory, queueList] = await Promise.all([me(), users(), loadQueues(signal)]);
    const queue = queueList.find((q) => q.id === chosen);
    let cursor = '';
    let loading = null;

    const heading = queue
      ? queueName(queue)
      : chosen === 'mine' || chosen === 'unassigned'
        ? t(`helpdesk.view.${chosen}`)
        : t('helpdesk.tickets');

    // Filters: the status (open ones by default), priority, SLA state, words; the sort (nearest deadline first).
    const select = (name, label, values, text, first) => {
      const el = h(
        'select',
        { id: uid(name), name },
        first,
        values.map((v) => h('option', { value: v }, text(v))),
      );
      return [h('div', { class: 'filter' }, h('label', { for: el.id }, label), el), el];
    };
    const [statusFilter, status] = select(
      'status',
      t('helpdesk.field.status'),
      ['open_all', ...STATUSES, 'all'],
      (v) => (v === 'open_all' || v === 'all' ? t(`helpdesk.status_filter.${v}`) : statusLabel(v)),
    );
    const [priorityFilter, priority] = select(
      'priority',
      t('helpdesk.field.priority'),
      PRIORITIES,
      priorityLabel,
      h('option', { value: '' }, t('list.any')),
    );
    const [slaFilter, sla] = select(
      'sla',
      t('helpdesk.field.sla_state'),
      SLA_STATES,
      slaStateLabel,
      h('option', { value: '' }, t('list.any')),
    );
    const [sortFilter, sort] = select('sort', t('list.sort'), SORTS, (v) => t(`helpdesk.sort.${v}`));
    sort.value = ctx.query.get('sort') || 'due_at';
    const words = h('input', { type: 'search', id: uid('q'), name: 'q', autocomplete: 'off' });
    status.value = ctx.query.get('status') || 'open_all';
    priority.value = ctx.query.get('priority') ?? '';
    sla.value = ctx.query.get('sla') ?? '';
    words.value = ctx.query.get('q') ?? '';
    let sortValue = ctx.query.get('sort') || 'due_at';

    const stats = h('div', { class: 'stats hd-stats', 'aria-live': 'polite' });
    const count = h('p', { class: 'list-count', 'aria-live': 'polite' });
    const more = h(
      'button',
      { type: 'button', class: 'button', hidden: true, onClick: () => load(true).catch(toastError) },
      t('list.more'),
    );
    const who = (id) => (id ? nameOf(directory, id) || t('helpdesk.someone') : t('helpdesk.unassigned'));
    const table = dataTable({
      caption: heading,
      compact: true,
      emptyText: t('helpdesk.no_tickets'),
      sort: sortValue,
      onSort: (value) => {
        sortValue = value;
        sort.value = value; // a header's sort the select does not offer leaves it blank
        changed();
      },
      rowClass: (row) => `hd-row sla-${row.sla_state}`,
      columns: [
        {
          key: 'subject',
          label: t('helpdesk.field.ticket'),
          className: 'primary hd-subject',
          sortKey: 'number',
          render: (row) => [
            h('span', { class: 'hd-number' }, ticketNumber(row)),
            h('a', { href: `/helpdesk/tickets/${row.id}`, class: 'ticket-link' }, row.subject),
          ],
        },
        {
          key: 'requester',
          label: t('helpdesk.field.requester'),
          render: (row) => row.requester_name || row.requester_email || '—',
        },
        {
          key: 'priority',
          label: t('helpdesk.field.priority'),
          sortKey: 'priority',
          render: (row) => priorityChip(row.priority),
        },
        { key: 'status', label: t('helpdesk.field.status'), render: (row) => statusBadge(row.status) },
        { key: 'assignee', label: t('helpdesk.field.assignee'), render: (row) => who(row.assignee_id) },
        { key: 'sla', label: t('helpdesk.field.sla'), sortKey: 'due_at', render: slaCell },
      ],
    });

    function query() {
      const q = { queue_id: queue?.id ?? '', sort: sortValue, q: words.value.trim() };
      if (chosen === 'mine') q.assignee_id = user.id;
      if (chosen === 'unassigned') q.assignee_id = '-';
      q.status = status.value === 'all' ? '' : status.value;
      q.priority = priority.value;
      q.sla_state = sla.value;
      return q;
    }

    async function load(append = false) {
      loading?.abort();
      const controller = new AbortController();
      loading = controller;
      signal.addEventListener('abort', () => controller.abort(), { once: true });
      const requests = [
        api.get('/api/v1/tickets', {
          query: { ...query(), limit: PAGE_SIZE, cursor: append ? cursor : '' },
          signal: controller.signal,
        }),
        !append &&
          api.get('/api/v1/tickets/stats', { query: { queue_id: queue?.id ?? '' }, signal: controller.signal }),
      ];
      const [{ data }, counts] = await Promise.all(requests);
      cursor = data.next_cursor;
      table.setRows(data.items, { append });
      more.hidden = !cursor;
      count.textContent = t('helpdesk.found', { count: data.total });
      if (counts) renderStats(counts.data);
    }

    // The counts of the view's queue (or of everything you see): each opens the list it counts.
    function renderStats(s) {
      const open = ACTIVE.reduce((sum, code) => sum + (s.by_status?.[code] ?? 0), 0);
      const link = (params) => `/helpdesk?${new URLSearchParams({ ...(queue ? { queue: queue.id } : {}), ...params })}`;
      replace(
        stats,
        stat({ label: t('helpdesk.stat.open'), value: open, href: link({}) }),
        stat({
          label: t('helpdesk.stat.breached'),
          value: s.by_sla_state?.breached ?? 0,
          href: link({ sla: 'breached' }),
        }),
        stat({
          label: t('helpdesk.stat.warning'),
          value: s.by_sla_state?.warning ?? 0,
          href: link({ sla: 'warning' }),
        }),
        stat({
          label: t('helpdesk.stat.pending'),
          value: s.by_status?.pending_customer ?? 0,
          href: link({ status: 'pending_customer' }),
        }),
        stat({ label: t('helpdesk.stat.unassigned'), value: s.unassigned ?? 0, href: '/helpdesk?queue=unassigned' }),
        s.csat_count > 0 &&
          h(
            'div',
            { class: 'stat' },
            h('span', { class: 'stat-value' }, formatNumber(Math.round(s.csat_average * 10) / 10)),
            h('span', { class: 'stat-label' }, t('helpdesk.stat.csat', { count: s.csat_count })),
          ),
      );
    }

    // A change of filters: the URL keeps it (a reload or a shared link shows the same list), the first page loads.
    function changed() {
      const url = new URL(location.href);
      const values = { status: status.value, priority: priority.value, sla: sla.value, q: words.value.trim() };
      values.sort = sortValue;
      for (const [name, value] of Object.entries(values)) {
        const isDefault = (name === 'status' && value === 'open_all') || (name === 'sort' && value === 'due_at');
        value && !isDefault ? url.searchParams.set(name, value) : url.searchParams.delete(name);
      }
      history.replaceState(history.state, '', url);
      table.setSort(sortValue);
      load().catch(toastError);
    }
    for (const el of [status, priority, sla]) el.addEventListener('change', changed);
    sort.addEventListener('change', () => {
      sortValue = sort.value;
      changed();
    });
    words.addEventListener('input', debounce(changed, 300));
    const filters = h(
      'form',
      {
        class: 'filters',
        role: 'search',
        'aria-label': t('list.filters'),
        onSubmit: (event) => {
          event.preventDefault();
          changed();
        },
      },
      h('div', { class: 'filter filter-q' }, h('label', { for: words.id }, t('helpdesk.search')), words),
      statusFilter,
      priorityFilter,
      slaFilter,
      sortFilter,
    );

    view.append(
      pageHead(
        heading,
        h('a', { class: 'button primary', href: '/helpdesk/tickets/new' }, icon('plus'), t('helpdesk.new_ticket')),
      ),
      helpdeskTabs(user, 'tickets'),
      h(
        'div',
        { class: 'hd-layout' },
        queuesNav(queueList, chosen),
        h('div', { class: 'hd-list' }, stats, filters, h('div', { class: 'panel' }, count, table.el, more)),
      ),
    );
    await load();
  },
};

/** The views and the queues with their open tickets; the current one is marked. */
function queuesNav(list, chosen) {
  const link = (id, label, counter = null) =>
    h(
      'li',
      {},
      h(
        'a',
        {
          href: id ? `/helpdesk?queue=${encodeURIComponent(id)}` : '/helpdesk',
          'aria-current': chosen === id ? 'page' : null,
        },
        h('span', { class: 'hd-queue-name' }, label),
        counter !== null && h('span', { class: 'badge', title: t('helpdesk.open_in_queue') }, formatNumber(counter)),
      ),
    );
  return h(
    'nav',
    { class: 'hd-queues', 'aria-label': t('helpdesk.queues') },
    h(
      'ul',
      { class: 'hd-views' },
      link('mine', t('helpdesk.view.mine')),
      link('unassigned', t('helpdesk.view.unassigned')),
      link('', t('helpdesk.view.all')),
    ),
    h('h2', { class: 'hd-queues-title' }, t('helpdesk.queues')),
    h(
      'ul',
      {},
      list.map((q) => link(q.id, queueName(q), q.open_tickets)),
    ),
  );
}
