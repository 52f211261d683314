// Form fields of a deal (create and the card's editor): names are the API's JSON paths, so the
// server's validation messages land next to the right input.

import * as api from '../../api.js';
import { t } from '../../i18n.js';

/** Clients found by words, as lookup options. */
export async function findClients(q) {
  const { data } = await api.get('/api/v1/parties', { query: { q, limit: 10, sort: q ? 'relevance' : '-updated_at' } });
  return data.items.map((p) => ({ value: p.id, label: p.display_name }));
}

export function clientField(client) {
  return {
    name: 'client_id',
    label: t('deal.client'),
    type: 'lookup',
    required: true,
    search: findClients,
    searchLabel: t('deal.find_client'),
    options: client ? [client] : [],
    empty: t('deal.choose_client'),
  };
}

/** Title, client, owner, money and dates: the card's "Deal" section and most of a create. */
export function mainFields({ client, people }) {
  return [
    { name: 'title', label: t('deal.title'), required: true, wide: true },
    clientField(client),
    {
      name: 'owner_id',
      label: t('deal.owner'),
      type: 'select',
      options: people.map((u) => ({ value: u.id, label: u.display_name })),
    },
    { name: 'amount', label: t('deal.amount'), inputmode: 'decimal' },
    { name: 'currency', label: t('deal.currency'), placeholder: 'RUB' },
    { name: 'expected_close_date', label: t('deal.expected_close'), type: 'date' },
  ];
}

/** The fields of a merge patch that differ from `deal` (a form sends every field; the server needs only changes). */
export function changes(data, deal) {
  return Object.fromEntries(
    Object.entries(data).filter(([key, value]) => value !== (deal[key] === '' ? null : (deal[key] ?? null))),
  );
}
