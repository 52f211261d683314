// What the process screens share: the section's tabs, reference data (definitions, people), a panel, a page head
// and a definition's list of steps.

import * as api from '../../api.js';
import { h, uid } from '../../dom.js';
import { t } from '../../i18n.js';
import { stepTypeLabel } from '../format.js';

/** The newest version of every definition (with instance counts: admins get them). */
export async function definitions(signal) {
  return (await api.get('/api/v1/process-definitions', { signal })).data;
}

export const users = () => api.cached('/api/v1/users');

/** A user's display name, '' when unknown. */
export function nameOf(list, id) {
  return list.find((user) => user.id === id)?.display_name ?? '';
}

/** The section's own navigation: definitions, instances, roles. */
export function processTabs(current) {
  const tabs = [
    ['definitions', '/processes', t('processes.tab.definitions')],
    ['instances', '/processes/instances', t('processes.tab.instances')],
    ['roles', '/processes/roles', t('processes.tab.roles')],
  ];
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('nav.processes') },
    tabs.map(([id, href, label]) => h('a', { href, 'aria-current': id === current ? 'page' : null }, label)),
  );
}

/** A page's heading with its toolbar. */
export function pageHead(title, ...toolbar) {
  return h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, title), h('div', { class: 'toolbar' }, toolbar));
}

/** A titled panel (`id` becomes data-section, for tests and styles). */
export function panel(id, title, ...content) {
  const headingId = uid(id);
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': headingId, dataset: { section: id } },
    h('div', { class: 'panel-head' }, h('h2', { id: headingId }, title)),
    h('div', { class: 'panel-body' }, content),
  );
}

/** The steps in the document's order: name (or id), id, type. */
export function stepsList(steps) {
  return h(
    'ol',
    { class: 'process-steps' },
    steps.map((step) =>
      h(
        'li',
        { dataset: { step: step.id, type: step.type } },
        h('span', { class: 'process-step-name' }, step.name || step.id),
        ' ',
        step.name && h('code', {}, step.id),
        ' ',
        h('span', { class: `chip step-type step-${step.type}` }, stepTypeLabel(step.type)),
      ),
    ),
  );
}
