// The helpdesk in the client, for staff: the section (Служба поддержки) with its pages as tabs - the tickets of
// the queues (lazy/tickets.js), a ticket (lazy/tickets-card.js), a new ticket (lazy/tickets-new.js), and for
// admins the queues (lazy/queues.js) and the SLA policies with the clients' tiers (lazy/sla.js) -, what the header's
// search finds, the client card's Tickets panel (tickets-panel.js) and how ticket events look on a client's
// timeline. The screens and their stylesheet (css/helpdesk.css) load when one opens; this file and the panel come
// with the first load, so they stay small.
//
// The section's tabs (HELPDESK_PAGES) also lead to the knowledge base (knowledge.js, a section of its own at /kb);
// other parts of the section add theirs with registerHelpdeskPage; helpdeskTabs() draws them.

import * as api from '../api.js';
import { stat } from '../components/chart.js';
import { tabs } from '../components/page.js';
import { h, stylesheet } from '../dom.js';
import { t } from '../i18n.js';
import {
  registerCardPanel,
  registerDashboardWidget,
  registerSearchProvider,
  registerSection,
  registerTimelineRenderer,
} from '../registry.js';
import { lazyPage, route } from '../router.js';
import { hasService } from '../services.js';
import { ticketsPanel } from './tickets-panel.js';

/**
 * The section's own pages, its tabs in `order`: {id, path, label (an i18n key), order, roles?} (roles: the tab
 * shows only to users with one of them). THE PLACE FOR OTHER PARTS OF THE SECTION: the knowledge base
 * (knowledge.js, imported by js/app.js after this module) is a section of its own at /kb, and its tab here leads
 * there; a part that wants to live inside this section calls registerHelpdeskPage from its module (imported by
 * app.js after this one: importing it from this file would run it before this list exists) and draws the tabs with
 * helpdeskTabs(user, '<its id>').
 */
export const HELPDESK_PAGES = [
  { id: 'tickets', path: '/helpdesk', label: 'helpdesk.tab.tickets', order: 10 },
  { id: 'knowledge', path: '/kb', label: 'nav.knowledge', order: 20 },
  { id: 'queues', path: '/helpdesk/queues', label: 'helpdesk.tab.queues', order: 80, roles: ['admin'] },
  { id: 'sla', path: '/helpdesk/sla', label: 'helpdesk.tab.sla', order: 90, roles: ['admin'] },
];

/** Add (or replace) a tab of the helpdesk section. */
export function registerHelpdeskPage(page) {
  const index = HELPDESK_PAGES.findIndex((p) => p.id === page.id);
  if (index >= 0) HELPDESK_PAGES.splice(index, 1);
  HELPDESK_PAGES.push({ order: 50, ...page });
  HELPDESK_PAGES.sort((a, b) => a.order - b.order);
}

/** The section's tabs for `user` (GET /me), `current` the id of the page shown. */
export function helpdeskTabs(user, current) {
  const items = HELPDESK_PAGES.filter((p) => !p.roles || p.roles.some((role) => user.roles.includes(role)));
  return tabs(
    items.map((p) => [p.id, p.path, t(p.label)]),
    current,
    t('nav.helpdesk'),
  );
}

/** Admin pages: anybody else gets "not found", as for a URL typed by hand. */
async function requireAdmin() {
  const me = await api.cached('/api/v1/me');
  if (!me.roles.includes('admin'))
    throw new api.ApiError(404, { code: 'not_found', detail: t('error.not_found_hint') });
}

// A screen with its stylesheet and shared module (and the check it needs), fetched in parallel: one round trip.
const screen = (name, load, pick, check = null) =>
  lazyPage(
    name,
    () =>
      Promise.all([load(), import('./lazy/tickets-common.js'), stylesheet('css/helpdesk.css'), check?.()]).then(
        ([module]) => module[pick],
      ),
    () => t('nav.helpdesk'),
  );

registerSection({ id: 'helpdesk', path: '/helpdesk', order: 42, service: 'helpdesk', icon: 'helpdesk' });
route(
  '/helpdesk',
  screen('tickets', () => import('./lazy/tickets.js'), 'ticketsPage'),
);
route(
  '/helpdesk/tickets/new',
  screen('ticket-new', () => import('./lazy/tickets-new.js'), 'newTicketPage'),
);
route(
  '/helpdesk/tickets/:id',
  screen('ticket', () => import('./lazy/tickets-card.js'), 'ticketPage'),
);
route(
  '/helpdesk/queues',
  screen('helpdesk-queues', () => import('./lazy/queues.js'), 'queuesPage', requireAdmin),
);
route(
  '/helpdesk/sla',
  screen('helpdesk-sla', () => import('./lazy/sla.js'), 'slaPage', requireAdmin),
);

