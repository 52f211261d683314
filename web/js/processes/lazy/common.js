// What the process screens share: the section's tabs, reference data (definitions, people), the page frame
// (components/page.js) and a definition's list of steps.

import * as api from '../../api.js';
import { pageHead, panel, tabs } from '../../components/page.js';
import { h } from '../../dom.js';
import { localName, t } from '../../i18n.js';
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
  const items = [
    ['definitions', '/processes', t('processes.tab.definitions')],
    ['instances', '/processes/instances', t('processes.tab.instances')],
    ['roles', '/processes/roles', t('processes.tab.roles')],
  ];
  return tabs(items, current, t('nav.processes'));
}

export { pageHead, panel };

/** The steps in the document's order: name (or id), id, type. */
export function stepsList(steps) {
  return h(
    'ol',
    { class: 'process-steps' },
    steps.map((step) =>
      h(
        'li',
        { dataset: { step: step.id, type: step.type } },
        h('span', { class: 'process-step-name' }, localName(step) || step.id),
        ' ',
        step.name && h('code', {}, step.id),
        ' ',
        h('span', { class: `chip step-type step-${step.type}` }, stepTypeLabel(step.type)),
      ),
    ),
  );
}
