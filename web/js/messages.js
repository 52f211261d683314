// Error texts for people: the server's messages are English, so a stable `code` with a translation
// (key "apierror.<code>") wins when the UI speaks another language; otherwise the server's words.

import { has, t } from './i18n.js';

/** Text for an ApiError or one of its field errors ({code, message}). */
export function errorText(error) {
  if (error?.code === 'queued_offline') return t('offline.queued');
  if (error?.status === 0) return t('error.network');
  if (error?.code && has(`apierror.${error.code}`)) return t(`apierror.${error.code}`);
  return error?.message || String(error);
}
