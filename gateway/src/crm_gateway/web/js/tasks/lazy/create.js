// A new task: from the task screens, or with a client or deal filled in (?party=<id>, ?deal=<id>).

import * as api from '../../api.js';
import { form } from '../../components/form.js';
import { toast } from '../../components/toast.js';
import { append, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { navigate } from '../../router.js';
import { tasksChanged } from '../panel.js';
import {
  detailFields,
  people,
  peopleOptions,
  planFields,
  taskBody,
  taskTypes,
  tasksTabs,
  tomorrowMorning,
} from './common.js';

async function findParties(q) {
  const { data } = await api.get('/api/v1/parties', { query: { q, limit: 10, sort: q ? 'relevance' : '-updated_at' } });
  return data.items.map((p) => ({ value: p.id, label: p.display_name }));
}

async function findDeals(q) {
  const { data } = await api.get('/api/v1/deals', { query: { q, limit: 10, sort: '-updated_at' } });
  return data.items.map((d) => ({ value: d.id, label: `${d.title} · ${d.client_name}` }));
}

/** The client and deal lookups of a task form (`party`, `deal`: the current choice as an option). */
export function linkFields({ party, deal }) {
  return [
    {
      name: 'party_id',
      label: t('task.client'),
      type: 'lookup',
      search: findParties,
      searchLabel: t('deal.find_client'),
      options: party ? [party] : [],
      empty: t('task.no_link'),
    },
    {
      name: 'deal_id',
      label: t('task.deal'),
      type: 'lookup',
      search: findDeals,
      searchLabel: t('task.find_deal'),
      options: deal ? [deal] : [],
      empty: t('task.no_link'),
    },
  ];
}

export const createPage = {
  name: 'task-new',
  title: () => t('task.new'),
  async render(view, ctx) {
    const partyId = ctx.query.get('party');
    const dealId = ctx.query.get('deal');
    const get = (path) => api.get(path, { signal: ctx.signal }).then((r) => r.data);
    const [types, team, party, deal] = await Promise.all([
      taskTypes(),
      people(),
      partyId ? get(`/api/v1/parties/${encodeURIComponent(partyId)}`) : null,
      dealId ? get(`/api/v1/deals/${encodeURIComponent(dealId)}`) : null,
    ]);
    const options = peopleOptions(team);
    const client = party ?? (deal && { id: deal.client_id, display_name: deal.client_name });
    const editor = form({
      className: 'panel',
      fields: [
        ...planFields({ types, team: options }),
        ...linkFields({
          party: client && { value: client.id, label: client.display_name },
          deal: deal && { value: deal.id, label: deal.title },
        }),
        ...detailFields({ team: options }),
      ],
      values: {
        type: 'call',
        due_at: tomorrowMorning(),
        priority: 'normal',
        assignee_id: team.self.id,
        remind_before_minutes: 15,
        party_id: client?.id,
        deal_id: deal?.id,
      },
      submitLabel: t('action.create'),
      onCancel: () => history.back(),
      submit: async ({ party_id: partyLink, deal_id: dealLink, ...fields }) => {
        const links = [
          partyLink && { kind: 'party', id: partyLink },
          dealLink && { kind: 'deal', id: dealLink },
        ].filter(Boolean);
        const { data: task } = await api.post('/api/v1/tasks', { ...taskBody(fields), links });
        tasksChanged();
        toast(t('task.created', { subject: task.subject }), { kind: 'success' });
        await navigate(`/tasks/${task.id}`);
      },
    });
    append(
      view,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('task.new'))),
      tasksTabs(''),
      editor.el,
    );
  },
};
