// The deals domain in the client: its section and pages, what the top search finds, how its events look
// on the timeline, and the "Deals" panel of the client card. The screens live in lazy/ and are imported
// when one of them opens (web.py does not preload lazy/ folders), so the client card's first load stays small.

import * as api from '../api.js';
import { has, localName, t } from '../i18n.js';
import {
  registerCardPanel,
  registerDashboardWidget,
  registerSearchProvider,
  registerSection,
  registerTimelineRenderer,
} from '../registry.js';
import { lazyPage as lazy, route } from '../router.js';
import { money, stageNames } from './format.js';
import { dealsPanel } from './panel.js';

/** A page whose modules are imported on first use (router.lazyPage), titled after the section meanwhile. */
const lazyPage = (name, load) => lazy(name, load, () => t('nav.deals'));

// Each screen with the shared module it needs, fetched in parallel (one round trip, not two).
const withCommon = (screen) => Promise.all([screen, import('./lazy/common.js')]).then(([module]) => module);

registerSection({ id: 'deals', path: '/deals', order: 20, service: 'deals' });
// The catalogue of products and services: everyone reads it, admins and catalogue managers edit it.
registerSection({ id: 'catalogue', path: '/catalogue', order: 22, service: 'deals', icon: 'catalogue' });
route(
  '/catalogue',
  lazyPage('catalogue', () => withCommon(import('./lazy/catalogue.js')).then((m) => m.cataloguePage)),
);
route(
  '/deals',
  lazyPage('deals', () => withCommon(import('./lazy/list.js')).then((m) => m.dealsPage)),
);
route(
  '/deals/board',
  lazyPage('deal-board', () => withCommon(import('./lazy/board.js')).then((m) => m.boardPage)),
);
route(
  '/deals/forecast',
  lazyPage('forecast', () => withCommon(import('./lazy/forecast.js')).then((m) => m.forecastPage)),
);
route(
  '/deals/plans',
  lazyPage('sales-plans', () => withCommon(import('./lazy/plans.js')).then((m) => m.plansPage)),
);
route(
  '/deals/new',
  lazyPage('deal-new', () => withCommon(import('./lazy/create.js')).then((m) => m.createPage)),
);
route(
  '/deals/:id',
  lazyPage('deal', () =>
    Promise.all([import('./lazy/deal.js'), import('./lazy/deal-panels.js'), import('./lazy/common.js')]).then(
      ([m]) => m.dealPage,
    ),
  ),
);

registerSearchProvider({
  id: 'deals',
  order: 20,
  allHref: (q) => `/deals?q=${encodeURIComponent(q)}`,
  async search(q, { signal }) {
    const [{ data }, boards] = await Promise.all([
      api.get('/api/v1/deals', { query: { q, limit: 5 }, signal }),
      api.cached('/api/v1/pipelines'),
    ]);
    const stageName = stageNames(boards);
    return data.items.map((d) => ({
      title: d.title,
      subtitle: [d.client_name, stageName(d.stage_id, d.stage_name), money(d.amount, d.currency)]
        .filter(Boolean)
        .join(' · '),
      href: `/deals/${d.id}`,
      icon: 'deals',
    }));
  },
});

registerCardPanel({ id: 'deals', order: 20, render: dealsPanel });

// The money dashboard comes first on the dashboard; its module loads with it, not with the app.
registerDashboardWidget({
  id: 'sales',
  order: 5,
  render: (options) => withCommon(import('./lazy/money.js')).then((m) => m.salesWidget(options)),
});

// Deal events on a client's timeline, drawn from their payload (`data`): titles from the dictionary, the deal's
// title and stage names as the deal has them (in the reader's language when the payload carries both), amounts
// in the reader's number format, loss reasons by their translated label.
const title = (type) => t(`timeline.type.${type}`);
const lossReason = (code) => (has(`loss.${code}`) ? t(`loss.${code}`) : code);
const join = (...parts) => parts.filter(Boolean).join(' · ');
const dealLook = (e, icon, ...text) => ({
  icon,
  title: title(e.type),
  text: join(e.data.title, ...text),
  href: e.subject_id && `/deals/${e.subject_id}`,
});
const amount = (data) => data.amount && money(data.amount, data.currency);
// A changed field by its label on the deal's form ("client_id" is "Client"); one without a label is left out.
const fieldLabel = (field) =>
  [`deal.${field}`, `deal.${field.replace(/_ids?$/, '')}`, `field.${field}`].filter(has).map((key) => t(key))[0];

registerTimelineRenderer('deal.created', (e) => dealLook(e, 'deals', localName(e.data, 'stage_name'), amount(e.data)));
registerTimelineRenderer('deal.updated', (e) =>
  dealLook(e, 'edit', (e.data.changed_fields ?? []).map(fieldLabel).filter(Boolean).join(', ')),
);
registerTimelineRenderer('deal.stage_changed', (e) =>
  dealLook(
    e,
    'deals',
    `${localName(e.data, 'from_stage_name')} → ${localName(e.data, 'to_stage_name')}`,
    e.data.regression && t('deal.regression'),
    amount(e.data),
  ),
);
registerTimelineRenderer('deal.won', (e) => dealLook(e, 'deals', amount(e.data)));
registerTimelineRenderer('deal.reopened', (e) => dealLook(e, 'refresh', localName(e.data, 'to_stage_name')));
registerTimelineRenderer('deal.lost', (e) =>
  dealLook(
    e,
    'close',
    e.data.loss_reason && (localName(e.data, 'loss_reason_label') || lossReason(e.data.loss_reason)),
    e.data.loss_comment,
  ),
);
registerTimelineRenderer('payment.received', (e) => ({
  icon: 'deals',
  title: title(e.type),
  text: join(
    amount(e.data),
    e.data.deal_title,
    e.data.late_days > 0 && t('payments.late_days', { count: Number(e.data.late_days) }),
  ),
  href: e.data.deal_id && `/deals/${e.data.deal_id}`,
}));
