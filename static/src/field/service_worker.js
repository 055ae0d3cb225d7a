/* The service worker of the field app, served at /lbe/field/service-worker.js
 * with the scope /lbe/field. It keeps the app's page, script, style and icons,
 * so that the app opens without a signal: the network is asked first (for the
 * latest page), the copy kept here answers when there is none. The elders and
 * the outbox are kept by the page itself, in IndexedDB. */
/* eslint-disable no-restricted-globals */
const CACHE = "lbe-field-v1";
const STATIC = "/left_behind_elderly/static/src/field/";
const SHELL = [
    "/lbe/field",
    `${STATIC}field_app.js`,
    `${STATIC}field_app.css`,
    `${STATIC}icon-192x192.png`,
];
// A weak signal that never answers is treated as none after this delay.
const NETWORK_TIMEOUT = 6000;

// A login page (an ended session) or an error is not kept as the app.
const isKeepable = (response) => response.ok && !response.redirected && response.type === "basic";

const isShell = (url) =>
    url.origin === self.location.origin &&
    (url.pathname === "/lbe/field" ||
        url.pathname.startsWith(STATIC) ||
        url.pathname === "/web/manifest.scoped_app_manifest");

self.addEventListener("install", (event) => {
    event.waitUntil(
        (async () => {
            const cache = await caches.open(CACHE);
            for (const url of SHELL) {
                const response = await fetch(url, { cache: "no-store" });
                if (isKeepable(response)) {
                    await cache.put(url, response);
                }
            }
            await self.skipWaiting();
        })()
    );
});

self.addEventListener("activate", (event) => {
    event.waitUntil(
        (async () => {
            for (const name of await caches.keys()) {
                if (name !== CACHE) {
                    await caches.delete(name);
                }
            }
            await self.clients.claim();
        })()
    );
});

async function networkFirst(request) {
    const cache = await caches.open(CACHE);
    try {
        const response = await Promise.race([
            fetch(request),
            new Promise((resolve, reject) =>
                setTimeout(() => reject(new Error("timeout")), NETWORK_TIMEOUT)
            ),
        ]);
        if (isKeepable(response)) {
            await cache.put(request, response.clone());
        }
        return response;
    } catch (error) {
        // The page is kept without its query string (/lbe/field?... opens it too).
        const cached = await cache.match(request, { ignoreSearch: request.mode === "navigate" });
        if (cached) {
            return cached;
        }
        throw error;
    }
}

self.addEventListener("fetch", (event) => {
    if (event.request.method === "GET" && isShell(new URL(event.request.url))) {
        event.respondWith(networkFirst(event.request));
    }
});
