// The card's side panels with their own requests: linked people or companies, and notes.

import * as api from '../api.js';
import { toastError } from '../components/toast.js';
import { debounce, h, replace, uid } from '../dom.js';
import { formatDate, formatRelative, t } from '../i18n.js';
import { icon } from '../icons.js';
import { errorText } from '../messages.js';
import { partyLink } from './views.js';

// People of a company (or companies of a person) with their roles; link another one by searching.
// changed(eventType) reloads the card after a link or an unlink.
export function linksPanel(party, changed) {
  const other = party.kind === 'company' ? 'person' : 'company';
  const headingId = uid('links');
  const rows = party.links.map((link) => {
    const id = party.kind === 'company' ? link.person_id : link.company_id;
    const name = party.kind === 'company' ? link.person_name : link.company_name;
    const unlink = async () => {
      const [company, person] = party.kind === 'company' ? [party.id, id] : [id, party.id];
      try {
        await api.del(`/api/v1/parties/${company}/people/${person}`);
        await changed('party.person_unlinked');
      } catch (error) {
        toastError(error);
      }
    };
    return h(
      'li',
      {},
      partyLink({ id, kind: other, display_name: name }),
      link.role && h('span', { class: 'muted' }, ` — ${link.role}`),
      h(
        'button',
        { type: 'button', class: 'icon-button', 'aria-label': t('links.unlink', { name }), onClick: unlink },
        icon('close'),
      ),
    );
  });
  const query = h('input', { type: 'search', id: uid('link-q'), autocomplete: 'off' });
  const choice = h('select', { id: uid('link-choice'), required: true });
  const role = h('input', { type: 'text', id: uid('link-role'), maxlength: 300 });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const find = debounce(async () => {
    const { data } = await api
      .get('/api/v1/parties', { query: { q: query.value.trim(), filter: `kind:eq:${other}`, limit: 10 } })
      .catch(() => ({ data: { items: [] } }));
    replace(
      choice,
      data.items.map((p) => h('option', { value: p.id }, p.display_name)),
    );
  }, 250);
  query.addEventListener('input', find);
  const linkForm = h(
    'form',
    {
      class: 'link-form',
      hidden: true,
      onSubmit: async (event) => {
        event.preventDefault();
        error.hidden = true;
        if (!choice.value) return;
        const [company, person] = party.kind === 'company' ? [party.id, choice.value] : [choice.value, party.id];
        try {
          await api.put(`/api/v1/parties/${company}/people/${person}`, { role: role.value.trim() });
          await changed('party.person_linked');
        } catch (e) {
          error.textContent = errorText(e);
          error.hidden = false;
        }
      },
    },
    h('div', { class: 'field' }, h('label', { for: query.id }, t(`links.find_${other}`)), query),
    h('div', { class: 'field' }, h('label', { for: choice.id }, t(`kind.${other}`)), choice),
    h('div', { class: 'field' }, h('label', { for: role.id }, t('links.role')), role),
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button primary' }, t('links.link')),
      h('button', { type: 'button', class: 'button', onClick: () => (linkForm.hidden = true) }, t('action.cancel')),
    ),
    error,
  );
  const add = h(
    'button',
    { type: 'button', class: 'button small', onClick: () => ((linkForm.hidden = false), query.focus(), find()) },
    icon('link'),
    t(`links.add_${other}`),
  );
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': headingId, dataset: { section: 'links' } },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: headingId }, t(party.kind === 'company' ? 'links.people' : 'links.companies')),
      add,
    ),
    h(
      'div',
      { class: 'panel-body' },
      rows.length ? h('ul', { class: 'links' }, rows) : h('p', { class: 'muted' }, t('links.none')),
      linkForm,
    ),
  );
}

// Notes, newest first, with a form to add one. source: {list(signal), add(text)}.
export function notesPanel(userName, onAdded, source) {
  const list = h('ul', { class: 'notes' });
  const text = h('textarea', { id: uid('note'), rows: 3, maxlength: 20000 });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const note = (n) =>
    h(
      'li',
      { class: 'note' },
      h('p', { class: 'note-text' }, n.text),
      h(
        'p',
        { class: 'timeline-meta' },
        userName(n.author_id),
        ' · ',
        h('time', { datetime: n.created_at, title: formatDate(n.created_at) }, formatRelative(n.created_at)),
      ),
    );
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('notes.add'));
  const add = async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!text.value.trim()) return;
    submit.disabled = true;
    try {
      const data = await source.add(text.value.trim());
      list.querySelector('.empty')?.remove();
      list.prepend(note(data));
      text.value = '';
      onAdded();
    } catch (e) {
      if (e.code === 'queued_offline') text.value = ''; // kept in the outbox: sent when the network is back
      error.textContent = errorText(e.errors?.[0] ?? e);
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  };
  const el = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'notes-title', dataset: { section: 'notes' } },
    h('div', { class: 'panel-head' }, h('h2', { id: 'notes-title' }, t('notes.title'))),
    h(
      'form',
      { class: 'note-form', onSubmit: add },
      h('label', { for: text.id, class: 'visually-hidden' }, t('notes.new')),
      text,
      error,
      submit,
    ),
    list,
  );
  text.placeholder = t('notes.placeholder');
  return {
    el,
    async load(signal) {
      const data = await source.list(signal);
      replace(list, data.items.length ? data.items.map(note) : h('li', { class: 'muted empty' }, t('notes.empty')));
    },
  };
}
