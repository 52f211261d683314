// Administration, for admins only: the people who use the CRM (create, roles, teams, password, deactivate), teams,
// and partner access (service accounts and their API keys). Everybody else neither sees the section nor opens its
// pages ("not found"). The screens and their stylesheet are fetched when one of them opens (lazy/, css/admin.css).

import { requireAdmin } from '../access.js';
import { stylesheet } from '../dom.js';
import { t } from '../i18n.js';
import { registerSection } from '../registry.js';
import { lazyPage, route } from '../router.js';

const styles = () => stylesheet('css/admin.css');

// A screen with the shared module and the stylesheet, fetched in parallel (one round trip), for admins only.
const screen = (name, load, pick) =>
  lazyPage(
    name,
    () => Promise.all([load(), import('./lazy/common.js'), styles(), requireAdmin()]).then(([module]) => module[pick]),
    () => t('nav.admin'),
  );

registerSection({ id: 'admin', path: '/admin', order: 90, roles: ['admin'] });
route(
  '/admin',
  screen('admin-users', () => import('./lazy/users.js'), 'usersPage'),
);
route(
  '/admin/users/new',
  screen('admin-user-new', () => import('./lazy/user.js'), 'newUserPage'),
);
route(
  '/admin/users/:id',
  screen('admin-user', () => import('./lazy/user.js'), 'userPage'),
);
route(
  '/admin/teams',
  screen('admin-teams', () => import('./lazy/teams.js'), 'teamsPage'),
);
route(
  '/admin/pipelines',
  screen('admin-pipelines', () => import('./lazy/pipelines.js'), 'pipelinesPage'),
);
route(
  '/admin/partners',
  screen('admin-partners', () => import('./lazy/partners.js'), 'partnersPage'),
);
route(
  '/admin/partners/:id',
  screen('admin-partner', () => import('./lazy/partner.js'), 'partnerPage'),
);
