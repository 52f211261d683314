// A new deal: from the deals screens, or from a client's card with that client filled in (?client=<id>).

import * as api from '../../api.js';
import { compact, form } from '../../components/form.js';
import { toast } from '../../components/toast.js';
import { append, h } from '../../dom.js';
import { localName, t } from '../../i18n.js';
import { navigate } from '../../router.js';
import { dealsTabs, pipelines, users } from './common.js';
import { mainFields } from './fields.js';

export const createPage = {
  name: 'deal-new',
  title: () => t('deal.new'),
  async render(view, ctx) {
    const clientId = ctx.query.get('client');
    const [boards, people, me, client] = await Promise.all([
      pipelines(),
      users(),
      api.cached('/api/v1/me'),
      clientId ? api.get(`/api/v1/parties/${encodeURIComponent(clientId)}`, { signal: ctx.signal }) : null,
    ]);
    const open = boards.filter((p) => !p.archived);
    const fields = [
      ...mainFields({ client: client && { value: client.data.id, label: client.data.display_name }, people }),
      {
        name: 'pipeline_id',
        label: t('deal.pipeline'),
        type: 'select',
        options: open.map((p) => ({ value: p.id, label: localName(p) })),
      },
    ];
    const editor = form({
      className: 'panel',
      fields,
      values: { client_id: clientId, owner_id: me.id, pipeline_id: open[0]?.id },
      submitLabel: t('action.create'),
      onCancel: () => history.back(),
      submit: async (data) => {
        const { data: deal } = await api.post('/api/v1/deals', compact(data));
        toast(t('deal.created', { title: deal.title }), { kind: 'success' });
        await navigate(`/deals/${deal.id}`);
      },
    });
    append(
      view,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('deal.new'))),
      dealsTabs(''),
      editor.el,
    );
  },
};
