/**
 * Small server-rendered pages of the LTI flow: refusals, the browser-binding steps and the end of Dynamic
 * Registration. Scripts are static files (CSP: script-src 'self'); text is in English and Dutch because no
 * launch has told us the user's language yet.
 */
const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(title: string, body: string, options: { script?: string; data?: Record<string, string> } = {}): string {
  const data = Object.entries(options.data ?? {})
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Waymark</title>
<link rel="stylesheet" href="/lti/static/page.css">
${options.script ? `<script src="/lti/static/${options.script}" defer></script>` : ''}
</head>
<body${data}>
<main class="lti-page">
${body}
</main>
</body>
</html>`;
}

export interface Refusal {
  code: string;
  reason: string;
  status: number;
  requestId: string;
}

/** The 4xx page for a refused login, launch or registration. */
export function refusalPage(refusal: Refusal): string {
  return page(
    'Waymark could not open',
    `<h1>Waymark could not open</h1>
<p>${escapeHtml(refusal.reason)}</p>
<p>Please go back to your learning platform and open Waymark again. If this keeps happening, give your IT team the code below.</p>
<section lang="nl" aria-labelledby="nl-title">
<h2 id="nl-title">Waymark kon niet openen</h2>
<p>Ga terug naar je leeromgeving en open Waymark opnieuw. Blijft dit gebeuren, geef dan de code hieronder aan je ICT-afdeling.</p>
</section>
<p class="code">Code: <code>${escapeHtml(refusal.code)}</code> · Request: <code>${escapeHtml(refusal.requestId)}</code></p>`,
  );
}

/** Login step 1 without platform storage: checks that this browser keeps a partitioned cookie, then continues. */
export function cookieProbePage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
  return page(
    'Opening Waymark',
    `<h1 class="visually-hidden">Opening Waymark</h1>
<p role="status">Opening Waymark…</p>
<form id="continue" method="post" action="${escapeHtml(action)}">
${inputs}
<input type="hidden" name="waymark_cookies" value="available">
<noscript><button type="submit">Continue</button></noscript>
</form>`,
    { script: 'login-probe.js' },
  );
}

/** Login step with platform storage: stores the binding secret with the platform, then goes to the platform. */
export function platformStoragePutPage(input: {
  target: string;
  origin: string;
  key: string;
  value: string;
  next: string;
  fallback: string;
}): string {
  return page(
    'Opening Waymark',
    `<h1 class="visually-hidden">Opening Waymark</h1>
<p role="status" id="status">Opening Waymark…</p>
<p id="fallback" hidden>Your browser blocked this step. <a href="${escapeHtml(input.fallback)}" target="_blank" rel="noopener">Open Waymark in a new window</a>.</p>`,
    {
      script: 'login-storage.js',
      data: { target: input.target, origin: input.origin, key: input.key, value: input.value, next: input.next },
    },
  );
}

/** Launch step with platform storage: reads the binding secret back, then completes the launch. */
export function platformStorageGetPage(input: {
  target: string;
  origin: string;
  key: string;
  idToken: string;
  state: string;
  action: string;
}): string {
  return page(
    'Opening Waymark',
    `<h1 class="visually-hidden">Opening Waymark</h1>
<p role="status">Opening Waymark…</p>
<form id="complete" method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="id_token" value="${escapeHtml(input.idToken)}">
<input type="hidden" name="state" value="${escapeHtml(input.state)}">
<input type="hidden" name="lti_storage_value" value="">
</form>`,
    { script: 'launch-storage.js', data: { target: input.target, origin: input.origin, key: input.key } },
  );
}

/** The end of Dynamic Registration: tells the admin it worked and asks the LMS to close the dialog. */
export function registrationDonePage(input: {
  platform: string;
  schoolId: string;
  clientId: string;
  deploymentIds: string[];
}): string {
  return page(
    'Waymark is registered',
    `<h1>Waymark is registered</h1>
<p>Waymark is now registered with ${escapeHtml(input.platform)} for school <strong>${escapeHtml(input.schoolId)}</strong>.</p>
<dl>
<dt>Client ID</dt><dd><code>${escapeHtml(input.clientId)}</code></dd>
<dt>Deployment</dt><dd><code>${escapeHtml(input.deploymentIds.join(', ') || 'to be claimed on first launch')}</code></dd>
</dl>
<p>You can close this window.</p>`,
    { script: 'registration-close.js' },
  );
}

/** The LMS launched with the "server only" binding: warn and offer a new window. */
export function newWindowHint(): string {
  return 'This browser blocks the cookies Waymark needs inside the learning platform. Open Waymark in a new window.';
}
