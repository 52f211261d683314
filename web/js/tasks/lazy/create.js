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
  linkFields,
  linksOf,
  people,
  peopleOptions,
  planFields,
  taskBody,
  taskTypes,
  tasksTabs,
  tomorrowMorning,
} from './common.js';

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
        const links = linksOf([], partyLink, dealLink);
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
