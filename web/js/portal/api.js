// The portal's one way to the gateway: /api/v1/portal/* with the portal token (kept for the tab in sessionStorage;
// it works on no staff route), and the public NPS routes without one. Errors come as PortalError, which
// messages.js's errorText() translates by `code` like the staff client's ApiError.

const TOKEN_KEY = 'crm.portal.token';

export class PortalError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || (status === 0 ? 'network_error' : 'http_error');
    this.errors = (problem.errors || []).map((e) => ({ ...e, field: (e.field || '').replace(/^body\./, '') }));
  }
}

export const portalSession = {
  get active() {
    return Boolean(sessionStorage.getItem(TOKEN_KEY));
  },
  async login(email, password) {
    const answer = await call('POST', '/api/v1/portal/login', { email, password });
    sessionStorage.setItem(TOKEN_KEY, answer.access_token);
    return answer.user;
  },
  async logout() {
    try {
      await call('POST', '/api/v1/portal/logout');
    } finally {
      sessionStorage.removeItem(TOKEN_KEY);
    }
  },
  forget() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** A request to the gateway: JSON in and out; a problem+json answer throws PortalError (status 0: no network). */
export async function call(method, path, body, { query } = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== '' && value != null) url.searchParams.set(key, value);
  const headers = { Accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token && path.startsWith('/api/v1/portal/')) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new PortalError(0);
  }
  if (response.status === 401 && token && !path.endsWith('/login')) portalSession.forget();
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new PortalError(response.status, data);
  return data;
}
