// One user: name, e-mail, roles and teams; a new password; deactivate or reactivate (their sessions end at once).
// And the form for a new user. The server validates; its errors show next to the fields, translated.

import * as api from '../../api.js';
import { confirmDialog } from '../../components/dialog.js';
import { form } from '../../components/form.js';
import { toast } from '../../components/toast.js';
import { append, h, replace } from '../../dom.js';
import { formatDate, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { navigate } from '../../router.js';
import {
  adminTabs,
  directoryChanged,
  kindLabel,
  pageHead,
  panel,
  partnerHref,
  placeConflict,
  profileFields,
  statusChip,
  teamsList,
  userHref,
} from './common.js';

export const newUserPage = {
  name: 'admin-user-new',
  title: () => t('admin.user_new'),
  async render(view, ctx) {
    const teams = await teamsList(ctx.signal);
    const [name, email, roles, teamIds] = profileFields(teams);
    const editor = form({
      className: 'panel admin-user-form',
      fields: [
        {
          name: 'username',
          label: t('admin.user.username'),
          required: true,
          autocomplete: 'off',
          hint: t('admin.username_hint'),
        },
        name,
        email,
        {
          name: 'password',
          label: t('admin.password'),
          type: 'password',
          required: true,
          autocomplete: 'new-password',
          hint: t('admin.password_hint'),
        },
        roles,
        teamIds,
      ],
      values: { roles: ['sales'], team_ids: [] },
      submitLabel: t('admin.user_create'),
      onCancel: () => history.back(),
      submit: async (data) => {
        const body = {
          username: data.username ?? '',
          display_name: data.display_name ?? '',
          password: data.password ?? '',
          roles: data.roles,
          team_ids: data.team_ids,
        };
        if (data.email) body.email = data.email;
        const { data: user } = await api.post('/api/v1/users', body).catch(placeConflict);
        directoryChanged();
        toast(t('admin.user_created', { name: user.display_name }), { kind: 'success' });
        await navigate(userHref(user.id));
      },
    });
    append(view, pageHead(t('admin.user_new')), adminTabs('users'), editor.el);
  },
};

export const userPage = {
  name: 'admin-user',
  title: (ctx) => ctx.title ?? t('admin.users'),
  async render(view, ctx) {
    const [{ data: loaded }, teams, me] = await Promise.all([
      api.get(`/api/v1/users/${encodeURIComponent(ctx.params.id)}`, { signal: ctx.signal }),
      teamsList(ctx.signal),
      api.cached('/api/v1/me'),
    ]);
    let user = loaded;
    const own = user.id === me.id;
    const person = user.kind !== 'service';
    ctx.title = user.display_name;

    const heading = pageHead(
      user.display_name,
      !person && h('a', { class: 'button', href: partnerHref(user.id) }, icon('key'), t('admin.partner_keys')),
    );
    const summary = h('p', { class: 'card-sub admin-user-summary' });
    const statusSlot = h('div', { class: 'admin-status' });

    function showSummary() {
      heading.querySelector('h1').textContent = user.display_name;
      replace(
        summary,
        h('code', {}, user.username),
        ' · ',
        kindLabel(user),
        ' · ',
        statusChip(user),
        own && h('span', { class: 'chip strong' }, t('admin.you')),
        ' · ',
        t('admin.created', { date: formatDate(user.created_at, { dateOnly: true }) }),
      );
    }

    async function save(patch) {
      const { data } = await api.patch(`/api/v1/users/${encodeURIComponent(user.id)}`, patch);
      user = data;
      directoryChanged();
      showSummary();
      showStatus();
      return data;
    }

    const profile = form({
      className: 'admin-profile-form',
      fields: profileFields(teams, { person }),
      values: user,
      submit: async (data) => {
        const patch = { display_name: data.display_name ?? '', roles: data.roles, team_ids: data.team_ids };
        if (person) patch.email = data.email;
        await save(patch).catch(placeConflict);
        toast(t('admin.user_saved', { name: user.display_name }), { kind: 'success' });
      },
    });

    const password = person
      ? form({
          className: 'admin-password-form',
          fields: [
            {
              name: 'password',
              label: t('admin.password_new'),
              type: 'password',
              autocomplete: 'new-password',
              hint: t(own ? 'admin.password_own_hint' : 'admin.password_other_hint'),
            },
          ],
          submitLabel: t('admin.password_set'),
          submit: async (data) => {
            await save({ password: data.password ?? '' });
            password.el.reset();
            toast(t(own ? 'admin.password_changed_own' : 'admin.password_changed', { name: user.display_name }), {
              kind: 'success',
            });
          },
        })
      : null;

    function showStatus() {
      const deactivate = user.active;
      const button = h(
        'button',
        { type: 'button', class: deactivate ? 'button admin-danger' : 'button primary' },
        t(deactivate ? 'admin.deactivate' : 'admin.reactivate'),
      );
      button.addEventListener('click', async () => {
        const text = deactivate
          ? [t(person ? 'admin.deactivate_text' : 'admin.deactivate_service_text', { name: user.display_name })]
          : [t(person ? 'admin.reactivate_text' : 'admin.reactivate_service_text', { name: user.display_name })];
        const done = await confirmDialog({
          title: t(deactivate ? 'admin.deactivate_title' : 'admin.reactivate_title', { name: user.display_name }),
          text,
          confirmLabel: t(deactivate ? 'admin.deactivate' : 'admin.reactivate'),
          danger: deactivate,
          action: () => save({ active: !deactivate }),
        });
        if (!done) return;
        toast(t(deactivate ? 'admin.deactivated' : 'admin.reactivated', { name: user.display_name }), {
          kind: 'success',
        });
        statusSlot.querySelector('button')?.focus();
      });
      replace(
        statusSlot,
        h(
          'p',
          {},
          t(
            user.active
              ? person
                ? 'admin.status_active_text'
                : 'admin.status_active_service_text'
              : person
                ? 'admin.status_inactive_text'
                : 'admin.status_inactive_service_text',
          ),
        ),
        button,
      );
    }

    showSummary();
    showStatus();
    append(
      view,
      heading,
      summary,
      adminTabs(person ? 'users' : 'partners'),
      h(
        'div',
        { class: 'card-grid' },
        h('div', { class: 'card-main' }, panel('profile', t('admin.profile'), profile.el)),
        h(
          'div',
          { class: 'card-side' },
          panel('access', t('admin.access'), statusSlot),
          password && panel('password', t('admin.password'), password.el),
        ),
      ),
    );
  },
};
