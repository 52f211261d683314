// Process roles: the groups of people a step gives its task to (the least busy member gets it). The list shows each
// role's members and the definitions that use it, including roles a definition names that nobody has set up yet;
// a role is created or edited in place (PUT replaces its label and members).

import * as api from '../../api.js';
import { form } from '../../components/form.js';
import { dataTable } from '../../components/table.js';
import { toast } from '../../components/toast.js';
import { append, h, replace } from '../../dom.js';
import { localName, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { definitionHref } from '../format.js';
import { definitions, nameOf, pageHead, processTabs, users } from './common.js';

export const rolesPage = {
  name: 'process-roles',
  title: () => t('processes.roles'),
  async render(view, ctx) {
    const [rolesData, list, people] = await Promise.all([
      api.get('/api/v1/process-roles', { signal: ctx.signal }),
      definitions(ctx.signal),
      users(),
    ]);
    let roles = rolesData.data;
    const slot = h('div', { class: 'process-role-slot' });
    const create = h('button', { type: 'button', class: 'button primary' }, icon('plus'), t('process.role_new'));
    create.addEventListener('click', () => edit(null, create));

    // Every role set up, and those a definition names without one (their tasks would find nobody).
    const rows = () => {
      const codes = new Set([...roles.map((r) => r.code), ...list.flatMap((d) => d.roles)]);
      return [...codes]
        .map((code) => roles.find((r) => r.code === code) ?? { code, label: '', member_ids: [], missing: true })
        .sort((a, b) => (a.label || a.code).localeCompare(b.label || b.code));
    };

    const table = dataTable({
      caption: t('processes.roles'),
      emptyText: t('process.no_roles'),
      rowClass: (role) => (role.missing || !role.member_ids.length ? 'process-role-empty' : ''),
      columns: [
        {
          key: 'label',
          label: t('process.role_label'),
          className: 'primary',
          render: (role) =>
            role.missing ? h('span', { class: 'chip danger' }, t('process.role_missing')) : role.label,
        },
        { key: 'code', label: t('process.role_code'), render: (role) => h('code', {}, role.code) },
        {
          key: 'members',
          label: t('process.role_members'),
          render: (role) =>
            role.member_ids.length
              ? role.member_ids.map((id) => nameOf(people, id) || id).join(', ')
              : h('span', { class: 'muted' }, t('process.role_no_members')),
        },
        {
          key: 'used',
          label: t('process.role_used_by'),
          render: (role) =>
            list
              .filter((d) => d.roles.includes(role.code))
              .map((d) => h('a', { href: definitionHref(d.key), class: 'process-role-use' }, localName(d))),
        },
        {
          key: 'edit',
          label: t('action.edit'),
          render: (role) => {
            const button = h(
              'button',
              {
                type: 'button',
                class: 'button small',
                'aria-label': `${t('action.edit')}: ${role.label || role.code}`,
              },
              icon('edit'),
              h('span', { 'aria-hidden': 'true' }, t(role.missing ? 'process.role_set_up' : 'action.edit')),
            );
            button.addEventListener('click', () => edit(role, button));
            return button;
          },
        },
      ],
    });
    table.setRows(rows());

    function edit(role, opener) {
      const fresh = !role || role.missing;
      const members = memberOptions(people, role?.member_ids ?? []);
      const editor = form({
        className: 'process-role-form',
        submitLabel: t('action.save'),
        fields: [
          role
            ? null
            : {
                name: 'code',
                label: t('process.role_code'),
                required: true,
                hint: t('process.role_code_hint'),
              },
          { name: 'label', label: t('process.role_label'), required: true },
          {
            name: 'member_ids',
            label: t('process.role_members'),
            type: 'checkboxes',
            options: members,
            filter: t('process.find_people'),
          },
        ].filter(Boolean),
        values: { label: role?.label ?? '', member_ids: role?.member_ids ?? [] },
        submit: async (data) => {
          const code = role?.code ?? data.code ?? '';
          const body = { label: data.label ?? '', member_ids: data.member_ids };
          // An empty code would name the collection, not a role: the server's answer for it is the code's.
          const { data: saved } = await api.put(`/api/v1/process-roles/${encodeURIComponent(code || '-')}`, body);
          roles = [...roles.filter((r) => r.code !== saved.code), saved];
          table.setRows(rows());
          replace(slot);
          toast(t('process.role_saved', { label: saved.label }), { kind: 'success' });
          create.focus();
        },
        onCancel: () => {
          replace(slot);
          opener.focus();
        },
      });
      replace(
        slot,
        h(
          'section',
          { class: 'panel', 'aria-label': fresh ? t('process.role_new') : `${t('action.edit')}: ${role.label}` },
          h('h2', {}, fresh ? t('process.role_new') : role.label, role && h('code', {}, ` ${role.code}`)),
          editor.el,
        ),
      );
      editor.focus();
    }

    append(
      view,
      pageHead(t('processes.roles'), create),
      processTabs('roles'),
      h('p', { class: 'muted' }, t('processes.roles_lead')),
      slot,
      table.el,
    );
  },
};

/** Active people, members first (an inactive member stays listed, so saving does not drop them silently). */
function memberOptions(people, memberIds) {
  const members = new Set(memberIds);
  return people
    .filter((u) => u.active || members.has(u.id))
    .sort((a, b) => members.has(b.id) - members.has(a.id) || a.display_name.localeCompare(b.display_name))
    .map((u) => ({ value: u.id, label: u.display_name }));
}
