// What a party is made of, for the list, the card and their forms: value sets with their labels and
// the form field specs (names are the API's JSON paths, so server errors land next to the right input).

import * as api from '../api.js';
import { codeLabel, monthName, t } from '../i18n.js';

export const PAYMENT_DISCIPLINES = ['unknown', 'punctual', 'minor_delays', 'chronic_delays', 'defaulted'];
const SIZES = ['1-10', '11-50', '51-250', '251-1000', '1000+'];
const PERIODS = ['month', 'quarter', 'year'];
export const CONTACT_KINDS = {
  phones: ['work', 'mobile', 'home', 'fax', 'other'],
  emails: ['work', 'personal', 'other'],
  messengers: ['telegram', 'whatsapp', 'viber', 'vk', 'skype', 'other'],
};

/** [{value, label}] for values translated under `prefix.` */
export const options = (values, prefix) => values.map((value) => ({ value, label: t(`${prefix}.${value}`) }));

export const months = () => Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: monthName(i + 1) }));

/** Relationship types of the platform, labelled in the UI language. */
export async function relationshipTypes() {
  const types = await api.cached('/api/v1/relationship-types');
  return types.map((type) => ({
    value: type.code,
    label: codeLabel(type),
  }));
}

/** A contact point as people read it: a phone's formatted `display` ("+7 495 123-45-67"), else its value. */
export const pointText = (point) => point?.display || point?.value || '';

export function labelOf(list, value) {
  return list.find((o) => String(o.value) === String(value))?.label ?? value;
}

/** The few fields of a quick create in the list. */
export function createFields(kind, relationships) {
  const name =
    kind === 'company'
      ? [
          { name: 'company.legal_name', label: t('party.legal_name'), required: true, autocomplete: 'organization' },
          { name: 'company.inn', label: t('party.inn'), inputmode: 'numeric' },
        ]
      : [
          { name: 'person.last_name', label: t('party.last_name'), required: true, autocomplete: 'family-name' },
          { name: 'person.first_name', label: t('party.first_name'), autocomplete: 'given-name' },
          { name: 'person.position', label: t('party.position') },
        ];
  return [
    ...name,
    { name: 'phones.0.value', label: t('party.phone'), type: 'tel', autocomplete: 'tel' },
    { name: 'emails.0.value', label: t('party.email'), type: 'email', autocomplete: 'email' },
    { name: 'relationship_types', label: t('party.relationship_types'), type: 'checkboxes', options: relationships },
  ];
}

/** Requisites (company) or name and position (person), with the classification. */
export function mainFields(kind, relationships) {
  const own =
    kind === 'company'
      ? [
          { name: 'company.legal_name', label: t('party.legal_name') },
          { name: 'company.short_name', label: t('party.short_name') },
          { name: 'company.inn', label: t('party.inn'), inputmode: 'numeric' },
          { name: 'company.kpp', label: t('party.kpp'), inputmode: 'numeric' },
          { name: 'company.ogrn', label: t('party.ogrn'), inputmode: 'numeric' },
          { name: 'company.industry', label: t('party.industry') },
          {
            name: 'company.size',
            label: t('party.size'),
            type: 'select',
            options: SIZES.map((s) => ({ value: s, label: s })),
          },
          { name: 'company.website', label: t('party.website'), type: 'url' },
          { name: 'company.legal_address', label: t('party.legal_address'), type: 'textarea', rows: 2 },
          { name: 'company.postal_address', label: t('party.postal_address'), type: 'textarea', rows: 2 },
          {
            name: 'company.bank_accounts',
            label: t('party.bank_accounts'),
            type: 'list',
            addLabel: t('party.bank_account'),
            item: [
              { name: 'bank_name', label: t('party.bank_name') },
              { name: 'bic', label: t('party.bic'), inputmode: 'numeric' },
              { name: 'checking_account', label: t('party.checking_account'), inputmode: 'numeric' },
              { name: 'correspondent_account', label: t('party.correspondent_account'), inputmode: 'numeric' },
            ],
          },
        ]
      : [
          { name: 'person.last_name', label: t('party.last_name') },
          { name: 'person.first_name', label: t('party.first_name') },
          { name: 'person.middle_name', label: t('party.middle_name') },
          { name: 'person.position', label: t('party.position') },
        ];
  return [
    ...own,
    { name: 'relationship_types', label: t('party.relationship_types'), type: 'checkboxes', options: relationships },
    { name: 'tags', label: t('party.tags'), type: 'tags', hint: t('party.tags_hint'), wide: true },
  ];
}

export function contactFields() {
  return Object.entries(CONTACT_KINDS).map(([list, kinds]) => ({
    name: list,
    label: t(`party.${list}`),
    type: 'list',
    addLabel: t(`party.add_${list}`),
    item: [
      { name: 'kind', label: t('party.contact_kind'), type: 'select', options: options(kinds, `contact.${list}`) },
      {
        name: 'value',
        label: t(`party.${list}_value`),
        type: list === 'emails' ? 'email' : list === 'phones' ? 'tel' : 'text',
      },
    ],
  }));
}

export function knowledgeFields() {
  return [
    {
      name: 'knowledge.needs',
      label: t('knowledge.needs'),
      type: 'list',
      addLabel: t('knowledge.add_need'),
      item: [
        { name: 'product', label: t('knowledge.product') },
        { name: 'we_offer', label: t('knowledge.we_offer'), type: 'checkbox' },
        { name: 'note', label: t('knowledge.note') },
      ],
    },
    { name: 'knowledge.purchase_volume.amount', label: t('knowledge.volume_amount'), inputmode: 'decimal' },
    { name: 'knowledge.purchase_volume.currency', label: t('knowledge.volume_currency'), placeholder: 'RUB' },
    {
      name: 'knowledge.purchase_volume.period',
      label: t('knowledge.volume_period'),
      type: 'select',
      options: options(PERIODS, 'period'),
    },
    {
      name: 'knowledge.payment_discipline',
      label: t('knowledge.payment_discipline'),
      type: 'select',
      options: options(PAYMENT_DISCIPLINES, 'payment'),
    },
    { name: 'knowledge.season_months', label: t('knowledge.season_months'), type: 'checkboxes', options: months() },
    {
      name: 'knowledge.refusal_reasons',
      label: t('knowledge.refusal_reasons'),
      type: 'list',
      addLabel: t('knowledge.refusal_reason'),
      item: [
        { name: 'code', label: t('knowledge.refusal_code') },
        { name: 'note', label: t('knowledge.note') },
      ],
    },
    {
      name: 'knowledge.obstacles',
      label: t('knowledge.obstacles'),
      type: 'lines',
      hint: t('knowledge.obstacles_hint'),
    },
  ];
}
