// The frame around every page: header (menu, search, domains' items such as reminders, language, user),
// navigation, <main>.
// On a phone the navigation is a drawer behind the menu button.

import * as api from './api.js';
import { languageSelect } from './components/language.js';
import { offlineBar } from './components/offline-bar.js';
import { searchBox } from './components/searchbox.js';
import { toastError } from './components/toast.js';
import { h, replace } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { icon } from './icons.js';
import { headerItems, sections } from './registry.js';
import { navigate, onNavigate, refresh } from './router.js';
import { hasService } from './services.js';

/** Build the shell into `root`; returns the <main> pages render into. */
export function mountShell(root) {
  const main = h('main', { id: 'main', tabindex: '-1', 'aria-busy': 'true' });
  const nav = h('nav', { id: 'nav', class: 'nav' });
  const menu = h(
    'button',
    { type: 'button', class: 'icon-button menu-button', 'aria-controls': 'nav', 'aria-expanded': 'false' },
    icon('menu'),
  );
  const search = searchBox();
  const language = h('div', { class: 'lang-slot' });
  const user = h('span', { class: 'user-name' });
  const logout = h('button', { type: 'button', class: 'icon-button' }, icon('logout'));
  const skip = h('a', { class: 'skip-link', href: '#main' });
  const brand = h('a', { class: 'brand', href: '/' });
  const items = headerItems.map((item) => item.mount());
  let roles = new Set(); // the user's, once /me has answered: sections for some roles only show then
  const header = h(
    'header',
    { class: 'app-header' },
    menu,
    brand,
    search.el,
    h(
      'div',
      { class: 'header-end' },
      items.map((item) => item.el),
      language,
      user,
      logout,
    ),
  );
  const offline = offlineBar({ onSent: refresh });
  root.replaceChildren(skip, header, offline.el, h('div', { class: 'layout' }, nav, main));
  offline.send(); // changes left from an earlier visit without a network
  let path = location.pathname;

  const setMenu = (open) => {
    document.body.classList.toggle('nav-open', open);
    menu.setAttribute('aria-expanded', String(open));
  };
  menu.addEventListener('click', () => {
    setMenu(!document.body.classList.contains('nav-open'));
    if (document.body.classList.contains('nav-open')) nav.querySelector('a')?.focus();
  });
  main.addEventListener('click', () => setMenu(false)); // a tap beside the open drawer closes it
  nav.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && document.body.classList.contains('nav-open')) {
      setMenu(false);
      menu.focus();
    }
  });
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
  logout.addEventListener('click', async () => {
    await api.session.logout();
    navigate('/login', { replace: true });
  });
  api.session.onEnd((reason) => {
    if (reason === 'expired')
      navigate(`/login?expired=1&next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
  });

  const visible = (section) =>
    (!section.service || hasService(section.service)) &&
    (!section.roles || section.roles.some((role) => roles.has(role)));

  function renderNav() {
    replace(
      nav,
      h(
        'ul',
        {},
        sections.filter(visible).map((section) => {
          const current =
            section.path === '/' ? path === '/' : path === section.path || path.startsWith(`${section.path}/`);
          return h(
            'li',
            {},
            h(
              'a',
              {
                href: section.path,
                class: section.landed ? '' : 'not-landed',
                'aria-current': current ? 'page' : null,
              },
              icon(section.icon ?? section.id),
              h('span', {}, t(`nav.${section.id}`)),
              !section.landed && h('span', { class: 'badge' }, t('nav.soon')),
            ),
          );
        }),
      ),
    );
  }

  function relabel() {
    nav.setAttribute('aria-label', t('nav.label'));
    menu.setAttribute('aria-label', t('nav.menu'));
    logout.setAttribute('aria-label', t('auth.logout'));
    logout.title = t('auth.logout');
    skip.textContent = t('app.skip');
    brand.textContent = t('app.name');
    search.relabel();
    for (const item of items) item.relabel?.();
    replace(language, languageSelect({ compact: true }));
    renderNav();
  }

  onNavigate(async ({ page, url }) => {
    path = url.pathname;
    setMenu(false);
    renderNav();
    if (!page.public && !user.textContent) {
      const me = await api.cached('/api/v1/me').catch(toastError);
      user.textContent = me?.display_name ?? '';
      roles = new Set(me?.roles);
      renderNav();
    }
  });
  api.session.onEnd(() => {
    user.textContent = '';
    roles = new Set();
  });
  onLanguageChange(() => {
    relabel();
    refresh();
  });
  relabel();
  return main;
}
