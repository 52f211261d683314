// The service worker: the client's files of this version are kept for use without a network, and a page opened
// offline gets the saved index.html (the client then shows the data it saved, js/offline.js). The gateway fills
// in this version and its files (/sw.js is rendered per version), so a new release installs a new worker, which
// fetches the new files and drops the old ones. API answers are not handled here: the page keeps its own.

const VERSION = '{{version}}';
const FILES = '{{files}}'.split(' '); // URLs, separated by spaces
const SHELL = `crm-shell-${VERSION}`;
const INDEX = '/index.html'; // the key the saved index.html is kept under

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await cache.addAll(FILES);
      await cache.put(INDEX, await fetch('/', { cache: 'no-store' }));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('crm-shell-') && key !== SHELL) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(caches.match(request, { cacheName: SHELL }).then((hit) => hit ?? fetch(request)));
  } else if (request.mode === 'navigate') {
    // The network first (a page is always current when online); the saved index.html when it fails.
    event.respondWith(
      fetch(request).catch(async () => (await caches.match(INDEX, { cacheName: SHELL })) ?? Response.error()),
    );
  }
});
