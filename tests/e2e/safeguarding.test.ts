/**
 * Safeguarding in a real browser, inside the demo LMS iframe: the teacher reports a concern from a pupil's log
 * entry through an accessible dialog (labelled, Escape closes and returns focus); the careers leader reads it on
 * the safeguarding page. axe finds no serious or critical problems, in English and Dutch.
 */
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launchBrowser, seriousAxeViolations } from '../support/browser.js';
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

async function heading(frame: Frame, text: string): Promise<void> {
  await expect.poll(() => frame.locator('h1').first().textContent(), { timeout: 15_000 }).toBe(text);
}

describe('safeguarding', () => {
  it('a teacher reports a concern from a log entry and the careers leader reads it', async () => {
    // The pupil launches once so the roster knows them; their log entry is the log feature's business.
    const pupilContext = await browser.newContext();
    await toolFrame(await signIn(pupilContext, 'Amara'), /\/pupil/);
    const pupil = await models.User.findOne({ schoolId: 'demo', name: /^Amara/ }).lean();
    const pupilId = String(pupil!._id);
    await models.LogEntry.create({
      schoolId: 'demo',
      pupilId,
      createdBy: pupilId,
      encounterType: 'workplace-visit',
      date: '2025-03-01',
      organisation: 'Riverside Garage',
      hours: 2,
      revision: 1,
    });
    await pupilContext.close();

    const teacherContext = await browser.newContext();
    const teacher = await toolFrame(await signIn(teacherContext, 'Hannah'), /\/teacher/);
    await expect.poll(() => teacher.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await navigate(teacher, `/teacher/log/pupils/${pupilId}`);
    await heading(teacher, 'Experience log of Amara Okafor');
    const open = teacher.getByRole('button', { name: 'Report a concern about Riverside Garage' });
    await open.click();
    const dialog = teacher.getByRole('dialog', { name: 'Report a safeguarding concern' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await seriousAxeViolations(teacher)).toEqual([]);
    // Escape closes it and gives focus back to the button.
    await teacher.page().keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await open.evaluate((el) => el === document.activeElement)).toBe(true);

    await open.click();
    await dialog.getByLabel('What did you read or hear, and why does it worry you?').fill('Mentions being hurt at home.');
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await expect
      .poll(() => teacher.locator('main').textContent())
      .toContain('Your concern was sent to the safeguarding contact.');
    expect(await models.SafeguardingConcern.countDocuments({ schoolId: 'demo', pupilId })).toBe(1);
    await teacherContext.close();

    const plannerContext = await browser.newContext();
    const planner = await toolFrame(await signIn(plannerContext, 'Fatima'), /\/(planner|teacher)/);
    await expect.poll(() => planner.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await navigate(planner, '/planner/safeguarding');
    await heading(planner, 'Safeguarding');
    await expect.poll(() => planner.locator('main').textContent(), { timeout: 15_000 }).toContain('Mentions being hurt at home.');
    expect(await seriousAxeViolations(planner)).toEqual([]);
    await planner.getByRole('combobox', { name: 'Language' }).selectOption('nl');
    await heading(planner, 'Veiligheid en zorg');
    expect(await seriousAxeViolations(planner)).toEqual([]);
    await planner.getByRole('combobox', { name: 'Taal' }).selectOption('en');
    expect(await models.SafeguardingAccessLog.countDocuments({ schoolId: 'demo' })).toBeGreaterThan(0);
    await plannerContext.close();
  });
});
