// Who changed what on a record, newest first: the same panel on the client, deal and task cards.
// The entries come from GET /api/v1/<collection>/{id}/audit (crm.common.v1.AuditService behind it).

import { h } from '../dom.js';
import { actorLabel, formatDate, formatRelative, has, t } from '../i18n.js';
import { panel } from './page.js';

/**
 * The audit panel of a record of `kind` ('party', 'deal', 'task').
 * Actions read as `audit.<kind>.<action>` (or `audit.<action>`), changed fields as `<fieldPrefix>.<name>`;
 * `who(actorId)` names the person; `hidden` fields (shown elsewhere on the card) are not listed.
 */
export function auditPanel({
  kind,
  entries,
  who,
  title = t('audit.title'),
  hidden = [],
  fieldPrefix = `${kind}field`,
}) {
  return panel(
    'audit',
    title,
    entries.length
      ? h(
          'ol',
          { class: 'audit' },
          entries.map((e) =>
            h(
              'li',
              {},
              h(
                'p',
                {},
                actionLabel(kind, e.action),
                e.action === 'updated' && changedFields(fieldPrefix, e.changes, hidden),
              ),
              h(
                'p',
                { class: 'timeline-meta' },
                actorLabel(e.actor_id, who(e.actor_id)),
                ' · ',
                h('time', { datetime: e.at, title: formatDate(e.at) }, formatRelative(e.at)),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('audit.empty')),
  );
}

function actionLabel(kind, action) {
  if (has(`audit.${kind}.${action}`)) return t(`audit.${kind}.${action}`);
  return has(`audit.${action}`) ? t(`audit.${action}`) : action;
}

function changedFields(prefix, changes, hidden) {
  const keys = Object.keys(changes ?? {}).filter((key) => !hidden.includes(key));
  if (!keys.length) return '';
  const label = (key) => (has(`${prefix}.${key}`) ? t(`${prefix}.${key}`) : key);
  return `: ${keys.map(label).join(', ')}`;
}
