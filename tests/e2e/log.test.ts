/**
 * The experiential-learning log in a real browser, inside the demo LMS iframe: a pupil logs an encounter with a
 * Kolb reflection and asks the host to confirm; the teacher verifies it; the host confirms through the one-time
 * link in a fresh browser context with no session. axe finds no serious or critical problems, in English and Dutch.
 */
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasHorizontalScroll, launchBrowser, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';
import { navigateInApp as navigate, openCourse, signIn as signInToDemo, toolFrame } from '../support/demo-browser.js';

const database = await useTestDatabase();
const { models } = database;
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();

async function signIn(context: BrowserContext, name: string): Promise<Page> {
  const page = await signInToDemo(context, demo.demoUrl, name);
  await openCourse(page, 'Year 8 Careers');
  return page;
}

/** Client-side navigation inside the tool (the launch token lives in memory, so no page load). */

async function heading(frame: Frame | Page, text: string): Promise<void> {
  await expect.poll(() => frame.locator('h1').first().textContent(), { timeout: 15_000 }).toBe(text);
}

async function inDutch(frame: Frame | Page, check: () => Promise<void>): Promise<void> {
  await frame.getByRole('combobox', { name: 'Language' }).selectOption('nl');
  await check();
  await frame.getByRole('combobox', { name: 'Taal' }).selectOption('en');
}

async function noSeriousViolations(frame: Frame | Page): Promise<void> {
  expect(await seriousAxeViolations(frame)).toEqual([]);
}

describe('experiential-learning log', () => {
  it('a pupil logs and reflects, the teacher verifies, the host confirms through the link', async () => {
    // The pupil adds an encounter with a reflection inside the LMS iframe.
    const pupilContext = await browser.newContext();
    const pupilPage = await signIn(pupilContext, 'Amara');
    const pupil = await toolFrame(pupilPage, /\/pupil/);
    await expect.poll(() => pupil.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await navigate(pupil, '/pupil/log');
    await heading(pupil, 'My experience log');
    await noSeriousViolations(pupil);
    await inDutch(pupil, async () => {
      await heading(pupil, 'Mijn ervaringslogboek');
      await noSeriousViolations(pupil);
    });

    await pupil.getByRole('link', { name: 'Add an encounter' }).click();
    await heading(pupil, 'Add an encounter');
    await noSeriousViolations(pupil);
    await pupil.getByRole('button', { name: 'Save encounter' }).click();
    await expect.poll(() => pupil.getByRole('alert').textContent()).toContain('Choose the type of encounter.');

    await pupil.getByLabel('Type of encounter').selectOption('workplace-visit');
    await pupil.getByLabel('Date').fill('2024-03-14');
    await pupil.getByLabel('Organisation').fill('City Hospital');
    await pupil.getByLabel('Hours', { exact: true }).fill('2.5');
    await pupil.getByLabel('What happened?').fill('We visited the children’s ward and met two nurses.');
    await pupil.getByLabel('What did I learn about myself?').fill('I stay calm when it is busy.');
    await pupil.getByRole('checkbox', { name: 'Keep private (only I can read this)' }).nth(1).check();
    await pupil.getByLabel('What did I learn about work?').fill('Nurses work in shifts, also at night.');
    await pupil.getByLabel('What will I do next?').fill('Ask about volunteering at the care home.');
    await pupil.getByRole('checkbox', { name: 'I asked questions' }).check();
    await inDutch(pupil, async () => {
      await heading(pupil, 'Ontmoeting toevoegen');
      await noSeriousViolations(pupil);
    });
    await pupil.getByRole('button', { name: 'Save encounter' }).click();
    await heading(pupil, 'My encounter');
    const amara = await models.User.findOne({ schoolId: 'demo', name: 'Amara Okafor' }).lean();
    const entry = await models.LogEntry.findOne({ schoolId: 'demo', pupilId: String(amara!._id) }).lean();
    expect(entry).toMatchObject({ organisation: 'City Hospital', hours: 2.5, encounterType: 'workplace-visit' });
    expect(entry?.reflection?.aboutMe).toMatchObject({ private: true });
    expect(entry?.reflectedAt).toBeTruthy();
    await noSeriousViolations(pupil);

    await pupil.getByRole('button', { name: 'Get a confirmation link' }).click();
    const linkBox = pupil.getByLabel('Link for the host');
    await expect.poll(() => linkBox.inputValue()).toMatch(/\/host\/confirm\//);
    const hostUrl = await linkBox.inputValue();

    // The teacher opens the class log and verifies the entry; the private answer stays private.
    const teacherContext = await browser.newContext();
    const teacherPage = await signIn(teacherContext, 'Hannah');
    const teacher = await toolFrame(teacherPage, /\/teacher/);
    await expect.poll(() => teacher.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await navigate(teacher, '/teacher/log');
    await heading(teacher, 'Experience logs');
    await noSeriousViolations(teacher);
    await teacher.getByRole('link', { name: 'Amara Okafor' }).click();
    await heading(teacher, 'Experience log of Amara Okafor');
    expect(await teacher.locator('main').textContent()).toContain('The pupil kept this answer private.');
    expect(await teacher.locator('main').textContent()).not.toContain('I stay calm when it is busy.');
    await noSeriousViolations(teacher);
    await inDutch(teacher, async () => {
      await heading(teacher, 'Ervaringslogboek van Amara Okafor');
      await noSeriousViolations(teacher);
    });
    await teacher.getByRole('button', { name: 'Verify City Hospital' }).click();
    await expect.poll(() => teacher.getByRole('status').filter({ hasText: 'Entry verified.' }).count()).toBe(1);
    expect((await models.LogEntry.findOne({ schoolId: 'demo', _id: entry!._id }).lean())?.verification?.role).toBe('teacher');
    await teacher.getByLabel('Comment on City Hospital').fill('Well prepared: your questions were good.');
    await teacher.getByRole('button', { name: 'Send comment' }).click();
    await expect.poll(() => teacher.getByRole('status').filter({ hasText: 'Comment sent.' }).count()).toBe(1);
    expect(await teacher.getByLabel('Comment on City Hospital').inputValue()).toBe('');
    expect(JSON.stringify((await models.LogEntry.findOne({ schoolId: 'demo', _id: entry!._id }).lean())?.comments)).toContain(
      'Well prepared: your questions were good.',
    );

    // The host opens the link in a fresh browser: no LMS, no session.
    const hostContext = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const host = await hostContext.newPage();
    await host.goto(hostUrl);
    await heading(host, 'Please confirm an encounter');
    expect(await host.locator('main').textContent()).toContain('Amara logged a Workplace visit with City Hospital');
    expect(await host.locator('main').textContent()).not.toContain('Okafor');
    await noSeriousViolations(host);
    await inDutch(host, async () => {
      await heading(host, 'Bevestig een ontmoeting');
      await noSeriousViolations(host);
    });
    expect(await hasHorizontalScroll(host)).toBe(false);
    await host.getByLabel('Feedback for the pupil (optional)').fill('Amara asked thoughtful questions.');
    await host.getByRole('button', { name: 'Confirm this encounter' }).click();
    await heading(host, 'Thank you');
    await noSeriousViolations(host);
    const confirmed = await models.LogEntry.findOne({ schoolId: 'demo', _id: entry!._id }).lean();
    expect(confirmed?.host?.feedback).toBe('Amara asked thoughtful questions.');

    // The link works once.
    const again = await hostContext.newPage();
    await again.goto(hostUrl);
    await heading(again, 'This link no longer works');
    await noSeriousViolations(again);

    await Promise.all([pupilContext.close(), teacherContext.close(), hostContext.close()]);
  });
});
