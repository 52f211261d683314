// A ticket as an agent works it: the header (number, subject, status, priority, category, channel) with the
// status moves its status allows; the thread, public replies and internal notes told apart (a note is marked
// "internal" in words, not only in colour); the composer (reply or note, the status after sending); beside them the
// requester (a link to the client's card), organisation, queue, assignee with the assign control, deal, the SLA
// targets (state, due time in the user's zone, minutes left, when met) and the client's rating.
// Changes send If-Match: when someone else changed the ticket meanwhile (412), the page shows it as it is now and
// says so.

import * as api from '../../api.js';
import { auditPanel } from '../../components/audit-list.js';
import { cardPanelSlots } from '../../components/card-panels.js';
import { formDialog } from '../../components/dialog.js';
import { panel } from '../../components/page.js';
import { toast, toastError } from '../../components/toast.js';
import { append, h, replace, uid } from '../../dom.js';
import { formatDate, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { errorText } from '../../messages.js';
import { dueFull, dueText } from '../../tasks/format.js';
import { helpdeskTabs } from '../index.js';
import {
  businessDuration,
  categoryLabel,
  channelLabel,
  conflictToast,
  formatMinutes,
  me,
  nameOf,
  priorityChip,
  queueName,
  queues as loadQueues,
  routingFields,
  slaStateBadge,
  statusBadge,
  statusLabel,
  ticketNumber,
  TRANSITIONS,
  users,
} from './tickets-common.js';

export const ticketPage = {
  name: 'ticket',
  title: (ctx) => ctx.title ?? t('helpdesk.ticket'),
  async render(view, ctx) {
    const { signal } = ctx;
    const url = `/api/v1/tickets/${encodeURIComponent(ctx.params.id)}`;
    const [loaded, thread, log, user, directory, queueList] = await Promise.all([
      api.get(url, { signal }),
      api.get(`${url}/messages`, { query: { limit: 200 }, signal }),
      api.get(`${url}/audit`, { query: { limit: 20 }, signal }),
      me(),
      users(),
      loadQueues(signal),
    ]);
    let ticket = loaded.data;
    ctx.title = `${ticketNumber(ticket)} · ${ticket.subject}`;
    let etag = loaded.etag;
    let messages = thread.data.items;
    let audit = log.data.items;
    const who = (id) => nameOf(directory, id) || t('helpdesk.someone');

    const head = h('header', { class: 'card-head hd-head' });
    const threadList = h('ol', { class: 'hd-thread', 'aria-label': t('helpdesk.thread') });
    const side = h('aside', { class: 'card-side' });
    const description = h('div', { class: 'hd-description-slot' });
    const composer = composerForm({ send });
    // Other domains' panels on a ticket (its files) fill their place when they arrive; they stay across re-renders.
    const extraPanels = cardPanelSlots('ticket', ticket.id, { signal, record: Promise.resolve(ticket) });
    append(
      view,
      head,
      helpdeskTabs(user, ''),
      h(
        'div',
        { class: 'card-grid' },
        h(
          'div',
          { class: 'card-main' },
          description,
          panel('thread', t('helpdesk.thread'), threadList),
          panel('composer', t('helpdesk.composer'), composer.el),
          extraPanels,
        ),
        side,
      ),
    );

    async function reload() {
      const [fresh, freshThread, freshLog] = await Promise.all([
        api.get(url),
        api.get(`${url}/messages`, { query: { limit: 200 } }),
        api.get(`${url}/audit`, { query: { limit: 20 } }),
      ]);
      ({ data: ticket, etag } = fresh);
      messages = freshThread.data.items;
      audit = freshLog.data.items;
      render();
    }

    // A change that may meet someone else's: on 412 the page shows the ticket as it is now and says so.
    async function change(action, done) {
      try {
        ({ data: ticket, etag } = await action());
        await reload();
        toast(done, { kind: 'success' });
      } catch (error) {
        if (error?.status !== 412) return toastError(error);
        await reload().catch(toastError);
        conflictToast();
      }
    }

    const moveTo = (status) =>
      change(
        () => api.post(`${url}/status`, { status }, { etag }),
        t('helpdesk.moved', { status: statusLabel(status) }),
      );
    const assign = (assigneeId) =>
      change(
        () => api.post(`${url}/assign`, { assignee_id: assigneeId }, { etag }),
        assigneeId ? t('helpdesk.assigned_to', { name: who(assigneeId) }) : t('helpdesk.unassigned_done'),
      );

    async function send(body) {
      await api.post(`${url}/messages`, body);
      await reload();
      toast(t(body.kind === 'note' ? 'helpdesk.note_added' : 'helpdesk.reply_sent'), { kind: 'success' });
    }

    async function edit() {
      const saved = await formDialog({
        title: t('helpdesk.edit_ticket'),
        className: 'hd-edit-dialog',
        fields: [
          { name: 'subject', label: t('helpdesk.field.subject'), required: true, wide: true },
          ...routingFields(queueList),
          { name: 'description', label: t('helpdesk.field.description'), type: 'textarea', rows: 5 },
        ],
        values: ticket,
        submit: async (data) => {
          const patch = {};
          for (const [key, value] of Object.entries(data))
            if ((value ?? '') !== (ticket[key] ?? '')) patch[key] = value ?? '';
          if (Object.keys(patch).length) ({ data: ticket, etag } = await api.patch(url, patch, { etag }));
          return true;
        },
        onConflict: () => reload().catch(toastError),
      });
      if (saved) {
        await reload();
        toast(t('party.saved'), { kind: 'success' });
      }
    }

    function render() {
      renderHead();
      replace(
        description,
        ticket.description &&
          panel(
            'ticket-description',
            t('helpdesk.field.description'),
            h('p', { class: 'hd-body' }, ticket.description),
          ),
      );
      renderThread();
      composer.update(ticket);
      replace(
        side,
        detailsPanel(),
        slaPanel(ticket),
        ticket.csat_rating > 0 && ratingPanel(ticket),
        auditPanel({ kind: 'ticket', entries: audit, who: (id) => nameOf(directory, id) }),
      );
    }

    function renderHead() {
      const moves = TRANSITIONS[ticket.status] ?? [];
      replace(
        head,
        h('p', { class: 'hd-head-number' }, ticketNumber(ticket)),
        h('h1', { tabindex: '-1' }, ticket.subject),
        h(
          'p',
          { class: 'hd-head-meta' },
          statusBadge(ticket.status),
          priorityChip(ticket.priority),
          h('span', { class: 'chip' }, categoryLabel(ticket.category)),
          h('span', { class: 'chip' }, channelLabel(ticket.channel)),
        ),
        moves.length > 0 &&
          h(
            'div',
            { class: 'toolbar hd-status-actions', role: 'group', 'aria-label': t('helpdesk.change_status') },
            moves.map((status) =>
              h(
                'button',
                {
                  type: 'button',
                  class: `button${status === 'resolved' ? ' primary' : ''}`,
                  dataset: { status },
                  onClick: () => moveTo(status),
                },
                t(`helpdesk.move.${status}`),
              ),
            ),
          ),
      );
    }

    function renderThread() {
      replace(
        threadList,
        messages.length === 0 && h('li', { class: 'muted empty' }, t('helpdesk.thread_empty')),
        messages.map((m) => {
          const note = m.kind === 'note';
          const author =
            m.author_type === 'staff'
              ? who(m.author_id)
              : m.author_name || ticket.requester_name || t('helpdesk.client');
          return h(
            'li',
            { class: `hd-message ${note ? 'is-note' : 'is-reply'} from-${m.author_type}`, dataset: { kind: m.kind } },
            h(
              'p',
              { class: 'hd-message-head' },
              h('strong', {}, author),
              h(
                'span',
                { class: `hd-kind ${note ? 'hd-kind-note' : ''}` },
                note && icon('note'),
                t(
                  note
                    ? 'helpdesk.kind.note'
                    : m.author_type === 'staff'
                      ? 'helpdesk.kind.reply'
                      : 'helpdesk.kind.client',
                ),
              ),
              h('time', { datetime: m.created_at }, formatDate(m.created_at)),
            ),
            h('p', { class: 'hd-body' }, m.body),
          );
        }),
      );
    }

    function detailsPanel() {
      const queue = queueList.find((q) => q.id === ticket.queue_id);
      const requester = ticket.requester_name || ticket.requester_email || t('helpdesk.client');
      const openedBy = ticket.created_by ? who(ticket.created_by) : channelLabel(ticket.channel);
      const rows = [
        [t('helpdesk.field.requester'), partyLink(ticket.requester_party_id, requester)],
        ticket.requester_email && [
          t('helpdesk.field.email'),
          h('a', { href: `mailto:${ticket.requester_email}` }, ticket.requester_email),
        ],
        ticket.organisation_id &&
          ticket.organisation_id !== ticket.requester_party_id && [
            t('helpdesk.field.organisation'),
            partyLink(ticket.organisation_id, t('helpdesk.organisation')),
          ],
        [t('helpdesk.field.queue'), queue ? queueName(queue) : '—'],
        [t('helpdesk.field.assignee'), assignControl(queue)],
        ticket.deal_id && [t('helpdesk.field.deal'), dealLink(ticket.deal_id)],
        ticket.tier && [t('helpdesk.field.tier'), t(`helpdesk.tier.${ticket.tier}`)],
        [t('helpdesk.field.created_at'), `${formatDate(ticket.created_at)} · ${openedBy}`],
        [t('helpdesk.field.updated_at'), formatDate(ticket.updated_at)],
        ticket.resolved_at && [t('helpdesk.field.resolved_at'), formatDate(ticket.resolved_at)],
      ].filter(Boolean);
      return panel(
        'ticket-details',
        t('helpdesk.details'),
        h(
          'dl',
          { class: 'details' },
          rows.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
        ),
        h(
          'button',
          { type: 'button', class: 'button small', onClick: () => edit().catch(toastError) },
          icon('edit'),
          t('action.edit'),
        ),
      );
    }

    // The assignee: whom to give the ticket to - the queue's agents and lead, the people of your teams, you.
    function assignControl(queue) {
      const wanted = new Set(
        [...(queue?.agent_ids ?? []), queue?.lead_id, user.id, ticket.assignee_id].filter(Boolean),
      );
      const mine = new Set(user.team_ids);
      const people = directory
        .filter(
          (u) => wanted.has(u.id) || (u.active && u.kind !== 'service' && u.team_ids.some((team) => mine.has(team))),
        )
        .sort((a, b) => a.display_name.localeCompare(b.display_name));
      const select = h(
        'select',
        { id: uid('assignee'), 'aria-label': t('helpdesk.field.assignee') },
        h('option', { value: '' }, t('helpdesk.unassigned')),
        people.map((u) => h('option', { value: u.id }, u.display_name)),
      );
      select.value = ticket.assignee_id;
      return h(
        'div',
        { class: 'hd-assign' },
        select,
        h(
          'button',
          {
            type: 'button',
            class: 'button small',
            onClick: () => select.value !== ticket.assignee_id && assign(select.value),
          },
          t('helpdesk.assign'),
        ),
        ticket.assignee_id !== user.id &&
          h('button', { type: 'button', class: 'button small', onClick: () => assign(user.id) }, t('helpdesk.take')),
      );
    }

    render();
  },
};

/** A client's name as a link to their card (the name arrives when the card answers; hidden ones keep `fallback`). */
function partyLink(id, fallback) {
  if (!id) return fallback;
  const link = h('a', { href: `/parties/${id}`, class: 'party-link' }, fallback);
  api.cached(`/api/v1/parties/${encodeURIComponent(id)}`).then(
    (party) => (link.textContent = party.display_name || fallback),
    () => {},
  );
  return link;
}

function dealLink(id) {
  const link = h('a', { href: `/deals/${id}` }, t('helpdesk.deal'));
  api.cached(`/api/v1/deals/${encodeURIComponent(id)}`).then(
    (deal) => (link.textContent = deal.title || link.textContent),
    () => {},
  );
  return link;
}

/** The first response and the resolution: state, target, due time (in the user's zone), what is left, when met. */
function slaPanel(ticket) {
  const row = (name) => {
    const target = ticket[name];
    if (!target || target.state === 'none')
      return h(
        'div',
        { class: 'hd-sla-row', dataset: { target: name } },
        h('h3', {}, t(`helpdesk.target.${name}`)),
        h('p', { class: 'muted' }, t('helpdesk.sla_state.none')),
      );
    const running = target.due_at && !target.met_at;
    const late = target.minutes_left < 0 || target.state === 'breached';
    return h(
      'div',
      { class: 'hd-sla-row', dataset: { target: name, state: target.state } },
      h('h3', {}, t(`helpdesk.target.${name}`), ' ', slaStateBadge(target.state)),
      h(
        'dl',
        { class: 'details' },
        h('dt', {}, t('helpdesk.sla_target')),
        h('dd', {}, businessDuration(target.target_minutes)),
        target.due_at && [
          h('dt', {}, t('helpdesk.sla_due')),
          h('dd', {}, h('time', { datetime: target.due_at, title: dueFull(target.due_at) }, dueText(target.due_at))),
        ],
        running && [
          h('dt', {}, t(late ? 'helpdesk.sla_overdue_by' : 'helpdesk.sla_remaining')),
          h('dd', {}, formatMinutes(target.minutes_left)),
        ],
        target.met_at && [h('dt', {}, t('helpdesk.sla_met_at')), h('dd', {}, formatDate(target.met_at))],
      ),
    );
  };
  return panel('sla', t('helpdesk.sla'), [row('first_response'), row('resolution')]);
}

function ratingPanel(ticket) {
  const stars = '★'.repeat(ticket.csat_rating) + '☆'.repeat(5 - ticket.csat_rating);
  return panel('rating', t('helpdesk.rating'), [
    h(
      'p',
      { class: 'hd-rating' },
      h('span', { 'aria-hidden': 'true' }, stars),
      ' ',
      t('helpdesk.rating_of', { rating: ticket.csat_rating }),
    ),
    ticket.csat_comment && h('p', { class: 'hd-body' }, ticket.csat_comment),
  ]);
}

/**
 * The composer: a public reply or an internal note (a toggle; a note looks different while it is written), the text,
 * the status the ticket takes with it. `send({kind, body, status})` posts it; `update(ticket)` offers the statuses
 * the ticket may move to now.
 */
function composerForm({ send }) {
  const name = uid('kind');
  const radio = (value, checked) =>
    h('input', { type: 'radio', name, value, id: uid(`kind-${value}`), checked, class: 'hd-kind-input' });
  const reply = radio('reply', true);
  const note = radio('note', false);
  const text = h('textarea', { id: uid('body'), name: 'body', rows: 5, required: true, maxlength: 50000 });
  const textLabel = h('label', { for: text.id });
  const status = h('select', { id: uid('after'), name: 'status' });
  const summary = h('p', { class: 'form-summary', hidden: true, role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'button primary' });
  const el = h(
    'form',
    { class: 'hd-composer', novalidate: true, onSubmit },
    h(
      'fieldset',
      { class: 'hd-kind-toggle' },
      h('legend', { class: 'visually-hidden' }, t('helpdesk.message_kind')),
      reply,
      h('label', { for: reply.id }, t('helpdesk.reply')),
      note,
      h('label', { for: note.id }, icon('note'), t('helpdesk.note')),
    ),
    h('p', { class: 'hd-note-hint', hidden: true }, t('helpdesk.note_hint')),
    h('div', { class: 'field wide' }, textLabel, text),
    summary,
    h(
      'div',
      { class: 'hd-composer-actions' },
      h('div', { class: 'field' }, h('label', { for: status.id }, t('helpdesk.status_after')), status),
      submit,
    ),
  );

  function mode() {
    const isNote = note.checked;
    el.classList.toggle('is-note', isNote);
    el.querySelector('.hd-note-hint').hidden = !isNote;
    textLabel.textContent = t(isNote ? 'helpdesk.note_text' : 'helpdesk.reply_text');
    submit.textContent = t(isNote ? 'helpdesk.add_note' : 'helpdesk.send_reply');
  }
  reply.addEventListener('change', mode);
  note.addEventListener('change', mode);

  async function onSubmit(event) {
    event.preventDefault();
    summary.hidden = true;
    if (!text.value.trim()) {
      summary.textContent = t('helpdesk.empty_message');
      summary.hidden = false;
      text.focus();
      return;
    }
    submit.disabled = true;
    try {
      await send({ kind: note.checked ? 'note' : 'reply', body: text.value, status: status.value });
      text.value = '';
      status.value = '';
    } catch (error) {
      summary.textContent = errorText(error.errors?.[0] ?? error);
      summary.hidden = false;
    } finally {
      submit.disabled = false;
    }
  }

  mode();
  return {
    el,
    update(ticket) {
      const chosen = status.value;
      replace(
        status,
        h('option', { value: '' }, t('helpdesk.status_keep', { status: statusLabel(ticket.status) })),
        (TRANSITIONS[ticket.status] ?? []).map((code) => h('option', { value: code }, statusLabel(code))),
      );
      status.value = chosen;
      if (status.selectedIndex < 0) status.value = '';
    },
  };
}
