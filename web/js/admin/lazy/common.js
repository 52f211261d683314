// What the administration screens share: the section's tabs, roles, teams and key scopes with their labels, a
// user's kind and status, and conflicts the API answers without a field, placed next to the field they are about.

import * as api from '../../api.js';
import { tabs } from '../../components/page.js';
import { h } from '../../dom.js';
import { has, t } from '../../i18n.js';
import { serviceTitle, services } from '../../services.js';

export { pageHead, panel } from '../../components/page.js';

/** The roles a user can have, in this order (the API's list: crm_gateway.identity.ROLES). */
export const ROLES = [
  'admin',
  'manager',
  'sales',
  'support',
  'marketing',
  'viewer',
  'catalog_manager',
  'accountant',
  'mail_intake',
];

/**
 * The services a partner's key reaches over gRPC and their ports, from the registry (services.js); a key's scopes
 * are `<service>:read` and `<service>:write`, as the server's (crm_gateway.api_keys.SCOPES).
 */
export const PARTNER_SERVICES = Object.fromEntries(services.map((service) => [service.name, service.grpc_port]));
export const SCOPES = Object.keys(PARTNER_SERVICES).flatMap((service) => [`${service}:read`, `${service}:write`]);

export const userHref = (id) => `/admin/users/${encodeURIComponent(id)}`;
export const partnerHref = (id) => `/admin/partners/${encodeURIComponent(id)}`;

/** The section's own navigation: users, teams, partner access. */
export function adminTabs(current) {
  const items = [
    ['users', '/admin', t('admin.tab.users')],
    ['teams', '/admin/teams', t('admin.tab.teams')],
    ['pipelines', '/admin/pipelines', t('admin.tab.pipelines')],
    ['partners', '/admin/partners', t('admin.tab.partners')],
  ];
  return tabs(items, current, t('nav.admin'));
}

/** "Administrator", "Sales"...; a role the client does not know yet stays as the server wrote it. */
export const roleLabel = (role) => (has(`admin.role.${role}`) ? t(`admin.role.${role}`) : role);
export const roleOptions = () => ROLES.map((value) => ({ value, label: roleLabel(value) }));
export const roleChips = (roles) =>
  roles.length
    ? h(
        'span',
        { class: 'chips' },
        roles.map((role) => h('span', { class: `chip admin-role-${role}` }, roleLabel(role))),
      )
    : h('span', { class: 'muted' }, t('admin.no_roles'));

/** "Clients: read"; a scope of an access the client does not know yet stays as the server wrote it. */
export function scopeLabel(scope) {
  const [service, access] = scope.split(':');
  if (!has(`admin.access.${access}`)) return scope;
  return t('admin.scope_label', { service: serviceTitle(service), access: t(`admin.access.${access}`) });
}
export const scopeOptions = () => SCOPES.map((value) => ({ value, label: scopeLabel(value) }));

/** Every team, by name. */
export const teamsList = (signal) => api.get('/api/v1/teams', { signal }).then((response) => response.data);

/** id -> what to call the team: its name, with its id when another team has the same name. */
export function teamNamer(teams) {
  const byId = new Map(teams.map((team) => [team.id, team]));
  const seen = new Map();
  for (const team of teams) seen.set(team.name, (seen.get(team.name) ?? 0) + 1);
  return (id) => {
    const team = byId.get(id);
    if (!team) return id;
    return seen.get(team.name) > 1 ? `${team.name} (${team.id})` : team.name;
  };
}
export const teamOptions = (teams) => {
  const name = teamNamer(teams);
  return teams.map((team) => ({ value: team.id, label: name(team.id) }));
};
export function teamNames(ids, name) {
  return ids.length ? ids.map(name).join(', ') : h('span', { class: 'muted' }, t('admin.no_teams'));
}

/** The fields a person and a service account share: name, (a person's) e-mail, roles, teams. */
export function profileFields(teams, { person = true } = {}) {
  return [
    {
      name: 'display_name',
      label: t(person ? 'admin.user.name' : 'admin.partner.name'),
      required: true,
      autocomplete: 'off',
    },
    person && { name: 'email', label: t('admin.user.email'), type: 'email', autocomplete: 'off' },
    { name: 'roles', label: t('admin.user.roles'), type: 'checkboxes', options: roleOptions() },
    {
      name: 'team_ids',
      label: t('admin.user.teams'),
      type: 'checkboxes',
      options: teamOptions(teams),
      filter: teams.length > 8 ? t('admin.teams_find') : null,
      hint: teams.length ? null : t('admin.teams_none_hint'),
    },
  ].filter(Boolean);
}

export const kindLabel = (user) => t(user.kind === 'service' ? 'admin.kind.service' : 'admin.kind.person');

/** "Active" or "Deactivated" as a chip. */
export function statusChip(user) {
  return h(
    'span',
    { class: `chip ${user.active ? 'admin-active' : 'danger'}` },
    t(user.active ? 'admin.status.active' : 'admin.status.inactive'),
  );
}

// Conflicts the API answers without a field (409), shown next to the field they are about.
const FIELD_OF_CODE = { username_taken: 'username', team_exists: 'id', own_admin_access: 'roles' };

/** Give a fieldless conflict its field, so the form shows it there; rethrow it. */
export function placeConflict(error) {
  const field = FIELD_OF_CODE[error?.code];
  if (field && !error.errors?.length) error.errors = [{ field, code: error.code, message: error.message }];
  throw error;
}

/** After a change to the directory, other screens ask again (owners, mentions, the header's name). */
export function directoryChanged() {
  api.forget('/api/v1/users');
  api.forget('/api/v1/me');
}

// Russian letters in Latin (the passport transliteration, GOST R 52535.1-2006), for ids made from names.
const LATIN = Object.fromEntries([
  ...'абвгдезийклмнопрстуфыэ'.split('').map((c, i) => [c, 'abvgdeziiklmnoprstufye'[i]]),
  ['ё', 'e'],
  ['ж', 'zh'],
  ['х', 'kh'],
  ['ц', 'ts'],
  ['ч', 'ch'],
  ['ш', 'sh'],
  ['щ', 'shch'],
  ['ъ', 'ie'],
  ['ь', ''],
  ['ю', 'iu'],
  ['я', 'ia'],
]);

/** "Отдел продаж Север" -> "otdel-prodazh-sever": an id (slug) suggested from a name. */
export function slugFrom(name) {
  return [...name.toLowerCase()]
    .map((c) => LATIN[c] ?? c)
    .join('')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/** While the id input has not been typed into, it follows the name input (as a slug). */
export function suggestId(formEl, from = 'name', to = 'id') {
  const source = formEl.querySelector(`[data-field="${from}"] input`);
  const target = formEl.querySelector(`[data-field="${to}"] input`);
  let typed = false;
  target.addEventListener('input', () => (typed = Boolean(target.value)));
  source.addEventListener('input', () => {
    if (!typed) target.value = slugFrom(source.value);
  });
}

/** A key's state: 'revoked', 'expired' or 'active'. */
export function keyState(key, now = Date.now()) {
  if (key.revoked_at) return 'revoked';
  if (key.expires_at && new Date(key.expires_at).getTime() <= now) return 'expired';
  return 'active';
}
