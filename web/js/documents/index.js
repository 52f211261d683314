// The documents domain in the client: the "Files" panel on the client, deal and task cards (attachments.js), the
// "Documents" panel on the deal card (make an invoice, quote, act, delivery note or contract with a preview) and on
// the client card, the Documents section (every document you may see; bank statements for accountants and admins;
// legal entities and templates for admins), and how documents' events look on a client's timeline.
// The screens and their stylesheet load when one of them opens (lazy/, css/documents.css); the cards' panel
// (panel.js, common.js) comes with the client, its styles in components.css, and the make-a-document dialog
// (lazy/create.js) loads when it opens.

import * as api from '../api.js';
import { requireAdmin } from '../access.js';
import { money } from '../deals/format.js';
import { stylesheet } from '../dom.js';
import { formatDay, t } from '../i18n.js';
import { registerCardPanel, registerSection, registerTimelineRenderer } from '../registry.js';
import { lazyPage, route } from '../router.js';
import { attachmentsPanel, formatSize } from './attachments.js';
import { DOC_TYPES } from './common.js';
import { documentsPanel } from './panel.js';

const styles = () => stylesheet('css/documents.css');

registerCardPanel({ id: 'attachments', card: 'party', order: 50, render: (id, c) => attachmentsPanel('party', id, c) });
registerCardPanel({ id: 'attachments', card: 'deal', order: 50, render: (id, c) => attachmentsPanel('deal', id, c) });
registerCardPanel({ id: 'attachments', card: 'task', order: 50, render: (id, c) => attachmentsPanel('task', id, c) });
registerCardPanel({
  id: 'attachments',
  card: 'ticket',
  order: 50,
  render: (id, c) => attachmentsPanel('ticket', id, c),
});

registerCardPanel({ id: 'documents', card: 'deal', order: 45, render: (id, c) => documentsPanel('deal', id, c) });
registerCardPanel({ id: 'documents', card: 'party', order: 45, render: (id, c) => documentsPanel('party', id, c) });

/** Bank statements are for accountants and admins; anybody else gets "not found", as for a URL typed by hand. */
async function requireAccountant() {
  const me = await api.cached('/api/v1/me');
  if (!me.roles.includes('admin') && !me.roles.includes('accountant'))
    throw new api.ApiError(404, { code: 'not_found', detail: t('error.not_found_hint') });
}

// A screen with its stylesheet (and the access check it needs), fetched in parallel: one round trip.
const screen = (name, load, pick, check = null) =>
  lazyPage(
    name,
    () => Promise.all([load(), styles(), check?.()]).then(([module]) => module[pick]),
    () => t('nav.documents'),
  );

registerSection({ id: 'documents', path: '/documents', order: 40, service: 'documents', icon: 'documents' });
route(
  '/documents',
  screen('documents', () => import('./lazy/list.js'), 'documentsPage'),
);
route(
  '/documents/bank-statements',
  screen('bank-statements', () => import('./lazy/statements.js'), 'statementsPage', requireAccountant),
);
route(
  '/documents/bank-statements/:id',
  screen('bank-statement', () => import('./lazy/statements.js'), 'statementPage', requireAccountant),
);
route(
  '/documents/legal-entities',
  screen('legal-entities', () => import('./lazy/legal-entities.js'), 'legalEntitiesPage', requireAdmin),
);
route(
  '/documents/templates',
  screen('document-templates', () => import('./lazy/templates.js'), 'templatesPage', requireAdmin),
);
route(
  '/documents/templates/:id',
  screen('document-template', () => import('./lazy/template.js'), 'templatePage', requireAdmin),
);

// Where a file's record opens (a party's own timeline needs no link to itself).
const RECORD_PATHS = { deal: '/deals/', task: '/tasks/', ticket: '/helpdesk/tickets/' };

registerTimelineRenderer('attachment.added', (e) => ({
  icon: 'documents',
  title: t(Number(e.data?.version) > 1 ? 'timeline.type.attachment.version_added' : 'timeline.type.attachment.added'),
  text: [e.data?.filename, e.data?.size_bytes && formatSize(e.data.size_bytes)].filter(Boolean).join(' · '),
  href: RECORD_PATHS[e.data?.record_type] && `${RECORD_PATHS[e.data.record_type]}${e.data.record_id}`,
}));

// A document's events, written from their payload in the reader's language: "Счёт № СЧ-17 на 389 992,80 ₽
// выставлен" / "Invoice СЧ-17 for RUB 389,992.80 issued"; then the deal, the day, whom it was sent to, what was
// paid, why it was cancelled.
for (const event of ['generated', 'issued', 'sent', 'signed', 'paid', 'cancelled']) {
  const type = `document.${event}`;
  registerTimelineRenderer(type, (e) => {
    const data = e.data ?? {};
    const docType = DOC_TYPES.includes(data.doc_type) ? data.doc_type : 'other';
    const amount = data.total ? money(data.total, data.currency || 'RUB') : '';
    const key = `documents.said.${event}.${docType}${amount ? '' : '_no_amount'}`;
    return {
      icon: event === 'cancelled' ? 'close' : 'documents',
      title: t(key, { number: data.number ?? '', amount }),
      text: [
        data.deal_title,
        formatDay(data.doc_date),
        event === 'sent' && data.sent_to && t('documents.said_to', { to: data.sent_to }),
        event === 'paid' &&
          Number(data.paid_amount) > 0 &&
          t('documents.paid_amount', { amount: money(data.paid_amount, data.currency || 'RUB') }),
        event === 'cancelled' && data.cancel_reason,
      ]
        .filter(Boolean)
        .join(' · '),
      href: data.deal_id && `/deals/${data.deal_id}`,
    };
  });
}
