/**
 * LTI in a real browser: the demo LMS (another site) launches Waymark inside an iframe for every role, with
 * third-party cookies blocked too; a teacher deep-links modules; a pupil's completion reaches the LMS gradebook,
 * also after the gradebook service was down and came back.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import { createLogger } from '../../server/log.js';
import { processScoreJobs, queueScore } from '../../server/modules/grades/service.js';
import { launchBrowser, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';
import { openCourse, signIn as signInToDemo, toolFrame } from '../support/demo-browser.js';

const database = await useTestDatabase();
const { models } = database;
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();
// A second browser that blocks third-party cookies, as Chrome's tracking protection and Safari do.
const strictBrowser: Browser = await launchBrowser([
  '--test-third-party-cookie-phaseout',
  '--enable-features=ThirdPartyStoragePartitioning',
]);

const signIn = (context: BrowserContext, name: string): Promise<Page> => signInToDemo(context, demo.demoUrl, name);

/** The Waymark frame inside the LMS page, once the launch has landed on a Waymark route. */

describe('launches from the demo LMS inside an iframe', () => {
  const people: [string, string, RegExp, string][] = [
    ['Amara', 'Year 8 Careers', /\/pupil/, 'My career learning'],
    ['Hannah', 'Year 8 Careers', /\/teacher/, 'My classes'],
    ['Daniel', 'Year 8 Careers', /\/adviser/, 'My caseload'],
    ['Fatima', 'Year 10 Careers', /\/planner/, 'Whole-school overview'],
  ];
  for (const [name, course, route, heading] of people) {
    it(`launches ${name} into the ${heading} page, cross-site, with no serious axe violations`, async () => {
      const context = await browser.newContext();
      const page = await signIn(context, name);
      await openCourse(page, course);
      const frame = await toolFrame(page, route);
      expect(new URL(frame.url()).host).not.toBe(new URL(page.url()).host);
      await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toBe(heading);
      expect(await seriousAxeViolations(frame)).toEqual([]);
      await context.close();
    });
  }

  it('launches a pupil with third-party cookies blocked (platform storage binds the browser)', async () => {
    const context = await strictBrowser.newContext();
    const page = await signIn(context, 'Ravi');
    await openCourse(page, 'Year 8 Careers');
    const frame = await toolFrame(page, /\/pupil/);
    await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toBe('My career learning');
    // Nothing unpartitioned was stored for the tool's site: the launch did not rely on third-party cookies.
    const toolCookies = (await context.cookies()).filter((c) => c.domain === 'localhost' && !c.partitionKey);
    expect(toolCookies).toEqual([]);
    const user = await models.User.findOne({ schoolId: 'demo', name: 'Ravi Patel' }).lean();
    expect(user?.role).toBe('pupil');
    expect(user?.yearGroup).toBe('EN-Y8'); // from the placement's year_group custom parameter
    await context.close();
  });

  it('launches in a new window with the partitioned state cookie', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, 'Zofia');
    await openCourse(page, 'Year 8 Careers');
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('link', { name: /Open in new window/ }).click(),
    ]);
    await popup.waitForURL(/localhost:\d+\/pupil/, { timeout: 20_000 });
    await expect.poll(() => popup.locator('h1').textContent()).toBe('My career learning');
    await context.close();
  });
});

describe('deep linking and grades', () => {
  it('lets the teacher deep-link two modules; a pupil completion reaches the gradebook, also after an outage', async () => {
    const context = await browser.newContext();
    const teacher = await signIn(context, 'Hannah');
    await openCourse(teacher, 'Year 10 Careers');
    await teacher.getByRole('link', { name: 'Add Waymark activity' }).click();
    const picker = await toolFrame(teacher, /\/teacher\/select-modules/);
    await expect.poll(() => picker.locator('h1').textContent(), { timeout: 15_000 }).toBe('Add Waymark modules to your course');
    expect(await seriousAxeViolations(picker)).toEqual([]);
    const boxes = picker.getByRole('checkbox');
    await expect.poll(() => boxes.count()).toBeGreaterThanOrEqual(2);
    const first = (await boxes.nth(0).getAttribute('value'))!;
    const second = (await boxes.nth(1).getAttribute('value'))!;
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await picker.getByRole('button', { name: 'Add 2 modules' }).click();
    // The LMS receives the signed response and creates two activities with gradebook columns.
    // The LMS verifies the signed response, creates the activities and returns the teacher to the course.
    await teacher.waitForURL(/\/demo\/courses\/demo-course-y10$/, { timeout: 20_000 });
    await teacher.goto(`${demo.demoUrl}/courses/demo-course-y10/grades`);
    const gradebook = (await teacher.locator('main').textContent()) ?? '';
    const curriculum = loadCurriculum();
    const titles = [first, second].map((id) => curriculum.modules.get(id));
    for (const t of titles) expect(gradebook).toContain(t?.title.en);

    // A pupil opens the first new activity: Waymark learns the placement, its module and its line item.
    const pupilContext = await browser.newContext();
    const pupil = await signIn(pupilContext, 'Aisha');
    await openCourse(pupil, 'Year 10 Careers');
    await pupil.getByRole('link', { name: titles[0]!.title.en }).first().click();
    const frame = await toolFrame(pupil, new RegExp(`/pupil/modules/${first}`));
    await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toBe(titles[0]!.title.en);
    const link = await models.ResourceLink.findOne({ schoolId: 'demo', moduleId: first }).lean();
    const aisha = await models.User.findOne({ schoolId: 'demo', name: 'Aisha Rahman' }).lean();
    expect(link?.ags?.lineItemUrl).toBeTruthy();

    // The completion, recorded through the service the player calls, while the LMS gradebook service is down.
    await fetch(`${demo.demoUrl}/api/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agsDown: true }),
    });
    await queueScore(models, {
      schoolId: 'demo',
      resourceLinkId: String(link!._id),
      userId: String(aisha!._id),
      scoreGiven: 80,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    const quiet = createLogger('silent');
    const down = await processScoreJobs({ models, runtime: demo.lti, logger: quiet });
    expect(down).toMatchObject({ sent: 0, retried: 1 });
    const waiting = await models.ScoreJob.findOne({ schoolId: 'demo', userId: String(aisha!._id) }).lean();
    expect(waiting?.status).toBe('pending');
    expect(waiting?.lastError).toBeTruthy();

    // The service comes back; the job is due again (as after its Retry-After) and is delivered once.
    await fetch(`${demo.demoUrl}/api/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agsDown: false }),
    });
    await models.ScoreJob.updateOne({ schoolId: 'demo', _id: waiting!._id }, { $set: { nextAttemptAt: new Date(0) } });
    const up = await processScoreJobs({ models, runtime: demo.lti, logger: quiet });
    expect(up).toMatchObject({ sent: 1 });
    expect((await models.ScoreJob.findOne({ schoolId: 'demo', _id: waiting!._id }).lean())?.status).toBe('sent');

    await teacher.goto(`${demo.demoUrl}/courses/demo-course-y10/grades`);
    const row = teacher.getByRole('row', { name: /Aisha Rahman/ });
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('80');
    await context.close();
    await pupilContext.close();
  });
});
