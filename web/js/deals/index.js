// The deals domain in the client: its section and pages, what the top search finds, how its events look
// on the timeline, and the "Deals" panel of the client card. The screens live in lazy/ and are imported
// when one of them opens (web.py does not preload lazy/ folders), so the client card's first load stays small.

import * as api from '../api.js';
import { has, t } from '../i18n.js';
import {
  registerCardPanel,
  registerDashboardWidget,
  registerSearchProvider,
  registerSection,
  registerTimelineRenderer,
} from '../registry.js';
import { lazyPage as lazy, route } from '../router.js';
import { money } from './format.js';
import { dealsPanel } from './panel.js';

/** A page whose modules are imported on first use (router.lazyPage), titled after the section meanwhile. */
const lazyPage = (name, load) => lazy(name, load, () => t('nav.deals'));

// Each screen with the shared module it needs, fetched in parallel (one round trip, not two).
const withCommon = (screen) => Promise.all([screen, import('./lazy/common.js')]).then(([module]) => module);

registerSection({ id: 'deals', path: '/deals', order: 20, service: 'deals' });
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
    const { data } = await api.get('/api/v1/deals', { query: { q, limit: 5 }, signal });
    return data.items.map((d) => ({
      title: d.title,
      subtitle: [d.client_name, d.stage_name, money(d.amount, d.currency)].filter(Boolean).join(' · '),
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

// Deal events on a client's timeline. Summaries are written by the server in English
// ("Deal 'X' moved back from Proposal to Lead"), so titles come from the dictionary and only the
// parts that are data (the deal's title, stage names, amounts, the loss reason) are shown.
const title = (type) => t(`timeline.type.${type}`);
const dealTitle = (summary) => /'(.*)'/.exec(summary)?.[1] ?? '';
const lossReason = (code) => (has(`loss.${code}`) ? t(`loss.${code}`) : code);
const join = (...parts) => parts.filter(Boolean).join(' · ');
const dealLook = (e, icon, text) => ({
  icon,
  title: title(e.type),
  text,
  href: e.subject_id && `/deals/${e.subject_id}`,
});

const amountOf = (summary) => {
  const [, amount, currency] = /\(([\d.]+) ([A-Z]{3})\)$/.exec(summary) ?? [];
  return amount && money(amount, currency);
};

registerTimelineRenderer('deal.created', (e) =>
  dealLook(
    e,
    'deals',
    join(dealTitle(e.summary), /opened in (.*?)(?: \(|$)/.exec(e.summary)?.[1], amountOf(e.summary)),
  ),
);
registerTimelineRenderer('deal.updated', (e) => dealLook(e, 'edit', dealTitle(e.summary)));
registerTimelineRenderer('deal.stage_changed', (e) => {
  const [, from, to] = /from (.*) to (.*)$/.exec(e.summary) ?? [];
  return dealLook(e, 'deals', join(dealTitle(e.summary), from && `${from} → ${to}`));
});
registerTimelineRenderer('deal.won', (e) => dealLook(e, 'deals', join(dealTitle(e.summary), amountOf(e.summary))));
registerTimelineRenderer('deal.reopened', (e) =>
  dealLook(e, 'refresh', join(dealTitle(e.summary), /reopened in (.*)$/.exec(e.summary)?.[1])),
);
registerTimelineRenderer('deal.lost', (e) => {
  const [, code, comment] = /lost: (\w+)(?: \((.*)\))?$/.exec(e.summary) ?? [];
  return dealLook(e, 'close', join(dealTitle(e.summary), code && lossReason(code), comment));
});
registerTimelineRenderer('payment.received', (e) => {
  const [, amount, currency] = /^Payment ([\d.]+) (\w+)/.exec(e.summary) ?? [];
  const late = /(\d+) days? late/.exec(e.summary)?.[1];
  return dealLook(
    e,
    'deals',
    join(
      amount && money(amount, currency),
      dealTitle(e.summary),
      late && t('payments.late_days', { count: Number(late) }),
    ),
  );
});