// The header's search finds tickets by the words of their subject, an e-mail or "#1024".
registerSearchProvider({
  id: 'tickets',
  order: 45,
  allHref: (q) => `/helpdesk?status=all&q=${encodeURIComponent(q)}`,
  async search(q, { signal }) {
    if (!hasService('helpdesk')) return [];
    const { data } = await api.get('/api/v1/tickets', { query: { q, limit: 5 }, signal });
    return data.items.map((ticket) => ({
      title: `${t('helpdesk.number', { number: ticket.number })} · ${ticket.subject}`,
      subtitle: [ticket.requester_name || ticket.requester_email, t(`helpdesk.status.${ticket.status}`)]
        .filter(Boolean)
        .join(' · '),
      href: `/helpdesk/tickets/${ticket.id}`,
      icon: 'helpdesk',
    }));
  },
});

// The agents' card on the dashboard (support staff and admins): their open tickets, the overdue and the unassigned
// ones, each opening its list.
registerDashboardWidget({
  id: 'helpdesk',
  order: 35,
  async render({ signal }) {
    if (!hasService('helpdesk')) return null;
    const me = await api.cached('/api/v1/me');
    if (!me.roles.includes('support') && !me.roles.includes('admin')) return null;
    const [stats, mine] = await Promise.all([
      api.get('/api/v1/tickets/stats', { signal }),
      api.get('/api/v1/tickets', { query: { assignee_id: me.id, status: 'open_all', limit: 1 }, signal }),
    ]);
    return h(
      'section',
      { class: 'panel widget', 'aria-labelledby': 'widget-helpdesk' },
      h('h2', { id: 'widget-helpdesk' }, t('widget.helpdesk')),
      h(
        'div',
        { class: 'stats' },
        stat({ label: t('helpdesk.view.mine'), value: mine.data.total, href: '/helpdesk?queue=mine' }),
        stat({
          label: t('helpdesk.stat.breached'),
          value: stats.data.by_sla_state?.breached ?? 0,
          href: '/helpdesk?sla=breached',
        }),
        stat({
          label: t('helpdesk.stat.unassigned'),
          value: stats.data.unassigned ?? 0,
          href: '/helpdesk?queue=unassigned',
        }),
      ),
    );
  },
});

// The client card's latest tickets, beside its documents.
registerCardPanel({ id: 'tickets', card: 'party', order: 47, render: (id, context) => ticketsPanel(id, context) });

// Ticket events on a client's timeline, written from their payload (proto/crm/events/v1/helpdesk.proto) in the
// reader's language: "Обращение № 17 решено", the subject and what changed under it. A note's text is never in an
// event: a note reads as "internal note", nothing more.
const STATUS_KEYS = ['new', 'open', 'pending_customer', 'resolved', 'closed', 'reopened'];
const status = (code) => (STATUS_KEYS.includes(code) ? t(`helpdesk.status.${code}`) : code);
const target = (code) => (code === 'first_response' || code === 'resolution' ? t(`helpdesk.target.${code}`) : '');

function ticketTitle(entry, userName) {
  const d = entry.data;
  const number = String(d.number ?? '');
  switch (entry.type) {
    case 'ticket.assigned': {
      const name = d.assignee_id ? userName(d.assignee_id) : '';
      return name ? t('helpdesk.said.assigned_to', { number, name }) : t('helpdesk.said.assigned', { number });
    }
    case 'ticket.replied':
      if (d.message_kind === 'note') return t('helpdesk.said.note', { number });
      return t(d.author_type === 'requester' ? 'helpdesk.said.client_replied' : 'helpdesk.said.replied', { number });
    case 'ticket.status_changed':
      return t('helpdesk.said.status_changed', { number, status: status(d.status) });
    case 'ticket.sla_warning':
    case 'ticket.sla_breached':
      return t(`helpdesk.said.${entry.type.slice(7)}`, { number, target: target(d.sla_target) });
    default:
      return t(`helpdesk.said.${entry.type.slice(7)}`, { number });
  }
}

for (const verb of [
  'opened',
  'updated',
  'replied',
  'assigned',
  'status_changed',
  'resolved',
  'closed',
  'reopened',
  'sla_warning',
  'sla_breached',
  'escalated',
]) {
  registerTimelineRenderer(`ticket.${verb}`, (entry, userName = () => '') => {
    const d = entry.data;
    return {
      icon: verb.startsWith('sla_') ? 'clock' : 'helpdesk',
      title: ticketTitle(entry, userName),
      text: [
        d.subject,
        verb === 'opened' && d.priority && t(`helpdesk.priority.${d.priority}`),
        verb === 'status_changed' && d.from_status && t('helpdesk.said.from', { status: status(d.from_status) }),
      ]
        .filter(Boolean)
        .join(' · '),
      href: d.ticket_id && `/helpdesk/tickets/${d.ticket_id}`,
    };
  });
}

registerTimelineRenderer('csat.rated', (entry) => {
  const d = entry.data;
  return {
    icon: 'helpdesk',
    title: t('helpdesk.said.rated', { number: String(d.number ?? ''), rating: Number(d.rating) || 0 }),
    text: [d.subject, d.comment].filter(Boolean).join(' · '),
    href: d.ticket_id && `/helpdesk/tickets/${d.ticket_id}`,
  };
});
