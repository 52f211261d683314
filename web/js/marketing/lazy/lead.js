// The lead card: who it is and how to reach them (edited in place), where it came from (campaign, channel, UTM
// marks, what the form or file carried), the duplicates found among leads and clients, and what it became. Its
// actions: assign, qualify, disqualify with a reason, convert (convert.js). Every change carries the version
// (If-Match); a stale one offers a reload.

import * as api from '../../api.js';
import { auditPanel } from '../../components/audit-list.js';
import { editableSection } from '../../components/card-section.js';
import { formDialog } from '../../components/dialog.js';
import { panel } from '../../components/page.js';
import { toast, toastError } from '../../components/toast.js';
import { append, h, replace } from '../../dom.js';
import { codeLabel, formatDate, has, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { convertLead } from './convert.js';
import {
  details,
  disqualificationReasons,
  marketingTabs,
  nameOf,
  statusChip,
  teams,
  userOptions,
  users,
} from './common.js';
import { contactFields, leadName } from './leads.js';

const OPEN = ['new', 'in_work', 'qualified'];

export const leadPage = {
  name: 'lead',
  title: (ctx) => ctx.title ?? t('marketing.leads'),
  async render(view, ctx) {
    const url = `/api/v1/leads/${encodeURIComponent(ctx.params.id)}`;
    const { signal } = ctx;
    const [loaded, auditData, people, teamList, reasons, tabs] = await Promise.all([
      api.get(url, { signal }),
      api.get(`${url}/audit`, { query: { limit: 20 }, signal }),
      users(),
      teams(),
      disqualificationReasons(),
      marketingTabs(''),
    ]);
    let lead = loaded.data;
    let etag = loaded.etag;
    let audit = auditData.data.items;

    const head = h('header', { class: 'card-head' });
    const main = h('div', { class: 'card-main' });
    const side = h('aside', { class: 'card-side' });
    append(view, head, tabs, h('div', { class: 'card-grid' }, main, side));

    async function reload(announce = true) {
      try {
        const [fresh, log] = await Promise.all([api.get(url), api.get(`${url}/audit`, { query: { limit: 20 } })]);
        ({ data: lead, etag } = fresh);
        audit = log.data.items;
        renderCard();
        if (announce) toast(t('party.reloaded'));
      } catch (error) {
        toastError(error);
      }
    }

    // An action of the lead (POST …/<verb>) with the version it was shown at; the card shows the result.
    async function act(verb, body, done) {
      try {
        ({ data: lead, etag } = await api.post(`${url}/${verb}`, body, { etag }));
        toast(done, { kind: 'success' });
        await reload(false);
      } catch (error) {
        if (error.status === 412) conflict();
        else throw error;
      }
    }

    const conflict = () =>
      toast(
        [
          h('span', {}, t('form.conflict')),
          ' ',
          h('button', { type: 'button', class: 'button small', onClick: () => reload() }, t('action.reload')),
        ],
        { kind: 'error' },
      );

    const assign = () =>
      formDialog({
        title: t('lead.assign_title'),
        fields: [
          { name: 'owner_id', label: t('lead.owner'), type: 'select', required: true, options: userOptions(people) },
          {
            name: 'team_id',
            label: t('lead.team'),
            type: 'select',
            options: teamList.map((team) => ({ value: team.id, label: team.name })),
          },
        ],
        values: { owner_id: lead.owner_id, team_id: lead.team_id },
        submitLabel: t('lead.assign'),
        onConflict: () => reload(),
        submit: (data) => act('assign', { owner_id: data.owner_id ?? '', team_id: data.team_id }, t('lead.assigned')),
      });

    const qualify = () => act('qualify', {}, t('lead.qualified')).catch(toastError);

    const disqualify = () =>
      formDialog({
        title: t('lead.disqualify_title', { name: leadName(lead) }),
        fields: [
          {
            name: 'reason',
            label: t('lead.disqualification_reason'),
            type: 'select',
            required: true,
            options: reasons.filter((r) => !r.archived).map((r) => ({ value: r.code, label: codeLabel(r) })),
          },
          { name: 'comment', label: t('lead.disqualification_comment'), type: 'textarea' },
        ],
        submitLabel: t('lead.disqualify'),
        onConflict: () => reload(),
        submit: (data) =>
          act('disqualify', { reason: data.reason ?? '', comment: data.comment }, t('lead.disqualified')),
      });

    const convert = async () => {
      const converted = await convertLead(lead);
      if (converted) {
        toast(t('lead.converted'), { kind: 'success' });
        await reload(false);
      }
    };

    function actions() {
      const button = (label, onClick, primary = false) =>
        h('button', { type: 'button', class: `button${primary ? ' primary' : ''}`, onClick }, label);
      const open = OPEN.includes(lead.status);
      return h(
        'div',
        { class: 'toolbar lead-actions' },
        open && button(t('lead.convert'), convert, true),
        open && button(t('lead.assign'), assign),
        ['new', 'in_work'].includes(lead.status) && button(t('lead.qualify'), qualify),
        open && button(t('lead.disqualify'), disqualify),
      );
    }

    function contactsView() {
      return details([
        [t('lead.person_name'), lead.person_name],
        [t('lead.company_name'), lead.company_name],
        [t('lead.position'), lead.position],
        [t('lead.email'), lead.email && h('a', { href: `mailto:${lead.email}` }, lead.email)],
        [t('lead.phone'), lead.phone && h('a', { href: `tel:${lead.phone_e164 || lead.phone}` }, lead.phone)],
        [t('lead.inn'), lead.inn],
        [t('lead.comment'), lead.comment],
      ]);
    }

    // What the lead became (converted) or was attached to (a form sent from a known e-mail or phone).
    function resultPanel() {
      const links = [
        lead.company_id && [
          t('lead.result.company'),
          h(
            'a',
            { href: `/parties/${lead.company_id}`, class: 'result-company' },
            icon('company'),
            t('lead.open_company'),
          ),
        ],
        lead.person_id && [
          t('lead.result.person'),
          h('a', { href: `/parties/${lead.person_id}`, class: 'result-person' }, icon('person'), t('lead.open_person')),
        ],
        lead.deal_id && [
          t('lead.result.deal'),
          h('a', { href: `/deals/${lead.deal_id}`, class: 'result-deal' }, icon('deals'), t('lead.open_deal')),
        ],
        lead.converted_at && [t('lead.converted_at'), formatDate(lead.converted_at)],
      ];
      if (!links.some(Boolean)) return null;
      return panel('result', lead.status === 'converted' ? t('lead.became') : t('lead.attached'), details(links));
    }

    function duplicatesPanel() {
      if (!lead.duplicates?.length) return null;
      const reason = (r) => (has(`lead.match.${r}`) ? t(`lead.match.${r}`) : r);
      return panel(
        'duplicates',
        t('lead.duplicates'),
        h(
          'ul',
          { class: 'duplicates' },
          lead.duplicates.map((d) =>
            h(
              'li',
              { dataset: { kind: d.kind } },
              h(
                'a',
                { href: d.kind === 'party' ? `/parties/${d.id}` : `/marketing/leads/${d.id}` },
                icon(d.kind === 'party' ? 'parties' : 'marketing'),
                d.name || d.id,
              ),
              ' ',
              h('span', { class: 'chip' }, t(`lead.duplicate_kind.${d.kind}`)),
              ' ',
              h('span', { class: 'muted' }, t('lead.matched_by', { fields: d.reasons.map(reason).join(', ') })),
            ),
          ),
        ),
      );
    }

    function sourcePanel() {
      const utm = lead.utm ?? {};
      const raw = Object.entries(lead.raw ?? {});
      return panel(
        'source',
        t('lead.source'),
        h(
          'div',
          {},
          details([
            [
              t('lead.campaign'),
              lead.campaign_id &&
                h('a', { href: `/marketing/campaigns/${lead.campaign_id}` }, lead.campaign_name || lead.campaign_id),
            ],
            [t('lead.channel'), t(`lead.channel.${lead.channel}`)],
            ...['source', 'medium', 'campaign', 'content', 'term'].map((k) => [`utm_${k}`, utm[k]]),
            [t('lead.form'), lead.form_id && h('a', { href: `/marketing/forms/${lead.form_id}` }, t('lead.open_form'))],
            [t('lead.visitor'), lead.visitor_id],
          ]),
          raw.length > 0 &&
            h(
              'details',
              { class: 'raw-data', open: lead.channel === 'form' },
              h('summary', {}, t('lead.raw')),
              details(raw.map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])),
            ),
        ),
      );
    }

    function statePanel() {
      const reason = reasons.find((r) => r.code === lead.disqualification_reason);
      return panel(
        'state',
        t('lead.state'),
        details([
          [t('lead.status'), statusChip('lead', lead.status)],
          [t('lead.owner'), nameOf(people, lead.owner_id) || t('lead.no_owner')],
          [t('lead.team'), nameOf(teamList, lead.team_id)],
          [
            t('lead.disqualification_reason'),
            lead.disqualification_reason && (reason ? codeLabel(reason) : lead.disqualification_reason),
          ],
          [t('lead.disqualification_comment'), lead.disqualification_comment],
          [t('lead.created_at'), formatDate(lead.created_at)],
          [t('lead.updated_at'), formatDate(lead.updated_at)],
        ]),
      );
    }

    function renderCard() {
      ctx.title = leadName(lead);
      document.title = `${ctx.title} · ${t('app.name')}`;
      replace(
        head,
        h('h1', { tabindex: '-1' }, icon('marketing'), leadName(lead)),
        h(
          'p',
          { class: 'card-sub' },
          statusChip('lead', lead.status),
          ' ',
          [lead.company_name !== leadName(lead) && lead.company_name, lead.campaign_name].filter(Boolean).join(' · '),
        ),
        actions(),
      );
      replace(
        main,
        resultPanel(),
        editableSection({
          id: 'contacts',
          title: t('lead.contacts'),
          display: contactsView,
          fields: lead.status === 'converted' ? null : contactFields,
          values: () => lead,
          submit: async (data) => {
            ({ data: lead, etag } = await api.patch(url, changes(data, lead), { etag }));
            toast(t('party.saved'), { kind: 'success' });
            await reload(false);
          },
          onConflict: () => reload(),
        }),
        duplicatesPanel(),
        sourcePanel(),
      );
      replace(
        side,
        statePanel(),
        auditPanel({ kind: 'lead', entries: audit, who: (id) => nameOf(people, id), title: t('lead.audit') }),
      );
    }

    renderCard();
  },
};

/** Only what the form changed ("" clears a field). */
function changes(data, lead) {
  const patch = {};
  for (const [key, value] of Object.entries(data)) if ((value ?? '') !== (lead[key] ?? '')) patch[key] = value ?? '';
  return patch;
}
