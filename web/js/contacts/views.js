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

// A messenger's chat link where the messenger has a public one; null for the others (shown as text).
function messengerHref({ kind, value }) {
  const handle = value.replace(/^@/, '');
  const digits = value.replace(/[^\d]/g, '');
  if (kind === 'telegram') return /^\+?[\d\s()-]+$/.test(value) ? `https://t.me/+${digits}` : `https://t.me/${handle}`;
  if (kind === 'whatsapp' && digits) return `https://wa.me/${digits}`;
  if (kind === 'viber' && digits) return `viber://chat?number=%2B${digits}`;
  if (kind === 'vk') return `https://vk.com/${handle}`;
  if (kind === 'skype') return `skype:${handle}?chat`;
  return null;
}

/** The card's first row: call (tel:), write (mailto:) and message the party with one tap; null with no contacts. */
export function contactActions(party) {
  const phone = party.phones?.[0];
  const email = party.emails?.[0];
  const messenger = party.messengers?.find((m) => messengerHref(m));
  const action = (href, name, label, text, primary = false) =>
    h(
      'a',
      {
        class: `button${primary ? ' primary' : ''} contact-action`,
        href,
        'aria-label': `${label}: ${text}`,
        target: href.startsWith('http') ? '_blank' : null,
        rel: href.startsWith('http') ? 'noopener' : null,
      },
      icon(name),
      h('span', { class: 'contact-action-text' }, text),
    );
  const actions = [
    phone && action(telHref(phone.value), 'phone', t('party.call'), pointText(phone), true),
    email && action(`mailto:${email.value}`, 'email', t('party.write'), email.value),
    messenger &&
      action(
        messengerHref(messenger),
        'messenger',
        t('party.message'),
        `${t(`contact.messengers.${messenger.kind}`)} ${messenger.value}`,
      ),
  ].filter(Boolean);
  return actions.length
    ? h('div', { class: 'contact-actions', role: 'group', 'aria-label': t('party.reach') }, actions)
    : null;
}

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
