// Read-only views of a party for its card: requisites, contacts, client knowledge (custom fields: components).

import { h } from '../dom.js';
import { formatDate, formatNumber, t } from '../i18n.js';
import { icon } from '../icons.js';
import { CONTACT_KINDS, labelOf, months, options, pointText } from './fields.js';

/** A link to a party's card, with the icon of its kind. */
export function partyLink(party, text) {
  return h('a', { href: `/parties/${party.id}`, class: 'party-link' }, icon(party.kind), text ?? party.display_name);
}

// <dl> of the pairs whose value is not empty; "not filled in" when none is.
function details(pairs) {
  const filled = pairs.filter(
    ([, value]) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && !value.length),
  );
  if (!filled.length) return h('p', { class: 'muted' }, t('party.empty_section'));
  return h(
    'dl',
    { class: 'details' },
    filled.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
  );
}

export function mainView(party) {
  if (party.kind === 'person') {
    const p = party.person ?? {};
    return details([
      [t('party.last_name'), p.last_name],
      [t('party.first_name'), p.first_name],
      [t('party.middle_name'), p.middle_name],
      [t('party.position'), p.position],
    ]);
  }
  const c = party.company ?? {};
  return details([
    [t('party.legal_name'), c.legal_name],
    [t('party.short_name'), c.short_name],
    [t('party.inn'), c.inn],
    [t('party.kpp'), c.kpp],
    [t('party.ogrn'), c.ogrn],
    [t('party.industry'), c.industry],
    [t('party.size'), c.size],
    [
      t('party.website'),
      c.website &&
        h(
          'a',
          { href: /^https?:/.test(c.website) ? c.website : `https://${c.website}`, rel: 'noopener', target: '_blank' },
          c.website,
        ),
    ],
    [t('party.legal_address'), c.legal_address],
    [t('party.postal_address'), c.postal_address],
    [
      t('party.bank_accounts'),
      (c.bank_accounts ?? []).map((b) =>
        h(
          'p',
          {},
          [
            b.bank_name,
            b.bic && `${t('party.bic')} ${b.bic}`,
            b.checking_account && `${t('party.checking_account')} ${b.checking_account}`,
          ]
            .filter(Boolean)
            .join(', '),
        ),
      ),
    ],
  ]);
}

// A stored phone is E.164 with an RFC 3966 extension ("+74951234567;ext=12"): a tel: URI as it is.
// One stored before phones were parsed is reduced to its digits.
const telHref = (v) => `tel:${/^\+\d+(;ext=\d+)?$/.test(v) ? v : v.replace(/[^\d+]/g, '')}`;

export function contactsView(party) {
  const href = { phones: telHref, emails: (v) => `mailto:${v}` };
  return details(
    Object.entries(CONTACT_KINDS).map(([list, kinds]) => [
      t(`party.${list}`),
      party[list].map((point) =>
        h(
          'p',
          { class: 'contact-point' },
          icon(list.slice(0, -1)),
          href[list] ? h('a', { href: href[list](point.value) }, pointText(point)) : point.value,
          point.kind && h('span', { class: 'muted' }, ` ${labelOf(options(kinds, `contact.${list}`), point.kind)}`),
        ),
      ),
    ]),
  );
}

export function knowledgeView(party) {
  const k = party.knowledge ?? {};
  const volume =
    k.purchase_volume?.amount &&
    [
      formatNumber(Number(k.purchase_volume.amount)),
      k.purchase_volume.currency,
      k.purchase_volume.period && `/ ${t(`period.${k.purchase_volume.period}`)}`,
    ]
      .filter(Boolean)
      .join(' ');
  const season = new Set(k.season_months ?? []);
  return details([
    [
      t('knowledge.needs'),
      (k.needs ?? []).map((n) =>
        h(
          'p',
          {},
          n.product,
          !n.we_offer && h('span', { class: 'chip warn' }, t('knowledge.unmet')),
          n.note && h('span', { class: 'muted' }, ` — ${n.note}`),
        ),
      ),
    ],
    [t('knowledge.purchase_volume'), volume],
    [
      t('knowledge.season_months'),
      season.size
        ? h(
            'ol',
            { class: 'months', 'aria-label': t('knowledge.season_months') },
            months().map((m) =>
              h(
                'li',
                { class: season.has(m.value) ? 'on' : '', 'aria-hidden': season.has(m.value) ? null : 'true' },
                m.label,
              ),
            ),
          )
        : null,
    ],
    [
      t('knowledge.payment_discipline'),
      k.payment_discipline && k.payment_discipline !== 'unknown' ? t(`payment.${k.payment_discipline}`) : null,
    ],
    [
      t('knowledge.refusal_reasons'),
      (k.refusal_reasons ?? []).map((r) =>
        h(
          'p',
          {},
          r.code,
          r.note && ` — ${r.note}`,
          r.occurred_at && h('span', { class: 'muted' }, ` (${formatDate(r.occurred_at, { dateOnly: true })})`),
        ),
      ),
    ],
    [t('knowledge.obstacles'), (k.obstacles ?? []).map((o) => h('p', {}, o))],
  ]);
}
