// Who may open what: sections and pages for admins only (business processes, administration). The API refuses
// everybody else anyway; the client checks so that they see "not found" rather than a broken screen.

import * as api from './api.js';
import { ApiError } from './api.js';
import { t } from './i18n.js';

/** True for an admin. */
export const isAdmin = () => api.cached('/api/v1/me').then((me) => me.roles.includes('admin'));

/** Resolves for an admin; for anyone else the page is "not found", as a URL typed by hand would be. */
export async function requireAdmin() {
  if (!(await isAdmin())) throw new ApiError(404, { code: 'not_found', detail: t('error.not_found_hint') });
}
