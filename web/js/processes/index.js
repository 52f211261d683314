// Business processes in the client, for admins: a section (definitions, publishing a new version after a check,
// monitoring instances, process roles) and, on the deal card, the deal's running processes with "Start process".
// Everybody else sees neither: the section is listed for admins only and its pages answer "not found" to others.
// The screens and their stylesheet are fetched when one of them opens (lazy/, css/processes.css), and the deal
// card's panel only for an admin, so nobody's first load grows.

import { isAdmin, requireAdmin } from '../access.js';
import { stylesheet } from '../dom.js';
import { t } from '../i18n.js';
import { registerCardPanel, registerSection } from '../registry.js';
import { lazyPage, route } from '../router.js';

const styles = () => stylesheet('css/processes.css');

// A screen with the shared module and the stylesheet, fetched in parallel (one round trip), for admins only.
const screen = (name, load, pick) =>
  lazyPage(
    name,
    () => Promise.all([load(), import('./lazy/common.js'), styles(), requireAdmin()]).then(([module]) => module[pick]),
    () => t('nav.processes'),
  );

registerSection({ id: 'processes', path: '/processes', order: 60, service: 'tasks', roles: ['admin'] });
route(
  '/processes',
  screen('processes', () => import('./lazy/definitions.js'), 'definitionsPage'),
);
route(
  '/processes/publish',
  screen('process-publish', () => import('./lazy/publish.js'), 'publishPage'),
);
route(
  '/processes/definitions/:key',
  screen('process-definition', () => import('./lazy/definitions.js'), 'definitionPage'),
);
route(
  '/processes/instances',
  screen('process-instances', () => import('./lazy/instances.js'), 'instancesPage'),
);
route(
  '/processes/instances/:id',
  screen('process-instance', () => import('./lazy/instance.js'), 'instancePage'),
);
route(
  '/processes/roles',
  screen('process-roles', () => import('./lazy/roles.js'), 'rolesPage'),
);

// The deal's processes, for admins (others get no panel: the monitoring API is theirs only).
registerCardPanel({
  id: 'processes',
  card: 'deal',
  order: 40,
  async render(dealId, context) {
    if (!(await isAdmin())) return null;
    const [{ dealProcessesPanel }] = await Promise.all([import('./lazy/deal-panel.js'), styles()]);
    return dealProcessesPanel(dealId, context);
  },
});
