// Sign in. The refresh token goes to localStorage, the access token stays in memory (api.js).

import { session } from '../api.js';
import { languageSelect } from '../components/language.js';
import { append, h, uid } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from '../messages.js';
import { navigate } from '../router.js';

// Only paths of this client may follow a login (never another site).
function nextPath(query) {
  const next = query.get('next') || '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export const loginPage = {
  name: 'login',
  public: true,
  title: () => t('auth.title'),
  async render(view, { query }) {
    if (session.active) return navigate(nextPath(query), { replace: true });
    const username = h('input', {
      id: uid('user'),
      name: 'username',
      autocomplete: 'username',
      required: true,
      autocapitalize: 'none',
      spellcheck: 'false',
    });
    const password = h('input', {
      id: uid('pass'),
      name: 'password',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
    });
    const error = h('p', { class: 'form-summary error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'button primary wide' }, t('auth.submit'));

    async function onSubmit(event) {
      event.preventDefault();
      error.hidden = true;
      if (!username.value.trim() || !password.value) {
        error.textContent = t('auth.fill_both');
        error.hidden = false;
        return;
      }
      submit.disabled = true;
      try {
        await session.login(username.value.trim(), password.value);
        await navigate(nextPath(query), { replace: true });
      } catch (e) {
        error.textContent = e.status === 401 ? t('auth.wrong') : errorText(e);
        error.hidden = false;
        password.select();
      } finally {
        submit.disabled = false;
      }
    }

    append(
      view,
      h(
        'div',
        { class: 'login' },
        h(
          'form',
          { class: 'panel login-card', novalidate: true, onSubmit },
          h('p', { class: 'brand' }, t('app.name')),
          h('h1', { tabindex: '-1' }, t('auth.title')),
          query.get('expired') && h('p', { class: 'muted' }, t('auth.expired')),
          error,
          h('div', { class: 'field' }, h('label', { for: username.id }, t('auth.username')), username),
          h('div', { class: 'field' }, h('label', { for: password.id }, t('auth.password')), password),
          submit,
          languageSelect(),
        ),
      ),
    );
  },
};
