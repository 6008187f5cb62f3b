// Runs while the app's code is still downloading: starts the requests the first screen waits for,
// so they no longer queue behind the JavaScript. `request()` in src/app/api.ts takes each answer
// once, for the same GET, within a few seconds; anything else is fetched as usual. A plain script
// (not a module): it must not wait for the app's modules. Same origin, so the page's CSP allows it.
(() => {
  // zod (the API contracts) would probe for `new Function` as its first object schema is built,
  // and the page's Content-Security-Policy, which allows no eval, reports the probe as a
  // violation. zod reads this global config; set here, it is in place before any module runs,
  // whatever order the bundler gives the chunks. (The server keeps zod's compiled parsers.)
  globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
  const early = {};
  const get = (url) => {
    const res = fetch(url, { headers: { Accept: 'application/json', 'X-Zhiyang-Client': 'web' }, credentials: 'include' });
    res.catch(() => {}); // A failure is seen (and retried) by the app's own call.
    early[url] = { at: Date.now(), res };
  };
  const path = location.pathname;
  if (path.startsWith('/console') && path !== '/console/login') {
    get('/api/v1/auth/me');
    // The alarm centre opened without a drill-down: the life-safety queue's first page (AlarmCentrePage's first call).
    if (path === '/console/alarms' && !location.search) get('/api/v1/alarms?status=open&kind=life&limit=50');
  }
  window.__zyEarly = early;
})();
