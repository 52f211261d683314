// Assignment rules, for admins: in order, the first active rule whose conditions all match a new lead gives it to
// its users in turn (round robin), with the team. Conditions are typed one per line as "field op value"
// ("utm_source eq yandex", "channel in form,api"); the whole list is saved at once (PUT).

import * as api from '../../api.js';
import { ApiError } from '../../api.js';
import { form } from '../../components/form.js';
import { pageHead, panel } from '../../components/page.js';
import { toast } from '../../components/toast.js';
import { append, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { marketingTabs, teams, userOptions, users } from './common.js';

const FIELDS = [
  'campaign_id',
  'channel',
  'form_id',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'email_domain',
  'phone_region',
  'has_company',
];
const OPS = ['eq', 'ne', 'in', 'contains'];

const conditionText = (c) => `${c.field} ${c.op} ${c.value}`;

/** "utm_source eq yandex" lines -> conditions; a line that does not read throws a field error. */
function parseConditions(text, path) {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [, field, op, value] = /^(\S+)\s+(\S+)\s+(.+)$/.exec(line) ?? [];
      if (!FIELDS.includes(field) || !OPS.includes(op)) {
        const message = t('rules.bad_condition', { line });
        throw new ApiError(422, { code: 'invalid_condition', detail: message, errors: [{ field: path, message }] });
      }
      return { field, op, value };
    });
}

export const rulesPage = {
  name: 'assignment-rules',
  title: () => t('marketing.tab.rules'),
  async render(view, ctx) {
    const [{ data: rules }, people, teamList, tabs] = await Promise.all([
      api.get('/api/v1/leads/assignment-rules', { signal: ctx.signal }),
      users(),
      teams(),
      marketingTabs('rules'),
    ]);
    const editor = form({
      className: 'rules-form',
      fields: [
        {
          name: 'rules',
          label: t('rules.list'),
          type: 'list',
          addLabel: t('rules.add'),
          hint: t('rules.hint', { fields: FIELDS.join(', '), ops: OPS.join(', ') }),
          item: [
            { name: 'name', label: t('rules.name') },
            { name: 'conditions', label: t('rules.conditions'), type: 'textarea', rows: 2 },
            { name: 'user_ids', label: t('rules.users'), type: 'checkboxes', options: userOptions(people) },
            {
              name: 'team_id',
              label: t('lead.team'),
              type: 'select',
              options: teamList.map((team) => ({ value: team.id, label: team.name })),
            },
            { name: 'active', label: t('webform.active'), type: 'checkbox' },
          ],
        },
      ],
      values: { rules: rules.map((r) => ({ ...r, conditions: r.conditions.map(conditionText).join('\n') })) },
      submit: async (data) => {
        const body = {
          rules: (data.rules ?? []).map((r, i) => ({
            name: r.name ?? '',
            conditions: parseConditions(r.conditions, `rules.${i}.conditions`),
            user_ids: r.user_ids ?? [],
            team_id: r.team_id,
            active: Boolean(r.active),
          })),
        };
        await api.put('/api/v1/leads/assignment-rules', body);
        toast(t('rules.saved'), { kind: 'success' });
      },
    });
    append(
      view,
      pageHead(t('marketing.rules')),
      tabs,
      panel('rules', t('marketing.rules'), [h('p', { class: 'muted' }, t('rules.explain')), editor.el]),
    );
  },
};
