// The client card: everything known about a company or a person on one screen. Each section edits in
// place (PATCH with If-Match of the version shown); notes and the relationship timeline sit beside.
// First what a manager acts on: the name, one-tap call / e-mail / messenger, then the other domains' panels (the
// next task and the last contact with "Log a call" / "Schedule" lead them); requisites, contacts, client
// knowledge and the history of changes follow folded (open on a wide screen), so a phone opens on the actions.

import * as api from '../api.js';
import { auditPanel } from '../components/audit-list.js';
import { cardPanelSlots } from '../components/card-panels.js';
import { customFieldsSection, editableSection } from '../components/card-section.js';
import { timeline } from '../components/timeline.js';
import { toast, toastError } from '../components/toast.js';
import { append, h, replace } from '../dom.js';
import { actorLabel, formatRelative, t } from '../i18n.js';
import { icon } from '../icons.js';
import { contactFields, knowledgeFields, labelOf, mainFields, relationshipTypes } from './fields.js';
import { linksPanel, notesPanel } from './panels.js';
import { contactActions, contactsView, knowledgeView, mainView } from './views.js';

export const partyPage = {
  name: 'party',
  title: (ctx) => ctx.title ?? t('nav.parties'),
  async render(view, ctx) {
    const url = `/api/v1/parties/${encodeURIComponent(ctx.params.id)}`;
    const { signal } = ctx;
    // Everything the card needs is asked for at once: one round trip, however slow the network.
    const directory = api.cached('/api/v1/users');
    let users = [];
    const userName = (id) => actorLabel(id, users.find((u) => u.id === id)?.display_name);
    const withNames = (request) =>
      Promise.all([request, directory]).then(([response, list]) => ((users = list), response.data));
    const history = timeline({
      load: (cursor, s) => withNames(api.get(`${url}/timeline`, { query: { cursor, limit: 30 }, signal: s ?? signal })),
      actorName: userName,
      signal,
    });
    const notes = notesPanel(userName, () => history.expectNew('note.added'), {
      list: (s) => withNames(api.get(`${url}/notes`, { query: { limit: 20 }, signal: s })),
      add: (text) => api.post(`${url}/notes`, { text }, { queue: true }).then((r) => r.data),
    });
    const own = Promise.all([
      api.get(url, { signal }),
      relationshipTypes(),
      api.cached('/api/v1/custom-fields'),
      history.load(signal),
      notes.load(signal),
      api.get(`${url}/audit`, { query: { limit: 20 }, signal }),
    ]);
    // Other domains' panels (a client's deals) are asked for after the card's own requests and fill their
    // place when they arrive: the card does not wait for them (on a slow network a browser's six connections
    // would otherwise cost the card a round trip). A failing panel says so in its place.
    const extraPanels = cardPanelSlots('party', ctx.params.id, {
      signal,
      record: own.then(([response]) => response.data),
      expectTimeline: (type) => history.expectNew(type),
    });
    const [loaded, relationships, definitions, , , auditData] = await own;
    let party = loaded.data;
    let audit = auditData.data.items;
    const loadAudit = async () => (audit = (await api.get(`${url}/audit`, { query: { limit: 20 } })).data.items);
    let etag = loaded.etag;
    ctx.title = party.display_name;

    const head = h('header', { class: 'card-head' });
    const main = h('div', { class: 'card-main' });
    append(
      view,
      head,
      h(
        'div',
        { class: 'card-grid' },
        main,
        h(
          'aside',
          { class: 'card-side' },
          notes.el,
          h(
            'section',
            { class: 'panel', 'aria-labelledby': 'timeline-title' },
            h('div', { class: 'panel-head' }, h('h2', { id: 'timeline-title' }, t('timeline.title'))),
            history.el,
          ),
        ),
      ),
    );

    async function save(patch) {
      const response = await api.patch(url, patch, { etag });
      ({ data: party, etag } = response);
      await loadAudit();
      renderCard();
      toast(t('party.saved'), { kind: 'success' });
      history.expectNew('party.updated');
    }

    async function reload(announce = true) {
      try {
        ({ data: party, etag } = await api.get(url));
        await loadAudit();
        renderCard();
        if (announce) toast(t('party.reloaded'));
      } catch (error) {
        toastError(error);
      }
    }

    // An editable section: its view, and on "Edit" a form over the same data.
    function section(id, title, display, fields) {
      return editableSection({ id, title, display, fields, values: () => party, submit: save, onConflict: reload });
    }

    function renderCard() {
      const kindDefinitions = definitions.filter((d) => d.entity_type === party.kind && !d.archived);
      replace(
        head,
        h('h1', { tabindex: '-1' }, icon(party.kind), party.display_name),
        contactActions(party),
        h(
          'p',
          { class: 'card-sub' },
          t(`kind.${party.kind}`),
          ' · ',
          t('party.owner'),
          ': ',
          userName(party.owner_id),
          ' · ',
          t('party.updated_ago', { when: formatRelative(party.updated_at) }),
        ),
        h(
          'div',
          { class: 'chips' },
          party.relationship_types.map((r) => h('span', { class: 'chip strong' }, labelOf(relationships, r))),
          party.tags.map((tag) => h('span', { class: 'chip' }, `#${tag}`)),
        ),
      );
      const requisitesTitle = t(party.kind === 'company' ? 'party.requisites' : 'party.person_details');
      replace(
        main,
        extraPanels,
        fold(
          'main',
          requisitesTitle,
          section(
            'main',
            requisitesTitle,
            () => mainView(party),
            () => mainFields(party.kind, relationships),
          ),
        ),
        fold(
          'contacts',
          t('party.contacts'),
          section('contacts', t('party.contacts'), () => contactsView(party), contactFields),
        ),
        linksPanel(party, async (event) => {
          await reload(false);
          history.expectNew(event);
        }),
        fold(
          'knowledge',
          t('knowledge.title'),
          section('knowledge', t('knowledge.title'), () => knowledgeView(party), knowledgeFields),
        ),
        kindDefinitions.length > 0 &&
          fold(
            'custom',
            t('custom_fields.title'),
            customFieldsSection({ record: party, definitions: kindDefinitions, save, onConflict: reload }),
          ),
        fold(
          'audit',
          t('audit.title'),
          auditPanel({ kind: 'party', entries: audit, who: userName, fieldPrefix: 'field' }),
        ),
      );
    }

    // Folded sections keep their state across re-renders (a save re-renders the card); a wide screen opens them.
    const wide = matchMedia('(min-width: 761px)').matches;
    const folds = new Map();
    function fold(id, title, content) {
      const el = h(
        'details',
        { class: 'card-fold', dataset: { fold: id }, open: folds.get(id) ?? wide },
        h('summary', {}, title),
        content,
      );
      el.addEventListener('toggle', () => folds.set(id, el.open));
      return el;
    }

    renderCard();
  },
};
