// "Convert": what a lead becomes, asked in a dialog. A new company and/or person (or existing ones found by name),
// and a deal with an amount typed the way people type it ("1 250 000,50" in Russian). The conversion is
// idempotent on the server, so a retry after a failure half-way completes what is missing and creates nothing twice.

import * as api from '../../api.js';
import { ApiError } from '../../api.js';
import { formDialog } from '../../components/dialog.js';
import { localName, parseDecimal, t } from '../../i18n.js';
import { CURRENCIES, pipelines } from './common.js';

/** Parties of `kind` whose names have the words, for a lookup field. */
const findParties = (kind) => async (words) => {
  if (!words) return [];
  const { data } = await api.get('/api/v1/parties', { query: { q: words, filter: [`kind:eq:${kind}`], limit: 10 } });
  return data.items.map((p) => ({ value: p.id, label: p.display_name }));
};

/** Ask what the lead becomes and convert it; resolves with the converted lead, or null when cancelled. */
export async function convertLead(lead) {
  const boards = (await pipelines()).filter((p) => !p.archived);
  const partyDuplicates = (lead.duplicates ?? []).filter((d) => d.kind === 'party');
  const fields = [
    { name: 'create_company', label: t('convert.create_company'), type: 'checkbox' },
    {
      name: 'company_id',
      label: t('convert.existing_company'),
      type: 'lookup',
      searchLabel: t('convert.find_company'),
      search: findParties('company'),
      options: partyDuplicates.map((d) => ({ value: d.id, label: d.name })),
      empty: t('convert.none'),
      hint: t('convert.existing_hint'),
    },
    { name: 'create_person', label: t('convert.create_person'), type: 'checkbox' },
    {
      name: 'person_id',
      label: t('convert.existing_person'),
      type: 'lookup',
      searchLabel: t('convert.find_person'),
      search: findParties('person'),
      options: [],
      empty: t('convert.none'),
    },
    { name: 'create_deal', label: t('convert.create_deal'), type: 'checkbox' },
    { name: 'deal_title', label: t('convert.deal_title'), wide: true },
    {
      name: 'deal_amount',
      label: t('convert.deal_amount'),
      inputmode: 'decimal',
      placeholder: t('convert.amount_example'),
      hint: t('convert.amount_hint'),
    },
    {
      name: 'deal_currency',
      label: t('convert.deal_currency'),
      type: 'select',
      options: CURRENCIES.map((c) => ({ value: c, label: c })),
    },
    boards.length > 1 && {
      name: 'pipeline_id',
      label: t('convert.pipeline'),
      type: 'select',
      options: boards.map((p) => ({ value: p.id, label: localName(p) })),
    },
  ].filter(Boolean);
  return formDialog({
    title: t('convert.title'),
    className: 'convert-dialog',
    fields,
    values: {
      create_company: Boolean(lead.company_name),
      create_person: Boolean(lead.person_name),
      create_deal: true,
      deal_title: lead.company_name || lead.person_name,
      deal_currency: 'RUB',
      pipeline_id: boards[0]?.id,
    },
    submitLabel: t('lead.convert'),
    setup(formEl) {
      // Deal fields only with a deal; "existing" pickers replace the "new" boxes when one is chosen.
      const field = (name) => formEl.querySelector(`[data-field="${name}"]`);
      const sync = () => {
        const deal = field('create_deal').querySelector('input').checked;
        for (const name of ['deal_title', 'deal_amount', 'deal_currency', 'pipeline_id']) {
          const wrapper = field(name);
          if (wrapper) wrapper.hidden = !deal;
        }
        for (const kind of ['company', 'person']) {
          const chosen = field(`${kind}_id`).querySelector('select').value;
          const box = field(`create_${kind}`).querySelector('input');
          box.disabled = Boolean(chosen);
          if (chosen) box.checked = false;
        }
      };
      formEl.addEventListener('change', sync);
      sync();
    },
    submit: async (data) => {
      const body = {
        create_company: Boolean(data.create_company) && !data.company_id,
        create_person: Boolean(data.create_person) && !data.person_id,
        company_id: data.company_id,
        person_id: data.person_id,
        create_deal: Boolean(data.create_deal),
      };
      if (body.create_deal) {
        const amount = data.deal_amount == null ? null : parseDecimal(data.deal_amount);
        if (data.deal_amount != null && amount === null) {
          const message = t('convert.bad_amount');
          throw new ApiError(422, {
            code: 'invalid_amount',
            detail: message,
            errors: [{ field: 'deal_amount', code: 'invalid_amount', message }],
          });
        }
        Object.assign(body, {
          deal_title: data.deal_title,
          deal_amount: amount,
          deal_currency: data.deal_currency,
          pipeline_id: data.pipeline_id,
        });
      }
      const { data: converted } = await api.post(`/api/v1/leads/${encodeURIComponent(lead.id)}/convert`, body);
      return converted;
    },
  });
}
