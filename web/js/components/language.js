// The language switch: a labelled <select>; switching reloads the dictionary and re-renders.

import { h, uid } from '../dom.js';
import { LANGUAGES, language, setLanguage, t } from '../i18n.js';
import { toastError } from './toast.js';

/** compact: the options read "RU"/"EN" (the header of a phone has little room). */
export function languageSelect({ compact = false } = {}) {
  const options = Object.entries(LANGUAGES).map(([code, name]) =>
    h('option', { value: code, lang: code, title: name }, compact ? code.toUpperCase() : name),
  );
  const select = h('select', { id: uid('lang'), class: 'lang-select' }, options);
  select.value = language();
  select.addEventListener('change', () => setLanguage(select.value).catch(toastError));
  return h(
    'div',
    { class: 'lang' },
    h('label', { for: select.id, class: 'visually-hidden' }, t('app.language')),
    select,
  );
}
