/** Server-rendered pages of the demo LMS: plain HTML, escaped, landmarks and labels, no inline script or style. */
import type { LatestScore } from './ags.js';
import type { DemoCourseDoc, DemoLineItemDoc, DemoPersonDoc, DemoRegistrationDoc, DemoResourceLinkDoc } from './models.js';
import { fullName, type PersonKind } from './roster.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value: string | number | null | undefined) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export interface PageFrame {
  base: string;
  person: DemoPersonDoc | null;
}

const KIND_LABEL: Record<PersonKind, string> = {
  pupil: 'Pupil',
  teacher: 'Teacher',
  adviser: 'Careers adviser',
  planner: 'Careers planner',
};
export const kindLabel = (kind: string) => KIND_LABEL[kind as PersonKind] ?? kind;

export function layout(frame: PageFrame, title: string, body: string, scripts: string[] = []): string {
  const who = frame.person
    ? `<div class="who">Signed in as <strong>${esc(fullName(frame.person))}</strong> (${esc(kindLabel(frame.person.kind))})</div>
       <form method="post" action="${frame.base}/session/sign-out"><button type="submit">Sign out</button></form>`
    : `<div class="who">Not signed in</div>`;
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Demo LMS</title>
<link rel="stylesheet" href="${frame.base}/static/demo.css">
${scripts.map((s) => `<script src="${frame.base}/static/${s}" defer></script>`).join('\n')}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><a href="${frame.base}">Demo LMS · Demo School</a>${who}</header>
<main id="main" tabindex="-1">
${body}
</main>
<footer class="site"><p>A small LTI 1.3 platform for trying Waymark. All people are fictional.</p></footer>
</body>
</html>`;
}

export function homePage(
  frame: PageFrame,
  data: {
    courses: DemoCourseDoc[];
    people: DemoPersonDoc[];
    registration: DemoRegistrationDoc | null;
    toolUrl: string;
    locale: string;
  },
): string {
  const { courses, people, registration } = data;
  const signIn = (
    p: DemoPersonDoc,
  ) => `<li><span><strong>${esc(fullName(p))}</strong> <span class="muted">· ${esc(p.blurb || kindLabel(p.kind))}${p.email ? '' : ' · no e-mail'}</span></span>
    <form method="post" action="${frame.base}/session"><input type="hidden" name="personId" value="${esc(p._id)}">
    <button type="submit" class="secondary" aria-label="Sign in as ${esc(fullName(p))}">Sign in as ${esc(p.givenName)}</button></form></li>`;
  const staff = people.filter((p) => p.kind !== 'pupil');
  const classLists = courses
    .map((c) => {
      const ids = new Set(c.members.filter((m) => m.roles.some((r) => r.endsWith('#Learner'))).map((m) => m.personId));
      return `<h3>${esc(c.title)}</h3><ul class="plain people">${people
        .filter((p) => ids.has(p._id))
        .map(signIn)
        .join('')}</ul>`;
    })
    .join('');
  const status = registration
    ? `<div class="card success"><p>Waymark is registered with this LMS through LTI Dynamic Registration (client ${esc(registration._id)}, deployment ${esc(registration.deploymentId)}).</p></div>`
    : `<div class="card notice"><p><strong>Waymark is not registered yet.</strong> The server registers it on start-up with LTI Dynamic Registration; reload in a moment, or check the server log.</p></div>`;
  return layout(
    frame,
    'Home',
    `<h1>Demo LMS</h1>
<div class="card"><p>This is a tiny learning platform of a fictional school, run by the Waymark server so that you can try Waymark as a school would: inside a course page, launched with LTI 1.3 from another site (<code>${esc(frame.base)}</code>) than Waymark itself (<code>${esc(data.toolUrl)}</code>).</p>
<p>Sign in as a pupil, the teacher, the external careers adviser or the careers planner, then open a course.</p></div>
${status}
${frame.person ? languageForm(frame, data.locale) : ''}
<section aria-labelledby="courses-h"><h2 id="courses-h">Courses</h2>
<ul>${courses.map((c) => `<li><a href="${frame.base}/courses/${esc(c._id)}">${esc(c.title)}</a> <span class="muted">(year group ${esc(c.custom.year_group)})</span></li>`).join('')}</ul></section>
<section aria-labelledby="people-h"><h2 id="people-h">People</h2>
<h3>Staff</h3><ul class="plain people">${staff.map(signIn).join('')}</ul>
${classLists}</section>`,
  );
}

const LOCALES = [
  ['en-GB', 'English (en-GB)'],
  ['nl-NL', 'Nederlands (nl-NL)'],
] as const;

/** Which language launches ask Waymark for (launch_presentation.locale), as a user's LMS language setting would. */
function languageForm(frame: PageFrame, locale: string): string {
  const options = LOCALES.map(
    ([value, label]) => `<option value="${value}"${value === locale ? ' selected' : ''}>${label}</option>`,
  ).join('');
  return `<form class="card" method="post" action="${frame.base}/session/locale">
<label for="locale">Language of my LMS (sent to Waymark at launch)</label>
<div class="actions"><select id="locale" name="locale">${options}</select><button type="submit" class="secondary">Save language</button></div></form>`;
}

export interface ToolFrame {
  title: string;
  src: string;
  newWindowHref: string;
  toolOrigin: string;
  returnUrl: string;
}

function toolFrame(frame: ToolFrame): string {
  return `<div class="frame-wrap"><iframe class="tool" id="tool-frame" title="Waymark" allow="microphone" src="${esc(frame.src)}" data-tool-origin="${esc(frame.toolOrigin)}" data-return-url="${esc(frame.returnUrl)}"></iframe></div>
<p><a href="${esc(frame.newWindowHref)}" target="_blank" rel="noopener">Open in new window<span class="muted"> (opens a new tab)</span></a></p>`;
}

export function coursePage(
  frame: PageFrame,
  data: {
    course: DemoCourseDoc;
    links: DemoResourceLinkDoc[];
    current: DemoResourceLinkDoc | null;
    launch: ToolFrame | null;
    canManage: boolean;
    registered: boolean;
  },
): string {
  const { course, links, current } = data;
  const base = `${frame.base}/courses/${esc(course._id)}`;
  const manage = data.canManage
    ? `<div class="actions"><a class="button" href="${base}/add">Add Waymark activity</a><a class="button secondary" href="${base}/grades">Gradebook</a></div>`
    : '';
  const list = links
    .map(
      (l) =>
        `<li><a href="${base}?link=${esc(l._id)}"${current?._id === l._id ? ' aria-current="page"' : ''}>${esc(l.title)}</a>${l.isPlacement ? ' <span class="muted">(course menu)</span>' : ''}</li>`,
    )
    .join('');
  const body = !data.registered
    ? `<div class="card notice"><p>Waymark is not registered with this LMS yet.</p></div>`
    : `${manage}<nav class="activities" aria-label="Activities"><h2>Activities</h2><ul>${list}</ul></nav>
<section aria-labelledby="tool-h"><h2 id="tool-h">${esc(current?.title ?? 'Waymark')}</h2>${data.launch ? toolFrame(data.launch) : ''}</section>`;
  return layout(frame, course.title, `<p><a href="${frame.base}">Home</a></p><h1>${esc(course.title)}</h1>${body}`, [
    'course.js',
  ]);
}

export function addActivityPage(frame: PageFrame, data: { course: DemoCourseDoc; launch: ToolFrame }): string {
  const base = `${frame.base}/courses/${esc(data.course._id)}`;
  return layout(
    frame,
    `Add activity · ${data.course.title}`,
    `<p><a href="${base}">Back to ${esc(data.course.title)}</a></p><h1>Add a Waymark activity</h1>
<p>Choose one or more activities in Waymark. They are added to ${esc(data.course.title)}, each with a gradebook column.</p>
${toolFrame(data.launch)}`,
    ['course.js'],
  );
}

export function deepLinkReturnPage(
  frame: PageFrame,
  data: {
    course: DemoCourseDoc;
    created: { title: string; lineItem: boolean }[];
    ignored: number;
    message?: string;
    errorMessage?: string;
  },
): string {
  const base = `${frame.base}/courses/${esc(data.course._id)}`;
  const items = data.created.map((c) => `<li>${esc(c.title)}${c.lineItem ? ' (with a gradebook column)' : ''}</li>`).join('');
  return layout(
    frame,
    'Activities added',
    `<h1>${data.created.length === 0 ? 'Nothing was added' : `Added ${data.created.length} ${data.created.length === 1 ? 'activity' : 'activities'}`}</h1>
${items ? `<ul>${items}</ul>` : ''}
${data.ignored ? `<p class="muted">${data.ignored} item(s) of a type this course does not accept were skipped.</p>` : ''}
${data.message ? `<p>Waymark says: ${esc(data.message)}</p>` : ''}
${data.errorMessage ? `<p class="card notice">Waymark reported a problem: ${esc(data.errorMessage)}</p>` : ''}
<p><a id="back-to-course" href="${base}" target="_top">Back to ${esc(data.course.title)}</a></p>`,
    ['return.js'],
  );
}

export function gradebookPage(
  frame: PageFrame,
  data: { course: DemoCourseDoc; lineItems: DemoLineItemDoc[]; pupils: DemoPersonDoc[]; scores: LatestScore[]; agsDown: boolean },
): string {
  const base = `${frame.base}/courses/${esc(data.course._id)}`;
  const byKey = new Map(data.scores.map((s) => [`${s.lineItemId} ${s.userId}`, s]));
  const cell = (item: DemoLineItemDoc, pupil: DemoPersonDoc) => {
    const s = byKey.get(`${item._id} ${pupil._id}`);
    if (!s) return '<td><span class="muted">–</span></td>';
    const score =
      s.scoreGiven !== null && s.scoreGiven !== undefined && s.scoreMaximum
        ? `${formatNumber((s.scoreGiven / s.scoreMaximum) * item.scoreMaximum)} / ${formatNumber(item.scoreMaximum)}`
        : 'No score';
    return `<td><strong>${esc(score)}</strong><br><span class="muted">${esc(s.activityProgress)}, ${esc(s.gradingProgress)} · ${esc(s.timestamp.toISOString().slice(0, 16).replace('T', ' '))} UTC</span>${s.comment ? `<br>${esc(s.comment)}` : ''}</td>`;
  };
  const table =
    data.lineItems.length === 0
      ? '<p>No gradebook columns yet. Add a Waymark activity, or let Waymark create its columns.</p>'
      : `<div class="table-wrap" role="region" aria-label="Gradebook, scrolls sideways" tabindex="0"><table><caption>Latest score per pupil</caption>
<thead><tr><th scope="col">Pupil</th>${data.lineItems.map((i) => `<th scope="col">${esc(i.label)}<br><span class="muted">out of ${formatNumber(i.scoreMaximum)}${i.tag ? ` · ${esc(i.tag)}` : ''}</span></th>`).join('')}</tr></thead>
<tbody>${data.pupils.map((p) => `<tr><th scope="row">${esc(fullName(p))}</th>${data.lineItems.map((i) => cell(i, p)).join('')}</tr>`).join('')}</tbody></table></div>`;
  return layout(
    frame,
    `Gradebook · ${data.course.title}`,
    `<p><a href="${base}">Back to ${esc(data.course.title)}</a></p><h1>Gradebook: ${esc(data.course.title)}</h1>
${data.agsDown ? '<p class="card notice">The grade service is simulating an outage: Waymark’s scores are refused with 503 until it is back.</p>' : ''}
<p>Columns are AGS line items; cells show the latest score Waymark sent. Reload to see new grades arrive.</p>${table}`,
  );
}

export function messagePage(frame: PageFrame, title: string, message: string): string {
  return layout(
    frame,
    title,
    `<h1>${esc(title)}</h1><div class="card notice"><p>${esc(message)}</p></div><p><a href="${frame.base}">Back to the demo LMS home</a></p>`,
  );
}

/** The OIDC authentication response (form_post): a form our own script submits, with a button without scripts. */
export function autoPostPage(frame: PageFrame, action: string, fields: Record<string, string | undefined>): string {
  const inputs = Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Opening Waymark…</title>
<link rel="stylesheet" href="${frame.base}/static/demo.css"><script src="${frame.base}/static/autopost.js" defer></script></head>
<body><main id="main"><h1>Opening Waymark…</h1>
<form id="autopost" method="post" action="${esc(action)}">${inputs}<button type="submit">Continue to Waymark</button></form></main></body></html>`;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}
