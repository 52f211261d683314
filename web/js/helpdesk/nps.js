// NPS surveys in the staff client (admins, marketing, support): the section entry and the routes; the screens are
// in lazy/nps.js, fetched when one opens.

import { t } from '../i18n.js';
import { registerSection } from '../registry.js';
import { lazyPage, route } from '../router.js';

const screen = (name, pick) =>
  lazyPage(
    name,
    () => import('./lazy/nps.js').then((module) => module[pick]),
    () => t('nav.nps'),
  );

registerSection({
  id: 'nps',
  path: '/nps',
  icon: 'marketing',
  order: 46,
  service: 'helpdesk',
  roles: ['admin', 'marketing', 'support'],
});
route('/nps', screen('nps-surveys', 'surveysPage'));
route('/nps/:id', screen('nps-survey', 'surveyPage'));
