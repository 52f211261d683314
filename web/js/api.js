// The one way the client talks to the platform: the gateway's public REST API.
// Bearer access token kept in memory, rotating refresh token in localStorage (refreshed before
// expiry and on a 401), problem+json errors as ApiError, ETag/If-Match, and an Idempotency-Key
// on every POST so that a request retried after a dropped connection has no second effect.

import { randomId, sleep } from './dom.js';
import * as offline from './offline.js';

const REFRESH_KEY = 'crm.refresh';
const RETRIES = 2; // after a network failure or a 503, for GET and keyed POST only
const SKEW_MS = 30_000; // refresh this long before the access token expires

let accessToken = null;
let expiresAt = 0;
let refreshing = null;
const sessionListeners = new Set();

/** An error answer of the API (problem+json), or status 0 when the network failed. */
export class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || (status === 0 ? 'network_error' : 'http_error');
    this.detail = problem.detail || '';
    // Field paths come as "phones[0].value" or "phones.0.value"; forms use the dotted form.
    this.errors = (problem.errors || []).map((e) => ({ ...e, field: normalizeField(e.field) }));
  }
}

export function normalizeField(field = '') {
  return field.replace(/\[(\d+)\]/g, '.$1');
}

function storeTokens(tokens) {
  accessToken = tokens.access_token;
  expiresAt = Date.now() + tokens.expires_in * 1000 - SKEW_MS;
  localStorage.setItem(REFRESH_KEY, tokens.refresh_token);
}

function clearTokens(reason) {
  const had = accessToken || localStorage.getItem(REFRESH_KEY);
  accessToken = null;
  expiresAt = 0;
  localStorage.removeItem(REFRESH_KEY);
  offline.forgetSession();
  if (had) for (const listener of sessionListeners) listener(reason);
}

/** Trade the refresh token for new tokens; concurrent callers share one request. */
function refresh() {
  refreshing ??= (async () => {
    const token = localStorage.getItem(REFRESH_KEY);
    if (!token) return false;
    // index.html's boot script sent the stored token before the modules arrived: take its answer once.
    const early = globalThis.crmBoot?.refresh;
    if (early) globalThis.crmBoot.refresh = null;
    try {
      const response = await (early?.token === token
        ? early.response
        : fetch('/api/v1/auth/refresh', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ refresh_token: token }),
          }));
      if (response.ok) {
        storeTokens(await response.json());
        return true;
      }
      if (response.status === 401) clearTokens('expired');
      return false;
    } catch {
      return false; // offline: keep the refresh token for the next attempt
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export const session = {
  get active() {
    return Boolean(accessToken || localStorage.getItem(REFRESH_KEY));
  },
  /** Log in; throws ApiError (401 invalid_credentials) on a wrong password. */
  async login(username, password) {
    const { data } = await request('POST', '/api/v1/auth/login', { body: { username, password }, anonymous: true });
    storeTokens(data);
  },
  /** Revoke the refresh token on the server and forget both tokens. */
  async logout() {
    const token = localStorage.getItem(REFRESH_KEY);
    clearTokens('logout');
    if (token)
      await request('POST', '/api/v1/auth/logout', { body: { refresh_token: token }, anonymous: true }).catch(() => {});
  },
  /** On page load: a stored refresh token becomes an access token (false when there is none or it is dead). */
  async restore() {
    return localStorage.getItem(REFRESH_KEY) ? refresh() : false;
  },
  /** listener(reason) when the session ends: 'logout' or 'expired'. */
  onEnd(listener) {
    sessionListeners.add(listener);
  },
};

function queryString(query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of [value].flat()) if (item !== undefined && item !== null && item !== '') params.append(key, item);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function parse(response) {
  const type = response.headers.get('Content-Type') || '';
  const data = response.status === 204 || !type.includes('json') ? null : await response.json();
  if (!response.ok) throw new ApiError(response.status, data ?? {});
  return { data, etag: response.headers.get('ETag'), status: response.status };
}

/**
 * request('PATCH', '/api/v1/parties/1', {body, etag}) -> {data, etag, status}; throws ApiError.
 * Options: query (arrays repeat the parameter), body (JSON), etag (sent as If-Match),
 * signal (AbortSignal), idempotencyKey (POST; generated when absent), anonymous (no token),
 * contentType (the body is text of that type, sent as it is: a YAML document, say); a FormData body is sent as
 * multipart (a file upload); blob (the answer is a file: data is a Blob, errors are still problem+json);
 * queue (a JSON POST that may wait: without a network it goes to the outbox, js/offline.js, and the call throws
 * ApiError 'queued_offline').
 * Without a network a GET answers what was saved the last time it worked, with {offline: true, savedAt}.
 */
export async function request(method, path, options = {}) {
  const { query, body, etag, signal, anonymous = false, contentType } = options;
  const headers = { Accept: 'application/json' };
  const multipart = body instanceof FormData; // the browser writes its Content-Type with the boundary
  if (body !== undefined && !multipart) headers['Content-Type'] = contentType ?? 'application/json';
  if (etag) headers['If-Match'] = etag;
  if (method === 'POST') headers['Idempotency-Key'] = options.idempotencyKey ?? randomId();
  const saves = method === 'GET' && !anonymous && !options.blob;
  // PATCH/PUT/DELETE are not retried: a lost answer to an applied change would come back as a 412.
  const retryable = method === 'GET' || method === 'POST';
  const url = path + queryString(query);
  let reauthenticated = false;
  for (let attempt = 0; ; attempt += 1) {
    if (!anonymous && (!accessToken || Date.now() > expiresAt)) await refresh();
    if (!anonymous && accessToken) headers.Authorization = `Bearer ${accessToken}`;
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        signal,
        body: body === undefined || contentType || multipart ? body : JSON.stringify(body),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      if (retryable && attempt < RETRIES && navigator.onLine) {
        await sleep(500 * 3 ** attempt, signal);
        continue;
      }
      const saved = saves ? await offline.recall(url) : null;
      if (saved) return { data: saved.data, etag: saved.etag, status: 200, offline: true, savedAt: saved.savedAt };
      if (options.queue && method === 'POST') {
        offline.enqueue({ method, path, query, body, etag, idempotencyKey: headers['Idempotency-Key'] });
        throw new ApiError(0, { code: 'queued_offline', detail: 'saved; sent when the network is back' });
      }
      throw new ApiError(0, { detail: String(error?.message || error) });
    }
    if (response.status === 401 && !anonymous) {
      if (!reauthenticated && (await refresh())) {
        reauthenticated = true;
        attempt -= 1; // a renewed token is not a retry
        continue;
      }
      clearTokens('expired');
    }
    if (response.status === 503 && retryable && attempt < RETRIES) {
      await sleep(500 * 3 ** attempt, signal);
      continue;
    }
    if (options.blob && response.ok) return { data: await response.blob(), status: response.status };
    const answer = await parse(response);
    if (saves) offline.remember(url, answer.data, answer.etag);
    return answer;
  }
}

