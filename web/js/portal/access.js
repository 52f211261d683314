// The portal's pages without a session: log in, set a password from an invitation, answer an NPS survey.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from '../messages.js';
import { call, portalSession } from './api.js';
import { field, form, radios, required } from './forms.js';

export function loginPage(view, go) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  view.append(
    h('h1', { tabindex: '-1' }, t('portal.login.title')),
    form(
      [field(t('portal.email'), email), field(t('portal.password'), password)],
      t('portal.login.submit'),
      async () => {
        await portalSession.login(email.value.trim(), password.value);
        go('#/tickets');
      },
    ),
  );
}

export function acceptPage(view, go, token) {
  const password = h('input', { type: 'password', autocomplete: 'new-password', minlength: '8', required: true });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  view.append(
    h('h1', { tabindex: '-1' }, t('portal.accept.title')),
    h('p', { class: 'muted' }, t('portal.accept.hint')),
    form(
      [
        field(required(t('portal.password')), password, t('portal.password.rule')),
        field(t('portal.accept.again'), again),
      ],
      t('portal.accept.submit'),
      async () => {
        if (password.value !== again.value)
          throw { code: 'portal_password_mismatch', message: t('portal.accept.mismatch') };
        const user = await call('POST', '/api/v1/portal/accept-invitation', { token, password: password.value });
        await portalSession.login(user.email, password.value);
        go('#/tickets');
      },
    ),
  );
}

export async function npsPage(view, _go, token) {
  let question;
  try {
    question = await call('GET', `/api/v1/public/nps/${encodeURIComponent(token)}`);
  } catch (error) {
    view.append(h('h1', {}, t('portal.nps.title')), h('p', { role: 'alert' }, errorText(error)));
    return;
  }
  view.append(h('h1', { tabindex: '-1' }, question.survey_name));
  if (question.answered) {
    view.append(h('p', { role: 'status' }, t('portal.nps.answered')));
    return;
  }
  const scale = radios(
    question.question,
    'score',
    Array.from({ length: 11 }, (_, i) => ({ value: i, label: String(i) })),
    'portal-scale',
  );
  const comment = h('textarea', { maxlength: '2000' });
  const thanks = h('p', { role: 'status' });
  const el = form(
    [
      h('p', {}, question.question),
      h('p', { class: 'portal-meta' }, t('portal.nps.scale')),
      scale.el,
      field(t('portal.nps.comment'), comment),
    ],
    t('portal.nps.submit'),
    async () => {
      if (scale.value() === '') throw { code: 'portal_score_required', message: t('portal.nps.pick') };
      await call('POST', `/api/v1/public/nps/${encodeURIComponent(token)}`, {
        score: Number(scale.value()),
        comment: comment.value.trim(),
      });
      el.replaceWith(thanks);
      thanks.textContent = t('portal.nps.thanks');
    },
  );
  view.append(el);
}
