// Error texts for people: a stable `code` with a translation (key "apierror.<code>", in both dictionaries for
// every code the platform answers with) wins; the server's English words are only the fallback.
// A limit the server names last in its words ("at least 8 characters") fills "apierror.<code>.limit" when the
// dictionary has that form, so the translation keeps the number.

import { has, t } from './i18n.js';

/** Text for an ApiError or one of its field errors ({code, message}). */
export function errorText(error) {
  if (error?.code === 'queued_offline') return t('offline.queued');
  if (error?.status === 0) return t('error.network');
  const code = error?.code;
  if (code && has(`apierror.${code}`)) {
    const limit = (error.message ?? '').match(/\d+/g)?.at(-1); // the last number: a path may hold one too
    if (limit && has(`apierror.${code}.limit`)) return t(`apierror.${code}.limit`, { count: Number(limit) });
    return t(`apierror.${code}`);
  }
  return error?.message || String(error);
}
