// Partner access: the service accounts partner systems (1C, a website, a telephony exchange) act as, with how many
// of their API keys work. "New service account" adds one in place and opens it, where its keys are created.

import * as api from '../../api.js';
import { form } from '../../components/form.js';
import { dataTable } from '../../components/table.js';
import { toast } from '../../components/toast.js';
import { append, h, replace } from '../../dom.js';
import { formatNumber, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { navigate } from '../../router.js';
import {
  adminTabs,
  directoryChanged,
  keyState,
  pageHead,
  panel,
  partnerHref,
  placeConflict,
  profileFields,
  roleChips,
  statusChip,
  suggestId,
  teamNamer,
  teamNames,
  teamsList,
} from './common.js';

export const partnersPage = {
  name: 'admin-partners',
  title: () => t('admin.partners'),
  async render(view, ctx) {
    const [{ data: accounts }, { data: keys }, teams] = await Promise.all([
      api.get('/api/v1/service-accounts', { signal: ctx.signal }),
      api.get('/api/v1/api-keys', { signal: ctx.signal }),
      teamsList(ctx.signal),
    ]);
    const teamName = teamNamer(teams);
    const working = (account) =>
      keys.filter((key) => key.service_account_id === account.id && keyState(key) === 'active').length;
    const slot = h('div');
    const create = h('button', { type: 'button', class: 'button primary' }, icon('plus'), t('admin.partner_new'));

    const table = dataTable({
      caption: t('admin.partners'),
      emptyText: t('admin.partners_none'),
      rowClass: (account) => (account.active ? '' : 'admin-inactive'),
      columns: [
        {
          key: 'name',
          label: t('admin.partner.name'),
          className: 'primary',
          render: (account) =>
            h(
              'a',
              { href: partnerHref(account.id), class: 'admin-user-link' },
              icon('key'),
              h('span', {}, account.display_name),
            ),
        },
        { key: 'username', label: t('admin.user.username'), render: (account) => h('code', {}, account.username) },
        { key: 'roles', label: t('admin.user.roles'), render: (account) => roleChips(account.roles) },
        { key: 'teams', label: t('admin.user.teams'), render: (account) => teamNames(account.team_ids, teamName) },
        {
          key: 'keys',
          label: t('admin.keys_working'),
          className: 'num',
          render: (account) => formatNumber(working(account)),
        },
        { key: 'status', label: t('admin.user.status'), render: statusChip },
      ],
    });
    table.setRows(accounts);

    create.addEventListener('click', () => {
      const [name, roles, teamIds] = profileFields(teams, { person: false });
      const editor = form({
        className: 'admin-partner-form',
        fields: [
          name,
          {
            name: 'username',
            label: t('admin.user.username'),
            required: true,
            autocomplete: 'off',
            hint: t('admin.partner_username_hint'),
          },
          roles,
          teamIds,
        ],
        values: { roles: [], team_ids: [] },
        submitLabel: t('admin.partner_create'),
        submit: async (data) => {
          const body = {
            username: data.username ?? '',
            display_name: data.display_name ?? '',
            roles: data.roles,
            team_ids: data.team_ids,
          };
          const { data: account } = await api.post('/api/v1/service-accounts', body).catch(placeConflict);
          directoryChanged();
          toast(t('admin.partner_created', { name: account.display_name }), { kind: 'success' });
          await navigate(partnerHref(account.id));
        },
        onCancel: () => {
          replace(slot);
          create.focus();
        },
      });
      suggestId(editor.el, 'display_name', 'username');
      replace(slot, panel('partner-new', t('admin.partner_new'), editor.el));
      editor.focus();
    });

    append(
      view,
      pageHead(t('admin.partners'), create),
      adminTabs('partners'),
      h('p', { class: 'muted' }, t('admin.partners_lead')),
      slot,
      table.el,
    );
  },
};
