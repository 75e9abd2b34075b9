/**
 * Grade passback through the real player: the teacher deep-links a module into the Year 10 course of the demo
 * LMS, a pupil opens the new activity, completes the module in the player and rates it; the score job reaches
 * the demo LMS gradebook; the teacher's feedback on the module appears in the pupil's player (English and
 * Dutch) with no serious axe violations.
 */
import type { Browser, Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import type { Activity } from '../../curriculum/schema.js';
import { createLogger } from '../../server/log.js';
import { processScoreJobs } from '../../server/modules/grades/service.js';
import { launchBrowser, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';
import { navigateInApp, openCourse, signIn, toolFrame } from '../support/demo-browser.js';

const database = await useTestDatabase();
const { models } = database;
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();
// An S4 (Year 10) module without card sorts or experience-log entries: quick to do through the UI.
const module = loadCurriculum().modules.get('s4-ready-for-a-new-start')!;

/** Does one activity through the UI the way a pupil would (the types this module uses). */
async function doActivity(frame: Frame, activity: Activity): Promise<void> {
  const section = frame.locator('section.activity');
  await expect.poll(() => section.locator('h2').textContent()).toBe(activity.title.en);
  switch (activity.type) {
    case 'reflection':
      for (const prompt of activity.prompts) {
        await section.getByLabel(prompt.text.en, { exact: true }).fill(`My answer to ${prompt.id}`);
      }
      break;
    case 'choice': {
      const option = activity.options[0]!;
      await section.getByRole(activity.mode === 'single' ? 'radio' : 'checkbox', { name: option.label.en, exact: true }).check();
      await expect.poll(() => section.locator('[aria-live="polite"]').textContent()).toContain(option.feedback.en);
      break;
    }
    case 'scenario':
      for (let step = 0; step < 20; step++) {
        if ((await section.getByRole('button', { name: 'Start again' }).count()) > 0) break;
        await section.getByRole('list', { name: 'What do you do?' }).getByRole('button').first().click();
      }
      await expect.poll(() => section.getByRole('button', { name: 'Start again' }).count()).toBe(1);
      break;
    case 'plan':
      await section.getByLabel(activity.goalPrompt.en, { exact: true }).fill('A college place in September; back-up: sixth form');
      for (let n = 1; n <= activity.minSteps; n++) {
        await section.getByLabel(`Step ${n}`, { exact: true }).fill(`Step number ${n}`);
        if (activity.datesRequired) await section.getByLabel(`Date for step ${n}`).fill(`2030-0${n}-01`);
      }
      if (activity.supportPrompt) await section.getByLabel(activity.supportPrompt.en, { exact: true }).fill('My tutor, by email');
      break;
    default:
      throw new Error(`this test does not do ${activity.type} activities`);
  }
  await expect.poll(() => frame.locator('.save-status').textContent(), { timeout: 15_000 }).toBe('Saved');
}

/** The text of the pupil's cell in the gradebook column of `title`. */
async function gradebookCell(teacher: Page, pupil: RegExp, title: string): Promise<string> {
  await teacher.goto(`${demo.demoUrl}/courses/demo-course-y10/grades`);
  const headers = await teacher.locator('thead th').allTextContents();
  const column = headers.findIndex((h) => h.includes(title));
  expect(column).toBeGreaterThan(0);
  const row = teacher.getByRole('row', { name: pupil });
  return (await row.locator('th, td').nth(column).textContent()) ?? '';
}

const asShown = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, ''));

