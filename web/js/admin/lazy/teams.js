// Teams: the groups records are shared in (a user sees their teams' records). A team has a fixed id (a slug the
// API and the records use) and a name; "New team" adds one in place.

import * as api from '../../api.js';
import { form } from '../../components/form.js';
import { dataTable } from '../../components/table.js';
import { toast } from '../../components/toast.js';
import { append, h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { adminTabs, directoryChanged, pageHead, panel, placeConflict, suggestId, teamsList } from './common.js';

export const teamsPage = {
  name: 'admin-teams',
  title: () => t('admin.teams'),
  async render(view, ctx) {
    const teams = await teamsList(ctx.signal);
    const slot = h('div');
    const create = h('button', { type: 'button', class: 'button primary' }, icon('plus'), t('admin.team_new'));
    const table = dataTable({
      caption: t('admin.teams'),
      emptyText: t('admin.teams_none'),
      columns: [
        { key: 'name', label: t('admin.team.name'), className: 'primary' },
        { key: 'id', label: t('admin.team.id'), render: (team) => h('code', {}, team.id) },
      ],
    });
    table.setRows(teams);

    create.addEventListener('click', () => {
      const editor = form({
        className: 'admin-team-form',
        fields: [
          { name: 'name', label: t('admin.team.name'), required: true, autocomplete: 'off' },
          { name: 'id', label: t('admin.team.id'), required: true, autocomplete: 'off', hint: t('admin.team_id_hint') },
        ],
        submitLabel: t('admin.team_create'),
        submit: async (data) => {
          const body = { id: data.id ?? '', name: data.name ?? '' };
          const { data: team } = await api.post('/api/v1/teams', body).catch(placeConflict);
          directoryChanged();
          table.prependRow(team);
          replace(slot);
          toast(t('admin.team_created', { name: team.name }), { kind: 'success' });
          create.focus();
        },
        onCancel: () => {
          replace(slot);
          create.focus();
        },
      });
      suggestId(editor.el);
      replace(slot, panel('team-new', t('admin.team_new'), editor.el));
      editor.focus();
    });

    append(
      view,
      pageHead(t('admin.teams'), create),
      adminTabs('teams'),
      h('p', { class: 'muted' }, t('admin.teams_lead')),
      slot,
      table.el,
    );
  },
};
