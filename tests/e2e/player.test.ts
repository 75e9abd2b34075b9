/**
 * The pupil activity player and home in a real browser, inside the demo LMS iframe: a pupil completes modules
 * that together exercise every activity type (the card sort by keyboard only), read-aloud speaks in the UI
 * language, a network drop while typing loses nothing, the pages have no serious axe violations in English
 * and Dutch, and they fit a 320 px phone.
 */
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Activity, Module } from '../../curriculum/schema.js';
import { ACTIVITY_TYPES } from '../../curriculum/schema.js';
import { loadCurriculum } from '../../curriculum/index.js';
import { CHROMIUM_PATH, launchBrowser, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';
import { signIn as signInToDemo, toolFrame } from '../support/demo-browser.js';

const database = await useTestDatabase();
const { models } = database;
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();
const curriculum = loadCurriculum();

/** S3 modules (the Year 8 course) that together use every activity type: a greedy cover, fewest modules first. */
function modulesCoveringEveryType(stage: string): Module[] {
  const candidates = [...curriculum.modules.values()].filter((m) => m.stage === stage);
  const missing = new Set<string>(ACTIVITY_TYPES);
  const chosen: Module[] = [];
  while (missing.size > 0) {
    const best = candidates
      .filter((m) => !chosen.includes(m))
      .map((m) => ({ m, gain: new Set(m.activities.map((a) => a.type).filter((t) => missing.has(t))).size }))
      .sort((a, b) => b.gain - a.gain)[0];
    if (!best || best.gain === 0) throw new Error(`no ${stage} module has ${[...missing].join(', ')}`);
    chosen.push(best.m);
    for (const a of best.m.activities) missing.delete(a.type);
  }
  return chosen;
}

/** Records speech synthesis calls in every frame (headless Chromium has no voices to speak with). */
async function spyOnSpeech(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const calls: { text: string; lang: string }[] = [];
    (window as unknown as { __spoken: typeof calls }).__spoken = calls;
    if ('speechSynthesis' in window) {
      window.speechSynthesis.speak = (u: SpeechSynthesisUtterance) => {
        calls.push({ text: u.text, lang: u.lang });
      };
    }
  });
}

const signIn = (context: BrowserContext, name: string): Promise<Page> => signInToDemo(context, demo.demoUrl, name);

/** Signs a Year 8 pupil in, opens the course and returns the Waymark frame on the pupil home. */
async function pupilHome(context: BrowserContext, name: string): Promise<{ page: Page; frame: Frame }> {
  const page = await signIn(context, name);
  await page.getByRole('link', { name: 'Year 8 Careers' }).first().click();
  await page.waitForURL(/\/demo\/courses\//);
  const frame = await toolFrame(page, /\/pupil$/);
  await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toBe('My career learning');
  return { page, frame };
}

/** Client-side navigation inside the frame (the launch token lives in memory, so no page load). */
async function openModule(frame: Frame, module: Module): Promise<void> {
  await frame.getByRole('link', { name: module.title.en, exact: true }).click();
  await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toBe(module.title.en);
}

async function activeElement(frame: Frame): Promise<{ tag: string; id: string; label: string }> {
  return frame.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const labels = (el as HTMLSelectElement | null)?.labels;
    return { tag: el?.tagName ?? '', id: el?.id ?? '', label: labels?.[0]?.textContent ?? '' };
  });
}

