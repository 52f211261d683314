// What clients said and may do, on their card's timeline: NPS answers (nps.answered: score, group, comment) and
// their customer portal access (portal_user.*), drawn from the events' payloads (`data`) in the reader's language.
// Ticket ratings (csat.rated) are drawn with the tickets (helpdesk/index.js).

import { t } from '../i18n.js';
import { registerTimelineRenderer } from '../registry.js';

const title = (type) => t(`timeline.type.${type}`);
const join = (...parts) => parts.filter(Boolean).join(' · ');

registerTimelineRenderer('nps.answered', (e) => ({
  icon: 'marketing',
  title: title(e.type),
  text: join(
    e.data.survey_name,
    t('nps.score', { score: Number(e.data.score ?? 0) }),
    e.data.group && t(`nps.group.${e.data.group}`),
    e.data.comment,
  ),
}));

for (const verb of ['invited', 'activated', 'deactivated', 'reactivated']) {
  registerTimelineRenderer(`portal_user.${verb}`, (e) => ({
    icon: 'helpdesk',
    title: title(e.type),
    text: e.data.email,
  }));
}
