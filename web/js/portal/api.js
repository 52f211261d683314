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

function authorization() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function failed(response) {
  const data = await response.json().catch(() => ({}));
  return new PortalError(response.status, data);
}

/** Send a file (multipart, field `file`) to a portal route; the created record's JSON. */
export async function upload(path, file) {
  const body = new FormData();
  body.append('file', file);
  const response = await fetch(path, { method: 'POST', headers: authorization(), body }).catch(() => null);
  if (!response) throw new PortalError(0);
  if (!response.ok) throw await failed(response);
  return response.json();
}

/** Save a portal route's file as `filename` (fetched with the token, handed to the browser as a blob). */
export async function download(path, filename) {
  const response = await fetch(path, { headers: authorization() }).catch(() => null);
  if (!response) throw new PortalError(0);
  if (!response.ok) throw await failed(response);
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

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
