// Extension points. A domain (contacts, deals, tasks today; documents, marketing, helpdesk later)
// plugs into the shell from its own js/<domain>/index.js by calling these; no shared code changes.
// See COMPONENTS.md, "Adding a domain".

export const sections = [];
export const searchProviders = [];
export const dashboardWidgets = [];
export const cardPanels = [];
export const headerItems = [];
const timelineRenderers = new Map();

/**
 * A navigation entry: {id, path, icon, order, service, landed, roles}. The label is t(`nav.${id}`).
 * `service` names the registry's service the section shows ('deals'): the entry is listed only when this
 * installation runs it (services.js); sections without one (dashboard, administration) are the gateway's own.
 * landed=false marks a section the client has no screens for yet (a page says so); `roles` (['admin'], say) shows
 * the entry only to users with one of them (the pages still check: a URL can be typed).
 */
export function registerSection(section) {
  const index = sections.findIndex((s) => s.id === section.id);
  if (index >= 0) sections.splice(index, 1);
  sections.push({ order: 100, landed: true, ...section });
  sections.sort((a, b) => a.order - b.order);
}

/**
 * Something the top search box finds: {id, order, search(q, {signal}) -> [{title, subtitle, href, icon}],
 * allHref?(q) -> URL of the full result list (Enter without a highlighted result opens it)}.
 * The group heading is t(`search.group.${id}`). Providers run in parallel; a failing one is skipped.
 */
export function registerSearchProvider(provider) {
  searchProviders.push({ order: 100, ...provider });
  searchProviders.sort((a, b) => a.order - b.order);
}

/**
 * How a timeline entry looks, by event type ('deal.stage_changed') or by source ('source:deals').
 * render(entry, userName) -> {icon, title, text?, href?} (userName(id): a user's display name, for ids in the
 * payload); entries nobody claims get a generic look.
 */
export function registerTimelineRenderer(key, render) {
  timelineRenderers.set(key, render);
}

export function timelineRenderer(entry) {
  return timelineRenderers.get(entry.type) ?? timelineRenderers.get(`source:${entry.source}`);
}

/** A dashboard card: {id, order, render(container, {signal}) -> Promise}. */
export function registerDashboardWidget(widget) {
  dashboardWidgets.push({ order: 100, ...widget });
  dashboardWidgets.sort((a, b) => a.order - b.order);
}

/**
 * A panel of another domain on a card (a client's deals, say): {id, order, card: 'party'|'deal'|'task'|'ticket',
 * render(id, {signal, record, expectTimeline}) -> Promise<node>}; `record` is a promise of the card's own data,
 * `expectTimeline(type)` (client card) polls its timeline for a new entry. Panels are asked for after the card's
 * own requests and fill their place when they arrive (the card does not wait for them); one that fails shows its
 * error there (components/card-panels.js).
 */
export function registerCardPanel(panel) {
  cardPanels.push({ order: 100, card: 'party', ...panel });
  cardPanels.sort((a, b) => a.order - b.order);
}

/** The panels of one kind of card ('party', 'deal'), in order. */
export function cardPanelsFor(card) {
  return cardPanels.filter((panel) => panel.card === card);
}

/**
 * Something a domain shows in the header, beside the user's name (the tasks' reminders, say):
 * {id, order, mount() -> {el, relabel()}}; mounted once with the shell, relabelled when the language changes.
 */
export function registerHeaderItem(item) {
  headerItems.push({ order: 100, ...item });
  headerItems.sort((a, b) => a.order - b.order);
}
