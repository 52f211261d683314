// The customer portal (portal.html, served at /portal): its own small client beside the staff one, on the same
// dictionaries (i18n/<lang>.json, keys portal.*), DOM helpers and error texts. Pages by the URL's hash:
// #/login, #/accept/<token> (an invitation), #/nps/<token> (a survey, no login), #/tickets, #/tickets/new,
// #/tickets/<id>, #/articles (?q=words), #/articles/<id>. Russian first, usable at 375 px.

import { h } from './dom.js';
import { initialLanguage, LANGUAGES, language, setLanguage, t } from './i18n.js';
import { errorText } from './messages.js';
import { acceptPage, loginPage, npsPage } from './portal/access.js';
import { articlePage, articlesPage } from './portal/articles.js';
import { portalSession } from './portal/api.js';
import { newTicketPage, ticketPage, ticketsPage } from './portal/tickets.js';

const root = document.getElementById('portal');

// [pattern, page, needs a session]
const ROUTES = [
  [/^#\/login$/, loginPage, false],
  [/^#\/accept\/([\w-]+)$/, acceptPage, false],
  [/^#\/nps\/([\w-]+)$/, npsPage, false],
  [/^#\/tickets\/new$/, newTicketPage, true],
  [/^#\/tickets\/([\w-]+)$/, ticketPage, true],
  [/^#\/tickets$/, ticketsPage, true],
  [/^#\/articles(?:\?.*)?$/, articlesPage, true],
  [/^#\/articles\/([\w-]+)$/, articlePage, true],
];

function go(hash, { reload = false } = {}) {
  if (location.hash === hash && reload) render();
  else location.hash = hash;
}

function header() {
  const select = h(
    'select',
    { id: 'portal-lang' },
    ...Object.entries(LANGUAGES).map(([code, name]) =>
      h('option', { value: code, selected: code === language() }, name),
    ),
  );
  select.addEventListener('change', async () => {
    await setLanguage(select.value);
    render();
  });
  const logout = async () => {
    await portalSession.logout().catch(() => {});
    go('#/login');
  };
  return h(
    'header',
    { class: 'portal-head' },
    h('p', { class: 'brand' }, t('portal.title')),
    portalSession.active &&
      h(
        'nav',
        { class: 'portal-nav', 'aria-label': t('portal.title') },
        h('a', { class: 'button small', href: '#/tickets' }, t('portal.tickets.title')),
        h('a', { class: 'button small', href: '#/articles' }, t('portal.articles.title')),
        h('button', { type: 'button', class: 'button small', onClick: logout }, t('portal.logout')),
      ),
    h('div', { class: 'lang' }, h('label', { for: select.id, class: 'visually-hidden' }, t('app.language')), select),
  );
}

async function render() {
  const hash = location.hash || '#/tickets';
  const match = ROUTES.map(([pattern, page, guarded]) => [hash.match(pattern), page, guarded]).find(([m]) => m);
  const view = h('main', { class: 'portal-main' });
  root.replaceChildren(h('div', { class: 'portal' }, header(), view));
  if (!match || (match[2] && !portalSession.active)) {
    if (hash !== '#/login') return go('#/login');
  }
  const [found, page] = match ?? [null, loginPage];
  document.title = t('portal.title');
  try {
    await page(view, go, found?.[1]);
  } catch (error) {
    if (error.status === 401) return go('#/login');
    view.append(h('p', { class: 'form-summary error', role: 'alert' }, errorText(error)));
  }
  view.querySelector('h1')?.focus();
}

addEventListener('hashchange', render);
await setLanguage(initialLanguage());
render();
