/**
 * The demo LMS's stylesheet and scripts, served by its router from these strings (so they work wherever the
 * server runs, built or not). Scripts are files of our own origin because the pages' CSP is `script-src 'self'`.
 */

export const STYLESHEET = `
:root { --ink: #1b1f24; --muted: #4a5360; --bg: #f6f7f9; --card: #ffffff; --line: #c9ced6; --brand: #114b8a; --brand-ink: #ffffff; --focus: #b3470f; --ok: #17643a; --warn: #8a4b00; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: var(--bg); line-height: 1.5; }
body { margin: 0; min-width: 320px; }
a { color: var(--brand); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.site { background: var(--brand); color: var(--brand-ink); padding: .75rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between; }
header.site a { color: var(--brand-ink); font-weight: 700; text-decoration: none; }
header.site a:focus-visible { outline-color: #ffd27a; }
header.site form { margin: 0; }
header.site .who { font-size: .95rem; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; margin: 0 0 1rem; }
.notice { border-left: 4px solid var(--warn); }
.success { border-left: 4px solid var(--ok); }
.muted { color: var(--muted); }
ul.plain { list-style: none; padding: 0; margin: 0; }
ul.people li { display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center; justify-content: space-between; padding: .5rem 0; border-bottom: 1px solid var(--line); }
ul.people li:last-child { border-bottom: 0; }
button, .button { font: inherit; display: inline-block; border: 2px solid var(--brand); background: var(--brand); color: var(--brand-ink); border-radius: .375rem; padding: .35rem .8rem; cursor: pointer; text-decoration: none; }
button.secondary, .button.secondary { background: var(--card); color: var(--brand); }
header.site button { background: transparent; border-color: var(--brand-ink); color: var(--brand-ink); }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0 1rem; }
nav.activities a[aria-current="page"] { font-weight: 700; }
.frame-wrap { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; overflow: hidden; }
iframe.tool { display: block; width: 100%; height: 75vh; min-height: 32rem; border: 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; background: var(--card); }
th, td { border: 1px solid var(--line); padding: .4rem .6rem; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: 700; padding: .25rem 0; }
footer.site { max-width: 72rem; margin: 0 auto; padding: 1rem; color: var(--muted); font-size: .9rem; }
@media (max-width: 480px) { h1 { font-size: 1.35rem; } iframe.tool { height: 80vh; min-height: 24rem; } }
`;

/** Submits the OIDC auth response form (form_post) as soon as the page loads. */
export const AUTOPOST_JS = `'use strict';
(function () {
  var form = document.getElementById('autopost');
  if (form) form.submit();
})();
`;

/**
 * Platform side of the 1EdTech LTI client-side postMessage storage (lti.capabilities, lti.put_data,
 * lti.get_data): values live in this page's memory, namespaced by the sender's origin, answered only to that
 * origin. Also honours org.imsglobal.lti.close by returning to the course.
 */
export const COURSE_JS = `'use strict';
(function () {
  var frame = document.getElementById('tool-frame');
  if (!frame) return;
  var toolOrigin = frame.getAttribute('data-tool-origin');
  var returnUrl = frame.getAttribute('data-return-url');
  var store = new Map();
  var MAX_ITEMS = 200;
  var MAX_LENGTH = 4096;
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || typeof data.subject !== 'string') return;
    if (data.subject === 'org.imsglobal.lti.close' && event.source === frame.contentWindow) {
      if (returnUrl) window.location.assign(returnUrl);
      return;
    }
    if (data.subject.indexOf('lti.') !== 0 || /\\.response$/.test(data.subject)) return;
    if (!event.source || event.origin === 'null') return;
    function reply(extra) {
      var message = { subject: data.subject + '.response', message_id: data.message_id };
      for (var k in extra) message[k] = extra[k];
      event.source.postMessage(message, event.origin);
    }
    function fail(code, message) { reply({ error: { code: code, message: message } }); }
    if (event.origin !== toolOrigin) return fail('wrong_origin', 'This page only stores data for the tool it embeds.');
    var slot = function (key) { return event.origin + ' ' + key; };
    switch (data.subject) {
      case 'lti.capabilities':
        return reply({ supported_messages: [{ subject: 'lti.capabilities' }, { subject: 'lti.put_data' }, { subject: 'lti.get_data' }] });
      case 'lti.put_data':
        if (typeof data.key !== 'string' || !data.key || data.key.length > 256) return fail('bad_request', 'key must be a non-empty string of at most 256 characters');
        if (data.value === undefined || data.value === null) { store.delete(slot(data.key)); return reply({ key: data.key }); }
        if (typeof data.value !== 'string' || data.value.length > MAX_LENGTH) return fail('bad_request', 'value must be a string of at most ' + MAX_LENGTH + ' characters');
        if (!store.has(slot(data.key)) && store.size >= MAX_ITEMS) return fail('server_error', 'storage is full');
        store.set(slot(data.key), data.value);
        return reply({ key: data.key, value: data.value });
      case 'lti.get_data':
        if (typeof data.key !== 'string' || !data.key) return fail('bad_request', 'key must be a non-empty string');
        return reply({ key: data.key, value: store.get(slot(data.key)) });
      default:
        return fail('unsupported_subject', 'Unsupported subject: ' + data.subject);
    }
  });
})();
`;

/** After a deep linking return inside the add-activity frame, takes the whole page back to the course. */
export const RETURN_JS = `'use strict';
(function () {
  var link = document.getElementById('back-to-course');
  if (!link || window.top === window.self) return;
  try { window.top.location.assign(link.href); } catch (e) { /* another origin above us: the link stays */ }
})();
`;
