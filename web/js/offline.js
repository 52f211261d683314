// Working without a network: the API answers a user has seen are saved (Cache Storage) and shown again when the
// network fails, and the changes marked as safe to send later (a note, a new task, a completed task) wait in an
// outbox (localStorage) and are sent, with the Idempotency-Key they got when made, once the network is back.
//
// Both belong to the session that saved them: they live under a random name made at login and are deleted when
// the session ends (logout or expiry), so the next person on this browser never sees them.

import { randomId } from './dom.js';

const NAME_KEY = 'crm.offline';
const OUTBOX_KEY = 'crm.outbox';
const DATA_PREFIX = 'crm-data-';
const listeners = new Set();
let servedFromCache = false;

function sessionName() {
  let name = localStorage.getItem(NAME_KEY);
  if (!name) {
    name = randomId();
    localStorage.setItem(NAME_KEY, name);
  }
  return name;
}

const dataCache = () => (globalThis.caches ? caches.open(DATA_PREFIX + sessionName()) : Promise.resolve(null));

function notify() {
  for (const listener of listeners) listener(status());
}

/** {offline, saved (answers shown from the cache since the last success), queued} */
export function status() {
  return { offline: !navigator.onLine || servedFromCache, saved: servedFromCache, queued: outbox().length };
}

/** listener(status()) whenever it may have changed. */
export function onStatusChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Save a GET's answer (JSON) under its URL; a failure to save only costs the offline copy. */
export async function remember(url, data, etag) {
  if (servedFromCache) {
    servedFromCache = false;
    notify();
  }
  try {
    const cache = await dataCache();
    const headers = { 'Content-Type': 'application/json', 'X-Saved-At': new Date().toISOString() };
    if (etag) headers.ETag = etag;
    await cache?.put(url, new Response(JSON.stringify(data), { headers }));
  } catch {
    // Storage full or unavailable (a private window): the page works online all the same.
  }
}

/** The saved answer of a GET: {data, etag, savedAt} or null. */
export async function recall(url) {
  try {
    const hit = await (await dataCache())?.match(url);
    if (!hit) return null;
    servedFromCache = true;
    notify();
    return { data: await hit.json(), etag: hit.headers.get('ETag'), savedAt: hit.headers.get('X-Saved-At') };
  } catch {
    return null;
  }
}

export function outbox() {
  try {
    return JSON.parse(localStorage.getItem(OUTBOX_KEY) || '[]');
  } catch {
    return [];
  }
}

function saveOutbox(items) {
  if (items.length) localStorage.setItem(OUTBOX_KEY, JSON.stringify(items));
  else localStorage.removeItem(OUTBOX_KEY);
  notify();
}

/** Put a change in the outbox: {method, path, query, body, etag, idempotencyKey}. */
export function enqueue(change) {
  saveOutbox([...outbox(), { ...change, queuedAt: new Date().toISOString() }]);
}

/**
 * Send what the outbox holds, oldest first, through `send(change)` (the API's request): a change that is
 * answered, or refused (4xx), leaves the outbox; on a network failure the rest waits for the next try.
 * Returns {sent, refused: [[change, error]]}. One flush at a time.
 */
let flushing = null;
export function flush(send) {
  flushing ??= (async () => {
    const result = { sent: 0, refused: [] };
    try {
      for (const change of outbox()) {
        try {
          await send(change);
          result.sent += 1;
        } catch (error) {
          if (error?.status === 0 || error?.status >= 500) break;
          result.refused.push([change, error]);
        }
        saveOutbox(outbox().filter((item) => item.idempotencyKey !== change.idempotencyKey));
      }
    } finally {
      flushing = null;
    }
    return result;
  })();
  return flushing;
}

/** The session ended: its saved answers and unsent changes go with it. */
export async function forgetSession() {
  localStorage.removeItem(OUTBOX_KEY);
  localStorage.removeItem(NAME_KEY);
  servedFromCache = false;
  try {
    if (globalThis.caches)
      for (const key of await caches.keys()) if (key.startsWith(DATA_PREFIX)) await caches.delete(key);
  } catch {
    // nothing saved
  }
  notify();
}

globalThis.addEventListener?.('online', notify);
globalThis.addEventListener?.('offline', notify);
