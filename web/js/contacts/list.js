// Companies and people: search, filters, saved filters, and a quick create without leaving the list.

import * as api from '../api.js';
import { compact, form } from '../components/form.js';
import { listView } from '../components/list-view.js';
import { toast } from '../components/toast.js';
import { append, h } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { icon } from '../icons.js';
import { labelOf, createFields, options, PAYMENT_DISCIPLINES, relationshipTypes } from './fields.js';
import { partyLink } from './views.js';

export const partiesPage = {
  name: 'parties',
  title: () => t('nav.parties'),
  async render(view, ctx) {
    const [relationships, me] = await Promise.all([relationshipTypes(), api.cached('/api/v1/me')]);
    const createButtons = ['company', 'person'].map((kind) =>
      h(
        'button',
        { type: 'button', class: 'button primary', onClick: () => openCreate(kind) },
        icon('plus'),
        t(`party.new_${kind}`),
      ),
    );
    const list = await listView(ctx, {
      heading: t('nav.parties'),
      endpoint: '/api/v1/parties',
      countEndpoint: '/api/v1/parties/count',
      searchLabel: t('parties.search'),
      defaultSort: '-updated_at',
      toolbar: createButtons,
      columns: [
        {
          key: 'display_name',
          label: t('party.name'),
          sortKey: 'display_name',
          className: 'primary',
          render: (p) => partyLink(p),
        },
        {
          key: 'relationship_types',
          label: t('party.relationship_types'),
          render: (p) => p.relationship_types.map((r) => h('span', { class: 'chip' }, labelOf(relationships, r))),
        },
        { key: 'phone', label: t('party.phone'), className: 'nowrap', render: (p) => p.phones[0]?.value ?? '' },
        { key: 'email', label: t('party.email'), render: (p) => p.emails[0]?.value ?? '' },
        { key: 'inn', label: t('party.inn'), render: (p) => p.company?.inn ?? '' },
        {
          key: 'updated_at',
          label: t('party.updated'),
          sortKey: 'updated_at',
          className: 'nowrap',
          render: (p) => formatDate(p.updated_at, { dateOnly: true }),
        },
      ],
      filters: [
        {
          name: 'kind',
          label: t('party.kind'),
          type: 'select',
          filter: 'kind:eq',
          options: options(['company', 'person'], 'kind'),
        },
        {
          name: 'relationship',
          label: t('party.relationship_type'),
          type: 'select',
          filter: 'relationship_types:eq',
          options: relationships,
        },
        {
          name: 'payment',
          label: t('knowledge.payment_discipline'),
          type: 'select',
          filter: 'payment_discipline:eq',
          options: options(PAYMENT_DISCIPLINES, 'payment'),
        },
        { name: 'tag', label: t('party.tag'), type: 'text', filter: 'tags:eq' },
        { name: 'need', label: t('knowledge.need'), type: 'text', filter: 'need:eq' },
      ],
      sorts: [
        { value: '-updated_at', label: t('sort.updated') },
        { value: 'display_name', label: t('sort.name') },
        { value: '-created_at', label: t('sort.created') },
      ],
      savedFilters: {
        list: () => api.get('/api/v1/saved-filters', { signal: ctx.signal }).then((r) => r.data),
        create: (spec) => api.post('/api/v1/saved-filters', spec).then((r) => r.data),
        remove: (saved) => api.del(`/api/v1/saved-filters/${saved.id}`),
        removable: (saved) => saved.owner_id === me.id,
      },
    });

    function openCreate(kind) {
      let allowDuplicate = false;
      const close = () => list.panel.replaceChildren();
      const created = form({
        className: 'panel create-form',
        fields: createFields(kind, relationships),
        submitLabel: t('action.create'),
        onCancel: close,
        submit: async (data) => {
          const body = compact({ kind, ...data });
          const { data: party } = await api.post('/api/v1/parties', body, {
            query: { allow_duplicate: allowDuplicate || undefined },
          });
          close();
          list.prepend(party);
          toast([t('party.created', { name: party.display_name }), ' ', partyLink(party, t('party.open'))], {
            kind: 'success',
          });
        },
        // A party with the same INN exists: link to it, or create anyway.
        explain: (error) => {
          if (error.code !== 'duplicate_party') return null;
          return h(
            'button',
            { type: 'button', class: 'button', onClick: () => ((allowDuplicate = true), created.el.requestSubmit()) },
            t('party.create_anyway'),
          );
        },
      });
      list.panel.replaceChildren(h('h2', { class: 'panel-title' }, t(`party.new_${kind}`)), created.el);
      created.focus();
    }

    append(view, list.el);
  },
};
