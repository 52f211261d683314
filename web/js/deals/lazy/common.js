// What the deals screens share: reference data (pipelines, users, teams, loss reasons), the screens' tabs,
// and moving a deal to a stage (a lost stage asks for the reason; a stale version offers a reload).

import * as api from '../../api.js';
import { toast } from '../../components/toast.js';
import { h, uid } from '../../dom.js';
import { codeLabel, t } from '../../i18n.js';

export { stageNames } from '../format.js';

export const pipelines = () => api.cached('/api/v1/pipelines');
export const users = () => api.cached('/api/v1/users');
export const teams = () => api.cached('/api/v1/teams');
// Archived reasons too: lost deals keep them (the loss dialog offers only the active ones).
export const lossReasons = () => api.cached('/api/v1/deals/loss-reasons', { include_archived: true });

/** A loss reason in the UI language. */
export const lossLabel = (reason) => codeLabel(reason);

/** name(list, id): a user's or team's display name, '' when unknown. */
export function nameOf(list, id) {
  const item = list.find((candidate) => candidate.id === id);
  return item?.display_name ?? item?.name ?? '';
}

/** The deals screens' own navigation: list, board, forecast. */
export function dealsTabs(current) {
  const tabs = [
    ['deals', '/deals', t('deals.tab.list')],
    ['board', '/deals/board', t('deals.tab.board')],
    ['forecast', '/deals/forecast', t('deals.tab.forecast')],
  ];
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('nav.deals') },
    tabs.map(([id, href, label]) => h('a', { href, 'aria-current': id === current ? 'page' : null }, label)),
  );
}

/** A labelled select for page controls (pipeline switcher, grouping). */
export function pageSelect(label, options, value, onChange) {
  const select = h(
    'select',
    { id: uid('sel') },
    options.map((o) => h('option', { value: o.value }, o.label)),
  );
  select.value = value;
  select.addEventListener('change', () => onChange(select.value));
  return h('div', { class: 'filter' }, h('label', { for: select.id }, label), select);
}

/** An error that undoes a kanban move without a second message. */
const cancelled = () => Object.assign(new Error('cancelled'), { name: 'AbortError' });

/**
 * Move `deal` ({id, version}) to `stage`: POST …/move with If-Match. A lost stage first asks for the
 * reason (cancelling undoes the move); a 412 says someone changed the deal, with a Reload button.
 * Resolves with the deal as it is now; rejects with the ApiError otherwise (won without an amount...).
 */
export async function moveDeal(deal, stage, { reload }) {
  const body = { stage_id: stage.id };
  if (stage.category === 'lost') {
    const answer = await askLossReason(deal);
    if (!answer) throw cancelled();
    Object.assign(body, answer);
  }
  try {
    const { data } = await api.post(`/api/v1/deals/${deal.id}/move`, body, { etag: `"${deal.version}"` });
    return data;
  } catch (error) {
    if (error.status !== 412) throw error;
    toast(
      [
        h('span', {}, t('deal.conflict')),
        ' ',
        h('button', { type: 'button', class: 'button small', onClick: () => reload() }, t('action.reload')),
      ],
      { kind: 'error' },
    );
    throw cancelled();
  }
}

/** A modal dialog: why was the deal lost? Resolves {loss_reason, comment} or null (cancelled). */
export async function askLossReason(deal) {
  const reasons = (await lossReasons()).filter((r) => !r.archived);
  return new Promise((resolve) => {
    const reason = h(
      'select',
      { id: uid('reason'), required: true },
      h('option', { value: '' }, t('deal.choose_reason')),
      reasons.map((r) => h('option', { value: r.code }, lossLabel(r))),
    );
    const comment = h('textarea', { id: uid('comment'), rows: 3, maxlength: 2000 });
    const error = h('p', { class: 'field-error', role: 'alert', hidden: true }, t('deal.reason_required'));
    let answer = null;
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': 'loss-title' },
      h(
        'form',
        {
          method: 'dialog',
          novalidate: true,
          onSubmit: (event) => {
            if (!reason.value) {
              event.preventDefault();
              error.hidden = false;
              reason.setAttribute('aria-invalid', 'true');
              reason.focus();
              return;
            }
            answer = { loss_reason: reason.value, comment: comment.value.trim() || null };
          },
        },
        h('h2', { id: 'loss-title' }, t('deal.lost_title', { title: deal.title })),
        h('div', { class: 'field' }, h('label', { for: reason.id }, t('deal.loss_reason')), reason, error),
        h('div', { class: 'field' }, h('label', { for: comment.id }, t('deal.loss_comment')), comment),
        h(
          'div',
          { class: 'form-actions' },
          h('button', { type: 'submit', class: 'button primary' }, t('deal.mark_lost')),
          h('button', { type: 'button', class: 'button', onClick: () => dialog.close() }, t('action.cancel')),
        ),
      ),
    );
    const opener = document.activeElement;
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus?.();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    reason.focus();
  });
}
