// Tally's service worker: shows the alerts the server pushes (web push, RFC 8030), and opens
// the app where they point when one is clicked. The browser decrypts each message (RFC 8291)
// before it reaches this script. It caches nothing: the app works online only.

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

/** A same-origin URL for `path`: a pushed message cannot send the user elsewhere. */
function appUrl(path) {
  try {
    const url = new URL(path || "/notifications", self.location.origin);
    return url.origin === self.location.origin ? url.href : new URL("/notifications", self.location.origin).href;
  } catch {
    return new URL("/notifications", self.location.origin).href;
  }
}

self.addEventListener("push", (event) => {
  let message = {};
  if (event.data) {
    try {
      message = event.data.json();
    } catch {
      message = { body: event.data.text() };
    }
  }
  const title = typeof message.title === "string" && message.title ? message.title : "Tally";
  const options = {
    body: typeof message.body === "string" ? message.body : "",
    icon: "/favicon.svg",
    // One notification per alert: a repeated delivery replaces it instead of stacking.
    tag: typeof message.notificationId === "string" ? message.notificationId : undefined,
    timestamp: Date.parse(message.createdAt) || Date.now(),
    data: { url: appUrl(message.url), notificationId: message.notificationId },
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = appUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        const focused = await open.focus();
        if (focused.url !== target && "navigate" in focused) {
          await focused.navigate(target).catch(() => undefined);
        }
        return;
      }
      await self.clients.openWindow(target);
    })(),
  );
});
