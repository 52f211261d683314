// A new ticket, as an agent opens one for a call or a letter: the subject and description, who asks (a client
// found in contacts, or an e-mail address and a name), priority, category, queue (empty: the queue serving the
// category, else the default one) and the channel it came by. ?party=<id> fills the client in (the client card's
// "New ticket").

import * as api from '../../api.js';
import { compact, form } from '../../components/form.js';
import { pageHead } from '../../components/page.js';
import { toast } from '../../components/toast.js';
import { append } from '../../dom.js';
import { t } from '../../i18n.js';
import { navigate } from '../../router.js';
import { helpdeskTabs } from '../index.js';
import { channelLabel, CHANNELS, me, options, queues as loadQueues, routingFields } from './tickets-common.js';

async function findParties(q) {
  const { data } = await api.get('/api/v1/parties', { query: { q, limit: 10, sort: q ? 'relevance' : '-updated_at' } });
  return data.items.map((p) => ({ value: p.id, label: p.display_name }));
}

async function findDeals(q) {
  const { data } = await api.get('/api/v1/deals', { query: { q, limit: 10, sort: '-updated_at' } });
  return data.items.map((d) => ({ value: d.id, label: `${d.title} · ${d.client_name}` }));
}

export const newTicketPage = {
  name: 'ticket-new',
  title: () => t('helpdesk.new_ticket'),
  async render(view, ctx) {
    const partyId = ctx.query.get('party');
    const [user, queueList, party] = await Promise.all([
      me(),
      loadQueues(ctx.signal),
      partyId
        ? api.get(`/api/v1/parties/${encodeURIComponent(partyId)}`, { signal: ctx.signal }).then((r) => r.data)
        : null,
    ]);
    const editor = form({
      className: 'panel hd-new-ticket',
      fields: [
        { name: 'subject', label: t('helpdesk.field.subject'), required: true, wide: true },
        { name: 'description', label: t('helpdesk.field.description'), type: 'textarea', rows: 6 },
        {
          name: 'requester_party_id',
          label: t('helpdesk.field.client'),
          type: 'lookup',
          search: findParties,
          searchLabel: t('helpdesk.find_client'),
          options: party ? [{ value: party.id, label: party.display_name }] : [],
          empty: t('helpdesk.no_client'),
          hint: t('helpdesk.client_hint'),
          wide: true,
        },
        { name: 'requester_email', label: t('helpdesk.field.email'), type: 'email', autocomplete: 'off' },
        { name: 'requester_name', label: t('helpdesk.field.requester_name') },
        ...routingFields(queueList, t('helpdesk.queue_auto')),
        {
          name: 'channel',
          label: t('helpdesk.field.channel'),
          type: 'select',
          options: options(CHANNELS, channelLabel),
        },
        {
          name: 'deal_id',
          label: t('helpdesk.field.deal'),
          type: 'lookup',
          search: findDeals,
          searchLabel: t('helpdesk.find_deal'),
          options: [],
          empty: t('helpdesk.no_deal'),
        },
      ],
      values: { priority: 'normal', category: 'question', channel: 'phone', requester_party_id: party?.id },
      submitLabel: t('helpdesk.open_ticket'),
      onCancel: () => history.back(),
      submit: async (data) => {
        const { data: ticket } = await api.post('/api/v1/tickets', compact(data));
        toast(t('helpdesk.opened', { number: ticket.number }), { kind: 'success' });
        await navigate(`/helpdesk/tickets/${ticket.id}`);
      },
    });
    append(view, pageHead(t('helpdesk.new_ticket')), helpdeskTabs(user, ''), editor.el);
  },
};
