// Backroom's service worker (docs/offline-register.md): serves the app shell — index.html, the
// hashed /assets/ files, the manifest and icon — when the server cannot be reached. It never
// caches /api: every API answer comes from the server (the register keeps its own offline
// copy of the catalog and its queue of sales in IndexedDB).
const SHELL = 'backroom-shell-v1';
const FIXED = ['/', '/manifest.webmanifest', '/favicon.svg'];

// The shell: the page and every /assets/ file it names.
async function cacheShell() {
  const cache = await caches.open(SHELL);
  const page = await fetch('/', { cache: 'no-store' });
  const html = await page.clone().text();
  await cache.put('/', page);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.addAll([...FIXED.slice(1), ...assets]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== SHELL) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/healthz') return;
  if (req.mode === 'navigate') {
    // The network first (a new version is picked up), the cached shell when it cannot be reached.
    event.respondWith(fetch(req).then((res) => {
      if (res.ok) void caches.open(SHELL).then((c) => c.put('/', res.clone()));
      return res;
    }).catch(() => caches.match('/')));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    // Hashed names never change: the cache first, and what the network brings is kept.
    event.respondWith(caches.match(req).then((hit) => hit ?? fetch(req).then((res) => {
      if (res.ok) void caches.open(SHELL).then((c) => c.put(req, res.clone()));
      return res;
    })));
    return;
  }
  if (FIXED.includes(url.pathname)) event.respondWith(fetch(req).catch(() => caches.match(req)));
});