describe('grade passback through the real player', () => {
  it('sends the score of a module completed in the player to the LMS gradebook, and shows the teacher feedback to the pupil', async () => {
    expect(module.stage).toBe('S4');
    // The teacher deep-links the module into the Year 10 course.
    const teacherContext = await browser.newContext();
    const teacher = await signIn(teacherContext, demo.demoUrl, 'Hannah');
    await openCourse(teacher, 'Year 10 Careers');
    await teacher.getByRole('link', { name: 'Add Waymark activity' }).click();
    const picker = await toolFrame(teacher, /\/teacher\/select-modules/);
    await expect.poll(() => picker.locator('h1').textContent(), { timeout: 15_000 }).toBe('Add Waymark modules to your course');
    await picker.locator(`input[type="checkbox"][value="${module.id}"]`).check();
    await picker.getByRole('button', { name: 'Add 1 module' }).click();
    await teacher.waitForURL(/\/demo\/courses\/demo-course-y10$/, { timeout: 20_000 });
    expect(await gradebookCell(teacher, /Sofia/, module.title.en)).not.toMatch(/\d+ \/ 100/);

    // The pupil opens the new activity from the course page and does the module in the player.
    const pupilContext = await browser.newContext();
    const pupilPage = await signIn(pupilContext, demo.demoUrl, 'Sofia');
    await openCourse(pupilPage, 'Year 10 Careers');
    await pupilPage.getByRole('link', { name: module.title.en }).first().click();
    const frame = await toolFrame(pupilPage, new RegExp(`/pupil/modules/${module.id}`));
    await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toBe(module.title.en);
    expect(await frame.getByRole('heading', { name: 'Feedback from your teacher' }).count()).toBe(0);
    for (const [i, activity] of module.activities.entries()) {
      await doActivity(frame, activity);
      await frame.getByRole('button', { name: i + 1 < module.activities.length ? 'Next' : 'Finish' }).click();
    }
    await expect
      .poll(() => frame.locator('section.finish h2').textContent())
      .toBe(`Well done! You finished “${module.title.en}”`);
    await frame.getByRole('group', { name: 'Was this module useful?' }).getByRole('radio', { name: /5/ }).check();
    await frame.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => frame.getByRole('status').filter({ hasText: 'Thank you' }).count()).toBe(1);

    const sofia = await models.User.findOne({ schoolId: 'demo', name: /^Sofia/ }).lean();
    const attempt = await models.ModuleAttempt.findOne({
      schoolId: 'demo',
      userId: String(sofia!._id),
      moduleId: module.id,
    }).lean();
    expect(attempt?.status).toBe('completed');
    expect(attempt?.rating).toBe(5);
    const score = attempt!.score as number;
    expect(score).toBeGreaterThanOrEqual(0);

    // No background worker runs in the test server: deliver the queued score job now.
    const delivered = await processScoreJobs({ models, runtime: demo.lti, logger: createLogger('silent') });
    expect(delivered).toMatchObject({ sent: 1 });
    await expect.poll(() => gradebookCell(teacher, /Sofia/, module.title.en)).toContain(`${asShown(score)} / 100`);

    // The teacher writes feedback on Sofia's work in Waymark (class view → pupil's module work).
    await openCourse(teacher, 'Year 10 Careers');
    const classView = await toolFrame(teacher, /\/teacher/);
    await expect.poll(() => classView.locator('h1').textContent(), { timeout: 15_000 }).toBe('My classes');
    await navigateInApp(classView, `/teacher/pupils/${String(sofia!._id)}/modules/${module.id}`);
    const feedbackText = 'Your plan has clear dates. Add an open day to step 2.';
    await classView.getByLabel('Your feedback for the pupil').fill(feedbackText);
    await classView.getByRole('button', { name: 'Send feedback' }).click();
    await expect.poll(() => classView.getByRole('status').filter({ hasText: 'Feedback sent.' }).count()).toBe(1);

    // The pupil reopens the module and reads it.
    await navigateInApp(frame, '/pupil');
    await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toBe('My career learning');
    await navigateInApp(frame, `/pupil/modules/${module.id}`);
    const section = frame.getByRole('region', { name: 'Feedback from your teacher' });
    await expect.poll(() => section.count(), { timeout: 15_000 }).toBe(1);
    expect(await section.textContent()).toContain(feedbackText);
    expect(await section.textContent()).toMatch(/From Hannah Clarke on \d{1,2} \w+ \d{4}/);
    expect(await seriousAxeViolations(frame)).toEqual([]);

    await frame.locator('.lang-switch select').selectOption('nl');
    const dutch = frame.getByRole('region', { name: 'Feedback van je docent' });
    await expect.poll(() => dutch.count()).toBe(1);
    expect(await dutch.textContent()).toMatch(/Van Hannah Clarke op \d{1,2} \w+ \d{4}/);
    expect(await seriousAxeViolations(frame)).toEqual([]);

    await teacherContext.close();
    await pupilContext.close();
  });
});
