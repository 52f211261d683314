// The contacts domain in the client: its section and pages, what the top search finds, how its events
// look on the timeline, and its dashboard cards. Other domains follow this file's shape.

import * as api from '../api.js';
import { barChart, columnChart, stat } from '../components/chart.js';
import { h } from '../dom.js';
import { has, t } from '../i18n.js';
import {
  registerDashboardWidget,
  registerSearchProvider,
  registerSection,
  registerTimelineRenderer,
} from '../registry.js';
import { route } from '../router.js';
import { partyPage } from './card.js';
import { labelOf, months, pointText, relationshipTypes } from './fields.js';
import { partiesPage } from './list.js';

registerSection({ id: 'parties', path: '/parties', order: 10, service: 'contacts' });
route('/parties', partiesPage);
route('/parties/:id', partyPage);

registerSearchProvider({
  id: 'parties',
  order: 10,
  allHref: (q) => `/parties?q=${encodeURIComponent(q)}`,
  async search(q, { signal }) {
    const { data } = await api.get('/api/v1/parties', { query: { q, limit: 8, sort: 'relevance' }, signal });
    return data.items.map((p) => ({
      title: p.display_name,
      subtitle: searchSubtitle(p, q),
      href: `/parties/${p.id}`,
      icon: p.kind,
    }));
  },
});

/** What tells one found party from another: the full legal name (the list shows the short one: "ККД" was found
 * by "кондитер" in "Кондитерский комбинат ..."), the INN, and the phone the words matched (else the first one). */
function searchSubtitle(party, q) {
  const legal = party.company?.legal_name;
  const digits = q.replace(/\D/g, '');
  const matched = digits.length >= 3 && party.phones.find((phone) => phone.value.replace(/\D/g, '').includes(digits));
  return [
    legal && legal !== party.display_name && legal,
    party.company?.inn && `${t('party.inn')} ${party.company.inn}`,
    party.person?.position,
    pointText(matched || party.phones[0]),
  ]
    .filter(Boolean)
    .join(' · ');
}

// Contacts' own events, drawn from their payload (`data`): titles from the dictionary, the names and the note's
// text as they are, changed fields by their translated labels.
const title = (type) => t(`timeline.type.${type}`);
registerTimelineRenderer('party.created', (e) => ({ icon: 'plus', title: title(e.type) }));
registerTimelineRenderer('party.deleted', (e) => ({ icon: 'close', title: title(e.type) }));
registerTimelineRenderer('party.restored', (e) => ({ icon: 'refresh', title: title(e.type) }));
registerTimelineRenderer('party.updated', (e) => ({
  icon: 'edit',
  title: title(e.type),
  text: (e.data.changed_fields ?? []).map((f) => (has(`field.${f}`) ? t(`field.${f}`) : f)).join(', '),
}));
registerTimelineRenderer('note.added', (e) => ({ icon: 'note', title: title(e.type), text: e.data.excerpt }));
for (const type of ['party.person_linked', 'party.person_unlinked']) {
  // The payload is the company's; the person is the other side of the link.
  registerTimelineRenderer(type, (e) => ({
    icon: 'link',
    title: title(type),
    text: [e.data.other_display_name, e.data.display_name, e.data.role].filter(Boolean).join(' · '),
    href: e.data.other_party_id && `/parties/${e.data.other_party_id}`,
  }));
}
registerTimelineRenderer('party.merged', (e) => ({
  icon: 'link',
  title: title(e.type),
  text: e.data.merged_display_name && `${e.data.merged_display_name} → ${e.data.survivor_display_name}`,
}));

registerDashboardWidget({
  id: 'parties',
  order: 10,
  async render({ signal }) {
    const count = (filter) => api.get('/api/v1/parties/count', { query: { filter }, signal }).then((r) => r.data);
    const tiles = [
      { label: t('dashboard.all_parties'), filter: [], href: '/parties' },
      { label: t('dashboard.companies'), filter: ['kind:eq:company'] },
      { label: t('dashboard.people'), filter: ['kind:eq:person'] },
      { label: t('dashboard.clients'), filter: ['relationship_types:eq:client'] },
      { label: t('dashboard.prospects'), filter: ['relationship_types:eq:prospect'] },
    ];
    const values = await Promise.all(tiles.map((tile) => count(tile.filter)));
    return h(
      'section',
      { class: 'panel widget wide', 'aria-labelledby': 'widget-parties' },
      h('h2', { id: 'widget-parties' }, t('widget.parties')),
      h(
        'div',
        { class: 'stats' },
        tiles.map((tile, i) =>
          stat({
            label: tile.label,
            value: values[i].count,
            capped: values[i].capped,
            href: tile.href ?? `/parties?${tile.filter.map((f) => `filter=${encodeURIComponent(f)}`).join('&')}`,
          }),
        ),
      ),
    );
  },
});

registerDashboardWidget({
  id: 'knowledge',
  order: 20,
  async render({ signal }) {
    const [{ data: report }, relationships] = await Promise.all([
      api.get('/api/v1/reports/client-knowledge', { signal }),
      relationshipTypes(),
    ]);
    const items = (list, label = (key) => key) => list.map((c) => ({ label: label(c.key), value: c.count }));
    const perMonth = new Map(report.season_months.map((c) => [Number(c.key), c.count]));
    const card = (chart) => h('section', { class: 'panel widget' }, chart);
    return [
      card(barChart({ title: t('report.needs'), items: items(report.needs) })),
      card(barChart({ title: t('report.unmet_needs'), items: items(report.unmet_needs) })),
      card(barChart({ title: t('report.refusal_reasons'), items: items(report.refusal_reasons) })),
      card(
        barChart({
          title: t('report.payment_discipline'),
          items: items(report.payment_discipline, (key) => t(`payment.${key}`)),
        }),
      ),
      card(
        columnChart({
          title: t('report.seasons'),
          items: months().map((m) => ({ label: m.label, value: perMonth.get(m.value) ?? 0 })),
        }),
      ),
      card(
        barChart({
          title: t('report.relationship_types'),
          items: items(report.relationship_types, (key) => labelOf(relationships, key)),
        }),
      ),
    ];
  },
});
