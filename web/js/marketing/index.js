// The marketing domain in the client: campaigns (costs, funnel, ROI report), leads (qualify, disqualify, convert),
// web forms (builder with the snippet and a live preview), imports (upload, mapping, progress) and, for admins,
// the rules that give new leads their owners. The screens live in lazy/ and are fetched when one of them opens,
// with their stylesheet (css/marketing.css); what stays here is the section, the routes and the top search.

import * as api from '../api.js';
import { requireAdmin } from '../access.js';
import { stylesheet } from '../dom.js';
import { localName, t } from '../i18n.js';
import { registerSearchProvider, registerSection, registerTimelineRenderer } from '../registry.js';
import { lazyPage, route } from '../router.js';

const styles = () => stylesheet('css/marketing.css');

// A screen with the shared module and the stylesheet, fetched in parallel (one round trip).
const screen = (name, load, pick, { admin = false } = {}) =>
  lazyPage(
    name,
    () =>
      Promise.all([load(), import('./lazy/common.js'), styles(), admin && requireAdmin()]).then(
        ([module]) => module[pick],
      ),
    () => t('nav.marketing'),
  );

registerSection({ id: 'marketing', path: '/marketing', order: 41, service: 'marketing' });
route(
  '/marketing',
  screen('leads', () => import('./lazy/leads.js'), 'leadsPage'),
);
route(
  '/marketing/leads/new',
  screen('lead-new', () => import('./lazy/leads.js'), 'newLeadPage'),
);
route(
  '/marketing/leads/:id',
  screen(
    'lead',
    () => Promise.all([import('./lazy/lead.js'), import('./lazy/convert.js')]).then(([m]) => m),
    'leadPage',
  ),
);
route(
  '/marketing/campaigns',
  screen('campaigns', () => import('./lazy/campaigns.js'), 'campaignsPage'),
);
route(
  '/marketing/campaigns/:id',
  screen('campaign', () => import('./lazy/campaign.js'), 'campaignPage'),
);
route(
  '/marketing/report',
  screen('campaign-report', () => import('./lazy/report.js'), 'reportPage'),
);
route(
  '/marketing/forms',
  screen('forms', () => import('./lazy/forms.js'), 'formsPage'),
);
route(
  '/marketing/forms/:id',
  screen('form-builder', () => import('./lazy/forms.js'), 'formPage'),
);
route(
  '/marketing/import',
  screen(
    'import',
    () => Promise.all([import('./lazy/import.js'), import('./lazy/import-rows.js')]).then(([m]) => m),
    'importPage',
  ),
);
route(
  '/marketing/rules',
  screen('assignment-rules', () => import('./lazy/rules.js'), 'rulesPage', { admin: true }),
);

registerSearchProvider({
  id: 'leads',
  order: 40,
  allHref: (q) => `/marketing?q=${encodeURIComponent(q)}`,
  async search(q, { signal }) {
    const { data } = await api.get('/api/v1/leads', { query: { q, limit: 5 }, signal });
    return data.items.map((lead) => ({
      title: lead.person_name || lead.company_name || lead.email || lead.phone,
      subtitle: [lead.company_name, lead.email, lead.phone, t(`lead.status.${lead.status}`)]
        .filter(Boolean)
        .join(' · '),
      href: `/marketing/leads/${lead.id}`,
      icon: 'marketing',
    }));
  },
});

// A lead's events on the client card's timeline (the lead was attached to the client or became it), drawn from
// their payload (`data`): they open the lead's card. Site visits and mail to the client show what was visited or
// sent; all in the UI language, with only the data (names, subjects, pages) as they are.
const leadName = (data) => [data.person_name, data.company_name].filter(Boolean).join(', ') || data.email || data.phone;
for (const verb of ['captured', 'assigned', 'qualified', 'disqualified', 'converted']) {
  registerTimelineRenderer(`lead.${verb}`, (e) => ({
    icon: 'marketing',
    title: t(`timeline.type.lead.${verb}`),
    text: [
      leadName(e.data),
      verb === 'captured' && e.data.channel && t(`lead.channel.${e.data.channel}`),
      verb === 'disqualified' && localName(e.data, 'disqualification_reason_label'),
      verb === 'disqualified' && e.data.disqualification_comment,
    ]
      .filter(Boolean)
      .join(' · '),
    href: e.subject_id && `/marketing/leads/${e.subject_id}`,
  }));
}
registerTimelineRenderer('visit.recorded', (e) => ({
  icon: 'marketing',
  title: t('timeline.type.visit.recorded'),
  text: e.data.title || e.data.url,
}));
registerTimelineRenderer('mailing.sent', (e) => ({
  icon: 'email',
  title: t('timeline.type.mailing.sent'),
  text: [e.data.subject, e.data.email].filter(Boolean).join(' · '),
}));
for (const verb of ['opened', 'clicked']) {
  registerTimelineRenderer(`message.${verb}`, (e) => ({
    icon: 'email',
    title: t(`timeline.type.message.${verb}`),
    text: [e.data.subject, e.data.url].filter(Boolean).join(' · '),
  }));
}