async function horizontalScroll(frame: Frame): Promise<boolean> {
  return frame.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** Does one activity through the UI the way a pupil would. */
async function doActivity(frame: Frame, activity: Activity, moduleId: string, pupilId: string): Promise<void> {
  const section = frame.locator('section.activity');
  await expect.poll(() => section.locator('h2').textContent()).toBe(activity.title.en);
  switch (activity.type) {
    case 'reflection':
      for (const prompt of activity.prompts) {
        await section.getByLabel(prompt.text.en, { exact: true }).fill(`My answer to ${prompt.id}`);
      }
      break;
    case 'choice':
    case 'picture-choice': {
      const option = activity.options[0]!;
      const role = activity.mode === 'single' ? 'radio' : 'checkbox';
      await section.getByRole(role, { name: option.label.en, exact: true }).check();
      // The authored feedback appears in the polite live region.
      await expect.poll(() => section.locator('[aria-live="polite"]').textContent()).toContain(option.feedback.en);
      break;
    }
    case 'sort': {
      // Keyboard only: from the focused heading, Tab to each card's "Move to" menu and choose with the arrow keys.
      await expect.poll(async () => (await activeElement(frame)).id).toBe('activity-title');
      for (const [i, card] of activity.cards.entries()) {
        for (let tries = 0; tries < 10; tries++) {
          await frame.page().keyboard.press('Tab');
          const el = await activeElement(frame);
          if (el.tag === 'SELECT') break;
        }
        const focused = await activeElement(frame);
        expect(focused.label).toContain(card.label.en);
        const target = card.category ?? activity.categories[i % activity.categories.length]!.id;
        const steps = activity.categories.findIndex((c) => c.id === target) + 1;
        for (let s = 0; s < steps; s++) await frame.page().keyboard.press('ArrowDown');
        const category = activity.categories.find((c) => c.id === target)!;
        await expect
          .poll(() => section.getByRole('status').textContent())
          .toContain(`“${card.label.en}” is now in “${category.label.en}”`);
      }
      await expect
        .poll(() => section.getByRole('status').textContent())
        .toContain(`${activity.cards.length} of ${activity.cards.length} cards sorted`);
      break;
    }
    case 'scale':
      for (const statement of activity.statements) {
        await section.getByRole('group', { name: statement.text.en, exact: true }).getByRole('radio').last().check();
      }
      break;
    case 'scenario':
      for (let step = 0; step < 20; step++) {
        if ((await section.getByRole('button', { name: 'Start again' }).count()) > 0) break;
        await section.getByRole('list', { name: 'What do you do?' }).getByRole('button').first().click();
      }
      await expect.poll(() => section.getByRole('button', { name: 'Start again' }).count()).toBe(1);
      break;
    case 'research':
      for (const field of activity.fields) {
        const value = field.kind === 'number' ? '3' : field.kind === 'url' ? 'https://example.org/job' : `Notes on ${field.id}`;
        await section.getByLabel(field.label.en, { exact: false }).first().fill(value);
      }
      break;
    case 'experience': {
      // The experience log is its own feature; an entry this pupil recorded is linked by its reference.
      const entry = await models.LogEntry.create({
        schoolId: 'demo',
        pupilId,
        createdBy: pupilId,
        encounterType: activity.encounterTypes[0],
        date: '2025-03-01',
        organisation: 'Test employer',
        hours: 1,
        reflection: {
          happened: { text: 'A visit' },
          aboutMe: { text: 'I like it' },
          aboutWork: { text: 'Busy' },
          nextStep: { text: 'Ask more' },
        },
        source: { moduleId, moduleVersion: 1, activityId: activity.id },
        reflectedAt: new Date(),
      });
      await section.getByLabel(/paste the log entry/i).fill(String(entry._id));
      await section.getByRole('button', { name: 'Link entry' }).click();
      await expect.poll(() => section.textContent()).toContain('Your log entry is linked to this activity.');
      break;
    }
    case 'plan': {
      await section.getByLabel(activity.goalPrompt.en, { exact: true }).fill('Find out about two careers');
      await section.getByRole('button', { name: 'Add a step' }).click();
      const steps = Math.max(activity.minSteps, 1) + 1;
      for (let n = 1; n <= steps; n++) {
        await section.getByLabel(`Step ${n}`, { exact: true }).fill(`Step number ${n}`);
        if (activity.datesRequired) await section.getByLabel(`Date for step ${n}`).fill(`2030-0${n}-01`);
      }
      if (steps > activity.minSteps) await section.getByRole('button', { name: `Remove step ${steps}` }).click();
      if (activity.supportPrompt) await section.getByLabel(activity.supportPrompt.en, { exact: true }).fill('My tutor');
      break;
    }
  }
  await expect.poll(() => frame.locator('.save-status').textContent(), { timeout: 15_000 }).toBe('Saved');
}

describe('pupil activity player', () => {
  const modules = modulesCoveringEveryType('S3');

  it('completes modules that together use every activity type, with feedback, a keyboard-only card sort and a rating', async () => {
    expect(new Set(modules.flatMap((m) => m.activities.map((a) => a.type)))).toEqual(new Set(ACTIVITY_TYPES));
    const context = await browser.newContext();
    await spyOnSpeech(context);
    const { frame } = await pupilHome(context, 'Amara');
    expect(await seriousAxeViolations(frame)).toEqual([]);
    const pupil = await models.User.findOne({ schoolId: 'demo', name: /^Amara/ }).lean();
    const pupilId = String(pupil!._id);

    for (const module of modules) {
      await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toBe('My career learning');
      await openModule(frame, module);
      expect(await frame.getByRole('progressbar').getAttribute('aria-valuemax')).toBe(String(module.activities.length));
      for (const [i, activity] of module.activities.entries()) {
        await expect
          .poll(() => frame.locator('.player__position').textContent())
          .toBe(`Activity ${i + 1} of ${module.activities.length}`);
        await doActivity(frame, activity, module.id, pupilId);
        if (i === 0 || activity.type === 'sort') expect(await seriousAxeViolations(frame)).toEqual([]);
        await frame.getByRole('button', { name: i + 1 < module.activities.length ? 'Next' : 'Finish' }).click();
      }
      await expect
        .poll(() => frame.locator('section.finish h2').textContent())
        .toBe(`Well done! You finished “${module.title.en}”`);
      for (const outcome of module.outcomes) expect(await frame.locator('.outcomes').textContent()).toContain(outcome.en);
      expect(await seriousAxeViolations(frame)).toEqual([]);
      await frame.getByRole('group', { name: 'Was this module useful?' }).getByRole('radio', { name: /4/ }).check();
      await frame.getByLabel(/Anything else/).fill('Good fun');
      await frame.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => frame.getByRole('status').filter({ hasText: 'Thank you' }).count()).toBe(1);
      await frame.getByRole('link', { name: 'Back to my career learning' }).click();
    }
    await expect.poll(() => frame.locator('h1').textContent()).toBe('My career learning');
    await expect.poll(() => frame.locator('.counts').textContent()).toContain(`${modules.length} modules completed`);
    await context.close();
  });

  it('reads prompts aloud in the UI language (en-GB, then nl-NL)', async () => {
    const context = await browser.newContext();
    await spyOnSpeech(context);
    const { frame } = await pupilHome(context, 'Ravi');
    const module = modules[0]!;
    await openModule(frame, module);
    await frame.getByRole('button', { name: 'Read aloud' }).first().click();
    const spoken = () => frame.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken);
    await expect.poll(async () => (await spoken()).length).toBe(1);
    expect((await spoken())[0]!.lang).toBe('en-GB');
    expect(textsOf(module.activities[0], 'en')).toContain((await spoken())[0]!.text);

    await frame.locator('.lang-switch select').selectOption('nl');
    await expect.poll(() => frame.locator('h1').textContent()).toBe(module.title.nl);
    await frame.getByRole('button', { name: 'Voorlezen' }).first().click();
    await expect.poll(async () => (await spoken()).length).toBe(2);
    expect((await spoken())[1]!.lang).toBe('nl-NL');
    expect(textsOf(module.activities[0], 'nl')).toContain((await spoken())[1]!.text);
    expect(await seriousAxeViolations(frame)).toEqual([]);
    await context.close();
  });

  it('loses nothing typed while the network is down, and saves it when the network is back', async () => {
    const context = await browser.newContext();
    const { frame } = await pupilHome(context, 'Tariq');
    const module = modules.find((m) => m.activities.some((a) => a.type === 'reflection'))!;
    const activity = module.activities.find((a) => a.type === 'reflection')!;
    await openModule(frame, module);
    await frame.getByRole('button', { name: new RegExp(`^Go to activity ${module.activities.indexOf(activity) + 1}:`) }).click();
    const box = frame.getByLabel(activity.prompts[0]!.text.en, { exact: true });
    await context.setOffline(true);
    await box.pressSequentially('Typed while the wifi was down', { delay: 5 });
    await box.blur();
    await expect
      .poll(() => frame.locator('.save-status').textContent(), { timeout: 15_000 })
      .toBe('Offline – your answers are kept and will be saved');
    expect(await seriousAxeViolations(frame)).toEqual([]);
    await context.setOffline(false);
    await expect.poll(() => frame.locator('.save-status').textContent(), { timeout: 20_000 }).toBe('Saved');
    const pupil = await models.User.findOne({ schoolId: 'demo', name: /^Tariq/ }).lean();
    await expect
      .poll(async () => JSON.stringify(await storedAnswer(String(pupil!._id), module.id, activity.id)))
      .toContain('Typed while the wifi was down');
    await context.close();
  });

  // The tool runs in a cross-site frame of the LMS. Chrome gives such a frame its own partitioned localStorage, but
  // Playwright launches Chromium with storage partitioning off (its issue 32230), and a fresh context then denies
  // the frame storage altogether; so this test runs in a browser with partitioning on, as Chrome ships. (Without it
  // nothing was ever kept, and the test passed only because the closing page's send escaped the offline emulation.)
  it('keeps unsent answers in the browser when the page closes offline, and sends them on the next visit', async () => {
    const chrome = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        // Replaces Playwright's --disable-features list: the same page-behaviour entries, partitioning left on.
        '--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,PaintHolding,AvoidCorsURLLoaderRestartOnRedirect',
      ],
    });
    try {
      const context = await chrome.newContext();
      const first = await pupilHome(context, 'Callum');
      const module = modules.find((m) => m.activities.some((a) => a.type === 'reflection'))!;
      const activity = module.activities.find((a) => a.type === 'reflection')!;
      const pupil = await models.User.findOne({ schoolId: 'demo', name: /^Callum/ }).lean();
      const text = 'Written just before the tab closed';
      const kept = (frame: Frame) =>
        frame.evaluate(() =>
          Object.keys(localStorage)
            .map((k) => localStorage.getItem(k) ?? '')
            .join('\n'),
        );
      await openModule(first.frame, module);
      await first.frame
        .getByRole('button', { name: new RegExp(`^Go to activity ${module.activities.indexOf(activity) + 1}:`) })
        .click();
      await context.setOffline(true);
      await first.frame.getByLabel(activity.prompts[0]!.text.en, { exact: true }).fill(text);
      await expect
        .poll(() => first.frame.locator('.save-status').textContent(), { timeout: 15_000 })
        .toBe('Offline – your answers are kept and will be saved');
      expect(await kept(first.frame)).toContain(text);
      // Offline emulation belongs to the page and ends with it, so the send the player makes while closing would get
      // through; fail it as a real offline close would.
      await first.frame.evaluate(() => {
        window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
      });
      await first.page.close();
      await context.setOffline(false);

      const second = await pupilHome(context, 'Callum');
      // Nothing reached the server from the closed page: what follows is the next visit's doing.
      expect(JSON.stringify(await storedAnswer(String(pupil!._id), module.id, activity.id))).not.toContain(text);
      await openModule(second.frame, module);
      await expect
        .poll(async () => JSON.stringify(await storedAnswer(String(pupil!._id), module.id, activity.id)), { timeout: 20_000 })
        .toContain(text);
      await expect.poll(() => kept(second.frame)).not.toContain(text);
      await context.close();
    } finally {
      await chrome.close();
    }
  });

  it('fits a 320 px phone and has no serious axe violations in Dutch, home and player', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 720 } });
    const { frame } = await pupilHome(context, 'Zofia');
    expect(await horizontalScroll(frame)).toBe(false);
    await frame.locator('.lang-switch select').selectOption('nl');
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Mijn loopbaanleren');
    expect(await seriousAxeViolations(frame)).toEqual([]);
    const module = modules.find((m) => m.activities.some((a) => a.type === 'sort'))!;
    await frame.getByRole('link', { name: module.title.nl, exact: true }).click();
    await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toBe(module.title.nl);
    for (const [i] of module.activities.entries()) {
      await frame.getByRole('button', { name: new RegExp(`^Ga naar activiteit ${i + 1}:`) }).click();
      expect(await horizontalScroll(frame)).toBe(false);
      expect(await seriousAxeViolations(frame)).toEqual([]);
    }
    await context.close();
  });
});

/**
 * The pupil's answers as the server stored them: every answer is an immutable learning event (the fact and the
 * xAPI outbox, issue item 9), so the newest event of this pupil for this activity holds what was saved.
 */
async function storedAnswer(pupilId: string, moduleId: string, activityId: string): Promise<unknown[]> {
  const events = await database.db.connection.collection('learning_events').find({ schoolId: 'demo' }).toArray();
  return events.filter((e) => {
    const json = JSON.stringify(e);
    return json.includes(pupilId) && json.includes(`"${moduleId}"`) && json.includes(`"${activityId}"`);
  });
}

/** Every text of an activity in one language (prompts, questions, instructions...). */
function textsOf(value: unknown, lang: 'en' | 'nl'): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => textsOf(v, lang));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.en === 'string' && typeof record.nl === 'string') return [record[lang] as string];
    return Object.values(record).flatMap((v) => textsOf(v, lang));
  }
  return [];
}