/**
 * upload(path, formData, {query, onProgress(loaded, total), signal}) -> {data, status}; throws ApiError.
 * A file upload with progress: fetch reports none for a request body, XMLHttpRequest does. Sent without an
 * Idempotency-Key (the gateway streams an upload to its service and never holds it to compare a retry); not retried.
 */
export async function upload(path, form, { query, onProgress, signal } = {}) {
  if (!accessToken || Date.now() > expiresAt) await refresh();
  const send = () =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path + queryString(query));
      xhr.setRequestHeader('Accept', 'application/json');
      if (accessToken) xhr.setRequestHeader('Authorization', `Bearer ${accessToken}`);
      xhr.upload.addEventListener('progress', (event) =>
        onProgress?.(event.loaded, event.lengthComputable ? event.total : 0),
      );
      xhr.addEventListener('load', () => resolve(xhr));
      xhr.addEventListener('error', () => reject(new ApiError(0, { detail: 'the upload failed' })));
      xhr.addEventListener('abort', () => reject(new DOMException('The upload was stopped', 'AbortError')));
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(form);
    });
  let xhr = await send();
  if (xhr.status === 401 && (await refresh())) xhr = await send();
  let data = null;
  try {
    data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
  } catch {
    data = null;
  }
  if (xhr.status < 200 || xhr.status >= 300) throw new ApiError(xhr.status, data ?? {});
  return { data, status: xhr.status };
}

/** Send the changes that waited in the outbox for the network: {sent, refused: [[change, ApiError]]}. */
export function sendQueued() {
  if (!session.active) return Promise.resolve({ sent: 0, refused: [] });
  return offline.flush((change) => request(change.method, change.path, change));
}

export const get = (path, options) => request('GET', path, options);
export const post = (path, body, options) => request('POST', path, { ...options, body });
export const patch = (path, body, options) => request('PATCH', path, { ...options, body });
export const put = (path, body, options) => request('PUT', path, { ...options, body });
export const del = (path, options) => request('DELETE', path, options);

/** Fetch once per session and share (reference data: users, relationship types, field definitions). */
const memo = new Map();
export function cached(path, query) {
  const key = path + queryString(query);
  if (!memo.has(key)) {
    const pending = get(path, { query }).then((r) => r.data);
    pending.catch(() => memo.delete(key));
    memo.set(key, pending);
  }
  return memo.get(key);
}
export function forget(prefix = '') {
  for (const key of memo.keys()) if (key.startsWith(prefix)) memo.delete(key);
}
session.onEnd(() => forget());
