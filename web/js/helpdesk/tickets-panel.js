// The "Tickets" panel of the client card: the client's latest tickets (asked by them, or by people of the
// organisation), each with its status, and "New ticket" for this client. It comes with the first load, so it is
// small and uses the shared styles only.

import * as api from '../api.js';
import { h, uid } from '../dom.js';
import { formatRelative, t } from '../i18n.js';
import { icon } from '../icons.js';
import { hasService } from '../services.js';

const LIMIT = 10;

/** ticketsPanel(partyId, {signal}) -> Promise<section|null> (null where the helpdesk is not installed). */
export async function ticketsPanel(partyId, { signal } = {}) {
  if (!hasService('helpdesk')) return null;
  const ask = (filter) =>
    api.get('/api/v1/tickets', { query: { [filter]: partyId, status: '', limit: LIMIT }, signal }).then((r) => r.data);
  const [asked, organisation] = await Promise.all([ask('requester_party_id'), ask('organisation_id')]);
  const byId = new Map([...asked.items, ...organisation.items].map((ticket) => [ticket.id, ticket]));
  const tickets = [...byId.values()].sort((a, b) => b.updated_at.localeCompare(a.updated_at)).slice(0, LIMIT);
  const titleId = uid('tickets');
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': titleId, dataset: { section: 'tickets' } },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: titleId }, t('nav.tickets')),
      h(
        'div',
        { class: 'toolbar' },
        h(
          'a',
          { class: 'button small', href: `/helpdesk/tickets/new?party=${encodeURIComponent(partyId)}` },
          icon('plus'),
          t('helpdesk.new_ticket'),
        ),
      ),
    ),
    tickets.length === 0
      ? h('p', { class: 'muted' }, t('helpdesk.no_tickets'))
      : h(
          'ul',
          { class: 'ticket-lines' },
          tickets.map((ticket) =>
            h(
              'li',
              { class: 'ticket-line', dataset: { ticket: ticket.id } },
              h(
                'a',
                { href: `/helpdesk/tickets/${ticket.id}` },
                `${t('helpdesk.number', { number: ticket.number })} · ${ticket.subject}`,
              ),
              h('span', { class: 'chip' }, t(`helpdesk.status.${ticket.status}`)),
              h(
                'span',
                { class: 'muted' },
                [t(`helpdesk.priority.${ticket.priority}`), formatRelative(ticket.updated_at)].join(' · '),
              ),
            ),
          ),
        ),
  );
}
