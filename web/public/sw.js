/* global self, URL */
/*
 * scamnet's service worker: shows the Web Push messages sent to people who follow a case
 * (src/followers, issue 15) and opens the case page when one is clicked. It caches nothing and
 * handles no fetch: the site works the same without it.
 *
 * A message's payload (decrypted by the browser, RFC 8291) is JSON:
 * { caseId, status, title, body, url } — url relative to this site (/cases/…).
 */
self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = {};
  }
  const title = typeof message.title === 'string' ? message.title : 'scamnet';
  const url = typeof message.url === 'string' && message.url.startsWith('/') ? message.url : '/';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof message.body === 'string' ? message.body : '',
      // One notification per case: a newer state replaces the older one.
      tag: typeof message.caseId === 'string' ? `case-${message.caseId}` : undefined,
      data: { url },
      lang:
        typeof message.body === 'string' && /[\u4e00-\u9fff]/.test(message.body) ? 'zh-TW' : 'en',
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url ?? '/', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === target && 'focus' in client) return client.focus();
      }
      return self.clients.openWindow(target);
    }),
  );
});
