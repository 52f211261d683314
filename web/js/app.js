// Boot: load the dictionary and restore the session in parallel, build the shell, start routing.
// Each domain registers its sections, routes, search, timeline looks and dashboard cards in its
// own folder (js/<domain>/index.js); adding a domain is one import line here.

import { session } from './api.js';
import { initialLanguage, setLanguage } from './i18n.js';
import { registerSection } from './registry.js';
import { route, setNotFound, start } from './router.js';
import { mountShell } from './shell.js';
import { componentsPage } from './pages/components.js';
import { dashboardPage } from './pages/dashboard.js';
import { loginPage } from './pages/login.js';
import { notFoundPage, notLandedPage } from './pages/placeholder.js';
import './contacts/index.js';
import './deals/index.js';
import './tasks/index.js';
import './marketing/index.js';
import './processes/index.js';
import './documents/index.js';
import './helpdesk/index.js';
import './helpdesk/knowledge.js';
import './helpdesk/feedback.js';
import './helpdesk/portal-access.js';
import './helpdesk/nps.js';
import './admin/index.js';

registerSection({ id: 'dashboard', path: '/', order: 0 });
route('/', dashboardPage);
route('/login', loginPage);
route('/components', componentsPage);
setNotFound(notFoundPage);

// Services the client has no screens for yet: listed (as "soon") once the registry has them, and their pages say
// so; a domain's index.js replaces its entry.
const PLANNED = [];
PLANNED.forEach((id, i) => {
  registerSection({ id, path: `/${id}`, order: 41 + i, service: id, landed: false });
  route(`/${id}`, notLandedPage(id));
});

await Promise.all([setLanguage(initialLanguage()), session.restore()]);
start(mountShell(document.getElementById('app')));

// Installable and usable without a network (sw.js keeps this version's files); registered once the page has loaded,
// so that it never competes with the first visit's own requests.
const registerWorker = () => navigator.serviceWorker?.register('/sw.js').catch(() => {});
if (document.readyState === 'complete') registerWorker();
else addEventListener('load', registerWorker, { once: true });
