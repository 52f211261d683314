// Admins' queues: who works each (team, lead, agents), how a new ticket finds its agent (by hand, round robin, the
// least loaded), the categories it serves, the mailbox whose letters become its tickets, which queue takes what no
// other serves (the default); archived ones step aside. Changes send If-Match (a 412 reloads the list).

import * as api from '../../api.js';
import { formDialog } from '../../components/dialog.js';
import { pageHead, panel } from '../../components/page.js';
import { dataTable } from '../../components/table.js';
import { toast, toastError } from '../../components/toast.js';
import { append, h } from '../../dom.js';
import { formatNumber, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { helpdeskTabs } from '../index.js';
import {
  CATEGORIES,
  categoryLabel,
  conflictToast,
  me,
  nameOf,
  options,
  queueName,
  STRATEGIES,
  users,
} from './tickets-common.js';

export const queuesPage = {
  name: 'helpdesk-queues',
  title: () => t('helpdesk.tab.queues'),
  async render(view, ctx) {
    const [user, directory, teams, loaded] = await Promise.all([
      me(),
      users(),
      api.cached('/api/v1/teams'),
      api.get('/api/v1/helpdesk/queues', { query: { include_archived: true }, signal: ctx.signal }),
    ]);
    let list = loaded.data;
    const people = directory.filter((u) => u.kind !== 'service' && u.active);
    const teamName = (id) => teams.find((team) => team.id === id)?.name ?? id;

    const table = dataTable({
      caption: t('helpdesk.tab.queues'),
      columns: [
        {
          key: 'name',
          label: t('helpdesk.field.name'),
          className: 'primary',
          render: (q) => [
            h('strong', {}, queueName(q)),
            q.is_default && h('span', { class: 'chip strong' }, t('helpdesk.queue_default')),
            q.archived && h('span', { class: 'chip' }, t('helpdesk.archived')),
          ],
        },
        { key: 'team', label: t('helpdesk.field.team'), render: (q) => (q.team_id ? teamName(q.team_id) : '—') },
        { key: 'lead', label: t('helpdesk.field.lead'), render: (q) => nameOf(directory, q.lead_id) || '—' },
        {
          key: 'agents',
          label: t('helpdesk.field.agents'),
          render: (q) => q.agent_ids.map((id) => nameOf(directory, id) || id).join(', ') || '—',
        },
        { key: 'strategy', label: t('helpdesk.field.strategy'), render: (q) => t(`helpdesk.strategy.${q.strategy}`) },
        {
          key: 'categories',
          label: t('helpdesk.field.categories'),
          render: (q) => q.categories.map(categoryLabel).join(', ') || t('helpdesk.all_categories'),
        },
        { key: 'email', label: t('helpdesk.field.mailbox'), render: (q) => q.email_address || '—' },
        {
          key: 'open',
          label: t('helpdesk.open_in_queue'),
          className: 'num',
          render: (q) => formatNumber(q.open_tickets),
        },
        {
          key: 'actions',
          label: t('helpdesk.actions'),
          className: 'row-actions',
          render: (q) =>
            h(
              'button',
              {
                type: 'button',
                class: 'button small',
                'aria-label': t('helpdesk.edit_of', { name: queueName(q) }),
                onClick: () => edit(q),
              },
              t('action.edit'),
            ),
        },
      ],
    });
    table.setRows(list);

    async function reload() {
      list = (await api.get('/api/v1/helpdesk/queues', { query: { include_archived: true } })).data;
      table.setRows(list);
    }

    const fields = (existing) =>
      [
        { name: 'name', label: t('helpdesk.field.name'), required: true, wide: true },
        {
          name: 'team_id',
          label: t('helpdesk.field.team'),
          type: 'select',
          options: teams.map((team) => ({ value: team.id, label: team.name })),
          hint: t('helpdesk.team_hint'),
        },
        {
          name: 'lead_id',
          label: t('helpdesk.field.lead'),
          type: 'select',
          options: people.map((u) => ({ value: u.id, label: u.display_name })),
          hint: t('helpdesk.lead_hint'),
        },
        {
          name: 'agent_ids',
          label: t('helpdesk.field.agents'),
          type: 'checkboxes',
          filter: t('helpdesk.find_person'),
          options: people.map((u) => ({ value: u.id, label: u.display_name })),
        },
        {
          name: 'strategy',
          label: t('helpdesk.field.strategy'),
          type: 'select',
          options: options(STRATEGIES, (code) => t(`helpdesk.strategy.${code}`)),
        },
        {
          name: 'categories',
          label: t('helpdesk.field.categories'),
          type: 'checkboxes',
          options: options(CATEGORIES, categoryLabel),
          hint: t('helpdesk.categories_hint'),
        },
        { name: 'email_address', label: t('helpdesk.field.mailbox'), type: 'email', hint: t('helpdesk.mailbox_hint') },
        { name: 'is_default', label: t('helpdesk.queue_default_label'), type: 'checkbox' },
        existing && { name: 'archived', label: t('helpdesk.archived_label'), type: 'checkbox' },
      ].filter(Boolean);

    // Empty choices are sent as '' (a patch clears them), lists as they are.
    const body = (data) => ({
      ...data,
      team_id: data.team_id ?? '',
      lead_id: data.lead_id ?? '',
      email_address: data.email_address ?? '',
      agent_ids: data.agent_ids ?? [],
      categories: data.categories ?? [],
      is_default: Boolean(data.is_default),
    });

    async function create() {
      const made = await formDialog({
        title: t('helpdesk.new_queue'),
        className: 'hd-queue-dialog',
        fields: fields(null),
        values: { strategy: 'round_robin' },
        submitLabel: t('action.create'),
        submit: async (data) => (await api.post('/api/v1/helpdesk/queues', body(data))).data,
      });
      if (!made) return;
      toast(t('helpdesk.queue_saved'), { kind: 'success' });
      await reload().catch(toastError);
    }

    async function edit(queue) {
      const saved = await formDialog({
        title: t('helpdesk.edit_of', { name: queueName(queue) }),
        className: 'hd-queue-dialog',
        fields: fields(queue),
        values: queue,
        submit: async (data) =>
          (
            await api.patch(`/api/v1/helpdesk/queues/${queue.id}`, body(data), {
              etag: `"${queue.version}"`,
            })
          ).data,
        onConflict: () => reload().then(conflictToast, toastError),
      });
      if (!saved) return;
      toast(t('helpdesk.queue_saved'), { kind: 'success' });
      await reload().catch(toastError);
    }

    append(
      view,
      pageHead(
        t('helpdesk.tab.queues'),
        h(
          'button',
          { type: 'button', class: 'button primary', onClick: () => create().catch(toastError) },
          icon('plus'),
          t('helpdesk.new_queue'),
        ),
      ),
      helpdeskTabs(user, 'queues'),
      panel('queues', t('helpdesk.queues'), table.el),
    );
  },
};
