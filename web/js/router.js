// History routing: /parties/123 is a real URL (the gateway answers index.html for it).
// A page is {name, title(ctx), render(view, ctx), public?}; render fills `view` and resolves when the
// page is usable. While it runs, <main aria-busy="true">; then data-page=<name> and aria-busy="false"
// (tests and assistive technology wait for that), a performance mark "page-ready:<name>" is set,
// and focus moves to the page's heading.

import { session } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

const routes = [];
const listeners = new Set();
let outlet;
let controller;
let notFound;
let firstRender = true;

/** route('/parties/:id', page): register a page for a path pattern. */
export function route(pattern, page) {
  const keys = [];
  const source = pattern.replace(/:(\w+)/g, (_, key) => {
    keys.push(key);
    return '([^/]+)';
  });
  routes.push({ regex: new RegExp(`^${source}/?$`), keys, page });
}

/**
 * A page whose modules are imported on first use (a domain's lazy/ screens): `load()` resolves with the page;
 * `name` is known at once (tests and the router wait for it), `title(ctx)` serves until the page has loaded.
 */
export function lazyPage(name, load, title) {
  let page;
  return {
    name,
    title: (ctx) => page?.title(ctx) ?? title(ctx),
    async render(view, ctx) {
      page = await load();
      return page.render(view, ctx);
    },
  };
}

export function setNotFound(page) {
  notFound = page;
}

/** listener({page, params, url}) after every navigation (the shell highlights its navigation). */
export function onNavigate(listener) {
  listeners.add(listener);
}

export function navigate(url, { replace = false } = {}) {
  history[replace ? 'replaceState' : 'pushState'](null, '', url);
  return render();
}

/** Render the current URL again (after a language switch or a reload button). */
export function refresh() {
  return render();
}

export function start(main) {
  outlet = main;
  addEventListener('popstate', () => render());
  document.addEventListener('click', followLink);
  return render();
}

// Same-origin links navigate without reloading the page (modified clicks still open tabs).
function followLink(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return;
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
  if (link.pathname.startsWith('/api/') || link.pathname.startsWith('/static/')) return;
  event.preventDefault();
  navigate(link.pathname + link.search + link.hash);
}

function match(pathname) {
  for (const { regex, keys, page } of routes) {
    const found = regex.exec(pathname);
    if (found) return { page, params: Object.fromEntries(keys.map((k, i) => [k, decodeURIComponent(found[i + 1])])) };
  }
  return { page: notFound, params: {} };
}

async function render() {
  const url = new URL(location.href);
  const { page, params } = match(url.pathname);
  if (!page.public && !session.active) {
    return navigate(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, { replace: true });
  }
  controller?.abort();
  controller = new AbortController();
  const { signal } = controller;
  const ctx = { params, query: url.searchParams, signal, url };
  outlet.setAttribute('aria-busy', 'true');
  document.body.classList.toggle('public-page', Boolean(page.public));
  const view = h('div', { class: `page page-${page.name}` });
  try {
    await page.render(view, ctx);
  } catch (error) {
    if (signal.aborted) return;
    if (error?.status !== 404) console.error(error); // "not found" (or hidden from you) is an answer, not a bug
    view.replaceChildren(errorPanel(error));
  }
  if (signal.aborted) return;
  outlet.replaceChildren(view);
  outlet.dataset.page = page.name;
  outlet.setAttribute('aria-busy', 'false');
  performance.mark(`page-ready:${page.name}`); // how long pages take, for tests and real-user timing
  document.title = `${page.title?.(ctx) ?? ''} · ${t('app.name')}`;
  if (!firstRender || page.public) view.querySelector('h1')?.focus({ preventScroll: false });
  firstRender = false;
  for (const listener of listeners) listener({ page, params, url });
}

function errorPanel(error) {
  const notFoundError = error?.status === 404;
  return h(
    'section',
    { class: 'panel error-panel', role: 'alert' },
    h('h1', { tabindex: '-1' }, t(notFoundError ? 'error.not_found' : 'error.page_failed')),
    h('p', {}, notFoundError ? t('error.not_found_hint') : error?.message || String(error)),
    h('button', { type: 'button', class: 'button', onClick: () => render() }, t('action.retry')),
  );
}
