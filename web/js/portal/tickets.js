// The portal user's requests: their organisation's list, a new request, a request's thread with a reply box and,
// once it is resolved, its rating (1-5 stars and a comment).

import { h } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { call, download, upload } from './api.js';
import { errorBox, field, form, radios, required, showError } from './forms.js';

const CATEGORIES = ['question', 'incident', 'problem', 'request', 'complaint'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const RATEABLE = new Set(['resolved', 'closed']);

const status = (ticket) => t(`portal.status.${ticket.status}`);
const select = (values, prefix, chosen) =>
  h('select', {}, ...values.map((v) => h('option', { value: v, selected: v === chosen }, t(`${prefix}.${v}`))));

export async function ticketsPage(view) {
  const page = await call('GET', '/api/v1/portal/tickets', undefined, { query: { limit: 100 } });
  view.append(
    h('h1', { tabindex: '-1' }, t('portal.tickets.title')),
    h('p', {}, h('a', { class: 'button primary', href: '#/tickets/new' }, t('portal.tickets.new'))),
    h('p', { class: 'portal-meta' }, t('portal.tickets.count', { count: page.total })),
  );
  if (!page.items.length) {
    view.append(h('p', { class: 'muted' }, t('portal.tickets.empty')));
    return;
  }
  view.append(
    h(
      'ul',
      { class: 'portal-list panel' },
      ...page.items.map((ticket) =>
        h(
          'li',
          {},
          h('a', { href: `#/tickets/${ticket.id}` }, `#${ticket.number} ${ticket.subject}`),
          h(
            'div',
            { class: 'portal-meta' },
            `${status(ticket)} · ${t('portal.tickets.updated')} ${formatDate(ticket.updated_at)}`,
          ),
        ),
      ),
    ),
  );
}

export function newTicketPage(view, go) {
  const subject = h('input', { maxlength: '300', required: true });
  const description = h('textarea', { maxlength: '50000' });
  const category = select(CATEGORIES, 'portal.category', 'question');
  const priority = select(PRIORITIES, 'portal.priority', 'normal');
  view.append(
    h('h1', { tabindex: '-1' }, t('portal.tickets.new')),
    form(
      [
        field(required(t('portal.ticket.subject')), subject),
        field(t('portal.ticket.description'), description),
        field(t('portal.ticket.category'), category),
        field(t('portal.ticket.priority'), priority),
      ],
      t('portal.tickets.send'),
      async () => {
        const ticket = await call('POST', '/api/v1/portal/tickets', {
          subject: subject.value.trim(),
          description: description.value.trim(),
          category: category.value,
          priority: priority.value,
        });
        go(`#/tickets/${ticket.id}`);
      },
    ),
  );
}

export async function ticketPage(view, go, id) {
  const path = `/api/v1/portal/tickets/${encodeURIComponent(id)}`;
  const [ticket, thread] = await Promise.all([call('GET', path), call('GET', `${path}/messages`)]);
  view.append(
    h('p', {}, h('a', { href: '#/tickets' }, `← ${t('portal.tickets.title')}`)),
    h('h1', { tabindex: '-1' }, `#${ticket.number} ${ticket.subject}`),
    h(
      'p',
      { class: 'portal-meta' },
      `${status(ticket)} · ${t(`portal.category.${ticket.category}`)} · ${formatDate(ticket.created_at)}`,
    ),
    ticket.description && h('p', { class: 'panel portal-description' }, ticket.description),
    h(
      'ul',
      { class: 'portal-thread', 'aria-label': t('portal.ticket.thread') },
      ...thread.items.map((m) =>
        h(
          'li',
          { class: m.author_type },
          h(
            'div',
            { class: 'portal-meta' },
            `${m.author_name || t(`portal.author.${m.author_type}`)} · ${formatDate(m.created_at)}`,
          ),
          m.body,
        ),
      ),
    ),
  );
  if (ticket.status !== 'closed') {
    const body = h('textarea', { maxlength: '50000', required: true });
    view.append(
      form([field(t('portal.ticket.reply'), body)], t('portal.ticket.send_reply'), async () => {
        await call('POST', `${path}/messages`, { body: body.value.trim() });
        go(`#/tickets/${id}`, { reload: true });
      }),
    );
  }
  view.append(await filesSection(path, go, id));
  if (RATEABLE.has(ticket.status)) view.append(ratingForm(ticket, path, go));
}

async function filesSection(path, go, id) {
  const files = await call('GET', `${path}/attachments`);
  const box = errorBox();
  const save = (file) => () =>
    download(`/api/v1/portal/attachments/${file.id}/content`, file.filename).catch((e) => showError(box, e));
  const input = h('input', { type: 'file' });
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'portal-files' },
    h('h2', { id: 'portal-files' }, t('portal.files.title')),
    box,
    files.items.length
      ? h(
          'ul',
          { class: 'portal-list' },
          ...files.items.map((file) =>
            h(
              'li',
              {},
              h(
                'button',
                { type: 'button', class: 'button small', onClick: save(file) },
                `${t('portal.files.download')}: ${file.filename}`,
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('portal.files.none')),
    form([field(t('portal.files.choose'), input)], t('portal.files.attach'), async () => {
      if (!input.files.length) throw { code: 'file_required', message: t('portal.files.choose') };
      await upload(`${path}/attachments`, input.files[0]);
      go(`#/tickets/${id}`, { reload: true });
    }),
  );
}

function ratingForm(ticket, path, go) {
  const stars = radios(
    t('portal.rating.legend'),
    'rating',
    [1, 2, 3, 4, 5].map((n) => ({ value: n, label: `${'★'.repeat(n)} ${n}` })),
    'portal-stars',
  );
  const comment = h('textarea', { maxlength: '2000' });
  return h(
    'section',
    { 'aria-labelledby': 'portal-rating' },
    h('h2', { id: 'portal-rating' }, t('portal.rating.title')),
    ticket.csat_rating > 0 && h('p', { role: 'status' }, t('portal.rating.current', { rating: ticket.csat_rating })),
    form(
      [h('p', {}, t('portal.rating.legend')), stars.el, field(t('portal.rating.comment'), comment)],
      t('portal.rating.submit'),
      async () => {
        if (!stars.value()) throw { code: 'portal_rating_required', message: t('portal.rating.pick') };
        await call('POST', `${path}/rating`, { rating: Number(stars.value()), comment: comment.value.trim() });
        go(`#/tickets/${ticket.id}`, { reload: true });
      },
    ),
  );
}
