// The "Customer portal" panel of a person's card, for support staff and admins: whether the person may sign in
// to the portal (invited, active, deactivated), and invite (or invite again: a new link replaces the old one),
// deactivate (their sessions end at once) or reactivate them. Other users and companies get no panel.

import * as api from '../api.js';
import { toast, toastError } from '../components/toast.js';
import { h, replace, uid } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { registerCardPanel } from '../registry.js';
import { hasService } from '../services.js';

async function portalPanel(partyId, { signal, record }) {
  if (!hasService('helpdesk')) return null;
  const [party, me] = await Promise.all([record, api.cached('/api/v1/me')]);
  if (party?.kind !== 'person' || !(me.roles.includes('admin') || me.roles.includes('support'))) return null;
  const titleId = uid('portal');
  const section = h('section', { class: 'panel', 'aria-labelledby': titleId, dataset: { section: 'portal' } });
  const language = h(
    'select',
    { id: uid('lang') },
    h('option', { value: 'ru' }, 'Русский'),
    h('option', { value: 'en' }, 'English'),
  );

  async function act(method, path, body, done) {
    try {
      await api.request(method, path, { body });
      toast(t(done));
      await draw();
    } catch (error) {
      toastError(error);
    }
  }

  async function draw() {
    const { data } = await api.get('/api/v1/portal-users', { query: { party_id: partyId }, signal });
    const user = data.items[0];
    const invite = h(
      'button',
      {
        type: 'button',
        class: 'button small',
        onClick: () =>
          act('POST', '/api/v1/portal-users', { party_id: partyId, language: language.value }, 'portal.staff.invited'),
      },
      t(user ? 'portal.staff.invite_again' : 'portal.staff.invite'),
    );
    const toggle =
      user &&
      h(
        'button',
        {
          type: 'button',
          class: 'button small',
          onClick: () =>
            act(
              'POST',
              `/api/v1/portal-users/${user.id}/${user.active ? 'deactivate' : 'reactivate'}`,
              undefined,
              user.active ? 'portal.staff.deactivated' : 'portal.staff.reactivated',
            ),
        },
        t(user.active ? 'portal.staff.deactivate' : 'portal.staff.reactivate'),
      );
    replace(
      section,
      h('div', { class: 'panel-head' }, h('h2', { id: titleId }, t('portal.staff.title'))),
      user
        ? h(
            'p',
            {},
            `${t(`portal.staff.status.${user.status}`)} · ${user.email}`,
            user.status === 'invited' &&
              user.invitation_expires_at &&
              ` · ${t('portal.staff.expires', { date: formatDate(user.invitation_expires_at) })}`,
          )
        : h('p', { class: 'muted' }, t('portal.staff.none')),
      h(
        'div',
        { class: 'toolbar' },
        (!user || user.active) &&
          h('div', { class: 'field' }, h('label', { for: language.id }, t('portal.staff.language')), language),
        (!user || user.active) && invite,
        toggle,
      ),
    );
  }

  try {
    await draw();
  } catch (error) {
    if (error.status === 403) return null;
    throw error;
  }
  return section;
}

registerCardPanel({ id: 'portal', card: 'party', order: 60, render: portalPanel });
