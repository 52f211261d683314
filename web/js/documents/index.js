// The documents domain in the client, so far its attachments: the "Files" panel on the client, deal and task
// cards (attachments.js) and how an attachment.added event looks on a client's timeline. The documents section
// itself (invoices, acts, templates) stays a "soon" page (app.js PLANNED) until its screens land.

import { t } from '../i18n.js';
import { registerCardPanel, registerTimelineRenderer } from '../registry.js';
import { attachmentsPanel, formatSize } from './attachments.js';

registerCardPanel({ id: 'attachments', card: 'party', order: 50, render: (id, c) => attachmentsPanel('party', id, c) });
registerCardPanel({ id: 'attachments', card: 'deal', order: 50, render: (id, c) => attachmentsPanel('deal', id, c) });
registerCardPanel({ id: 'attachments', card: 'task', order: 50, render: (id, c) => attachmentsPanel('task', id, c) });

const RECORD_PATHS = { party: '/parties/', deal: '/deals/', task: '/tasks/' };

registerTimelineRenderer('attachment.added', (e) => ({
  icon: 'documents',
  title: t(Number(e.data?.version) > 1 ? 'timeline.type.attachment.version_added' : 'timeline.type.attachment.added'),
  text: [e.data?.filename, e.data?.size_bytes && formatSize(e.data.size_bytes)].filter(Boolean).join(' · '),
  href:
    e.data?.record_type && e.data.record_type !== 'party' && `${RECORD_PATHS[e.data.record_type]}${e.data.record_id}`,
}));
