// One service account and its API keys: create a key (name, scopes, optional expiry), shown once in a dialog with a
// copy button (the CRM keeps only its hash); every key's prefix, scopes, dates and state; revoke with confirmation
// (the key stops working at once). And how a partner uses a key: gRPC metadata `x-api-key` to a service's port.

import * as api from '../../api.js';
import { confirmDialog, formDialog } from '../../components/dialog.js';
import { dataTable } from '../../components/table.js';
import { toast } from '../../components/toast.js';
import { append, h, uid } from '../../dom.js';
import { formatDate, formatRelative, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { serviceTitle } from '../../services.js';
import {
  adminTabs,
  keyState,
  pageHead,
  panel,
  PARTNER_SERVICES,
  roleChips,
  scopeLabel,
  scopeOptions,
  statusChip,
  teamNamer,
  teamNames,
  teamsList,
  userHref,
} from './common.js';

const keysOf = async (accountId, signal) =>
  (await api.get('/api/v1/api-keys', { signal })).data.filter((key) => key.service_account_id === accountId);

export const partnerPage = {
  name: 'admin-partner',
  title: (ctx) => ctx.title ?? t('admin.partners'),
  async render(view, ctx) {
    const [{ data: account }, keys, teams] = await Promise.all([
      api.get(`/api/v1/users/${encodeURIComponent(ctx.params.id)}`, { signal: ctx.signal }),
      keysOf(ctx.params.id, ctx.signal),
      teamsList(ctx.signal),
    ]);
    if (account.kind !== 'service')
      throw new api.ApiError(404, { code: 'service_account_not_found', detail: t('error.not_found_hint') });
    ctx.title = account.display_name;

    const create = h('button', { type: 'button', class: 'button primary' }, icon('plus'), t('admin.key_new'));
    const table = dataTable({
      caption: t('admin.keys'),
      emptyText: t('admin.keys_none'),
      rowClass: (key) => (keyState(key) === 'active' ? '' : 'admin-inactive'),
      columns: [
        { key: 'name', label: t('admin.key.name'), className: 'primary' },
        {
          key: 'prefix',
          label: t('admin.key.prefix'),
          className: 'nowrap',
          render: (key) => h('code', { class: 'admin-key-prefix' }, `${key.prefix}…`),
        },
        {
          key: 'scopes',
          label: t('admin.key.scopes'),
          render: (key) =>
            h(
              'span',
              { class: 'chips' },
              key.scopes.map((scope) => h('span', { class: 'chip' }, scopeLabel(scope))),
            ),
        },
        { key: 'created', label: t('admin.key.created'), render: (key) => formatDate(key.created_at) },
        {
          key: 'expires',
          label: t('admin.key.expires'),
          render: (key) => (key.expires_at ? formatDate(key.expires_at) : t('admin.key.never_expires')),
        },
        {
          key: 'used',
          label: t('admin.key.last_used'),
          render: (key) => (key.last_used_at ? formatRelative(key.last_used_at) : t('admin.key.never_used')),
        },
        { key: 'state', label: t('admin.key.state'), render: stateChip },
        {
          key: 'revoke',
          label: t('admin.key.actions'),
          render: (key) => keyState(key) !== 'revoked' && revokeButton(key),
        },
      ],
    });
    table.setRows(keys);

    async function reload() {
      table.setRows(await keysOf(account.id, ctx.signal));
    }

    function revokeButton(key) {
      const button = h(
        'button',
        {
          type: 'button',
          class: 'button small admin-danger',
          'aria-label': t('admin.key_revoke_named', { name: key.name }),
        },
        h('span', { 'aria-hidden': 'true' }, t('admin.key_revoke')),
      );
      button.addEventListener('click', async () => {
        const revoked = await confirmDialog({
          title: t('admin.key_revoke_title', { name: key.name }),
          text: [t('admin.key_revoke_text', { prefix: key.prefix, account: account.display_name })],
          confirmLabel: t('admin.key_revoke'),
          danger: true,
          action: () => api.del(`/api/v1/api-keys/${encodeURIComponent(key.id)}`),
        });
        if (!revoked) return;
        await reload();
        toast(t('admin.key_revoked', { name: key.name }), { kind: 'success' });
        create.focus();
      });
      return button;
    }

    create.addEventListener('click', async () => {
      const created = await formDialog({
        title: t('admin.key_new_for', { name: account.display_name }),
        className: 'admin-key-dialog',
        submitLabel: t('admin.key_create'),
        fields: [
          {
            name: 'name',
            label: t('admin.key.name'),
            required: true,
            autocomplete: 'off',
            hint: t('admin.key_name_hint'),
          },
          { name: 'scopes', label: t('admin.key.scopes'), type: 'checkboxes', options: scopeOptions() },
          { name: 'expires_at', label: t('admin.key.expires_on'), type: 'date', hint: t('admin.key_expires_hint') },
        ],
        values: { scopes: [] },
        submit: async (data) => {
          const body = { name: data.name ?? '', scopes: data.scopes };
          if (data.expires_at) body.expires_at = endOfDay(data.expires_at);
          return (await api.post(`/api/v1/service-accounts/${encodeURIComponent(account.id)}/api-keys`, body)).data;
        },
      });
      if (!created) return;
      await reload();
      await showKeyOnce(created);
      create.focus();
    });

    const teamName = teamNamer(teams);
    append(
      view,
      pageHead(
        account.display_name,
        create,
        h('a', { class: 'button', href: userHref(account.id) }, icon('edit'), t('admin.partner_edit')),
      ),
      h(
        'p',
        { class: 'card-sub admin-user-summary' },
        h('code', {}, account.username),
        ' · ',
        t('admin.kind.service'),
        ' · ',
        statusChip(account),
      ),
      adminTabs('partners'),
      !account.active && h('p', { class: 'form-summary conflict' }, t('admin.partner_inactive')),
      panel('keys', t('admin.keys'), table.el),
      panel(
        'account',
        t('admin.partner_account'),
        h(
          'dl',
          { class: 'details' },
          h('dt', {}, t('admin.user.roles')),
          h('dd', {}, roleChips(account.roles)),
          h('dt', {}, t('admin.user.teams')),
          h('dd', {}, teamNames(account.team_ids, teamName)),
        ),
      ),
      panel('help', t('admin.help.title'), partnerHelp()),
    );
  },
};

/** The end of the chosen day in the admin's time zone: a key "until 31 December" works all that day. */
function endOfDay(date) {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(year, month - 1, day, 23, 59, 59).toISOString();
}

function stateChip(key) {
  const state = keyState(key);
  if (state === 'revoked')
    return h(
      'span',
      { class: 'admin-key-state' },
      h('span', { class: 'chip danger' }, t('admin.key.revoked')),
      h('span', { class: 'muted' }, formatDate(key.revoked_at)),
    );
  if (state === 'expired') return h('span', { class: 'chip warn' }, t('admin.key.expired'));
  return h('span', { class: 'chip admin-active' }, t('admin.key.active'));
}

/**
 * The new key, once: the CRM stores only its hash, so the dialog says so, offers a copy button and keeps nothing
 * when it closes. Resolves when it is closed.
 */
function showKeyOnce(created) {
  return new Promise((resolve) => {
    const titleId = uid('key');
    const keyId = uid('key-text');
    const text = h('textarea', {
      id: keyId,
      class: 'admin-key-text',
      readonly: true,
      rows: 2,
      spellcheck: 'false',
      autocomplete: 'off',
      value: created.key,
    });
    const copied = h('p', { class: 'admin-copied', role: 'status' });
    const copy = h('button', { type: 'button', class: 'button' }, icon('copy'), t('admin.key_copy'));
    const done = h('button', { type: 'button', class: 'button primary', autofocus: true }, t('admin.key_done'));
    const dialog = h(
      'dialog',
      { class: 'dialog admin-key-once', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, t('admin.key_created', { name: created.name })),
      h('p', { class: 'admin-warning' }, icon('key'), h('span', {}, t('admin.key_once_warning'))),
      h('div', { class: 'field' }, h('label', { for: keyId }, t('admin.key.key')), text),
      copied,
      h('div', { class: 'form-actions' }, copy, done),
    );
    text.addEventListener('focus', () => text.select());
    copy.addEventListener('click', async () => {
      copied.textContent = (await copyText(created.key, text)) ? t('admin.key_copied') : t('admin.key_copy_by_hand');
    });
    done.addEventListener('click', () => dialog.close());
    const opener = document.activeElement;
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus?.();
      resolve();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Copy to the clipboard; where the page may not (plain http), select the text for Ctrl+C and say so. */
async function copyText(value, input) {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    input.focus();
    input.select();
    return false;
  }
}

/** How a partner's program uses its key, with the services' gRPC ports (the registry's). */
function partnerHelp() {
  const example = `grpcurl -H 'x-api-key: crm_…' <host>:${PARTNER_SERVICES.contacts} crm.contacts.v1.ContactsService/ListParties`;
  return [
    h('p', {}, t('admin.help.how')),
    h(
      'ul',
      { class: 'admin-ports' },
      Object.entries(PARTNER_SERVICES).map(([service, port]) =>
        h(
          'li',
          {},
          h('strong', {}, serviceTitle(service)),
          ' — ',
          t('admin.help.port', { port }),
          ' ',
          h('code', {}, `crm.${service}.v1`),
        ),
      ),
    ),
    h('p', {}, t('admin.help.address')),
    h('p', {}, t('admin.help.example')),
    h('pre', { class: 'admin-example', tabindex: '0', 'aria-label': t('admin.help.example') }, h('code', {}, example)),
    h('p', {}, t('admin.help.secret')),
  ];
}
