/**
 * Local opportunities and class sharing in a real browser, inside the demo LMS iframe: a teacher adds a local
 * opportunity linked to an occupation found through the explorer's search, edits it, and shares the jobs linked
 * to their subject with the class; a pupil of that class sees the shared jobs on the careers home, sees the
 * opportunity on the occupation page and turns it into a prefilled experience-log entry. axe finds no serious
 * or critical problems on the new pages in English and Dutch.
 */
import type { Browser, Frame } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launchBrowser, seriousAxeViolations, type AxeViolation } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';
import { navigateInApp as navigate, openCourse, signIn, toolFrame } from '../support/demo-browser.js';

const database = await useTestDatabase();
const { models } = database;
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();

const ELECTRICIAN = '4910419f-b4af-4f59-b544-9dbebc8a74f0';
// A start date in the recent past, so it is a valid date for a log entry.
const STARTS_ON = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString().slice(0, 10);

async function heading(frame: Frame, text: string): Promise<void> {
  await expect.poll(() => frame.locator('h1').first().textContent(), { timeout: 15_000 }).toBe(text);
}

async function setLanguage(frame: Frame, lang: 'en' | 'nl'): Promise<void> {
  await frame.locator('.lang-switch select').selectOption(lang);
  await expect.poll(() => frame.evaluate(() => document.documentElement.lang)).toBe(lang);
}

/** axe on the current page in English and Dutch (back to English after), collected under `name`. */
async function axeBothLanguages(frame: Frame, name: string, found: Record<string, AxeViolation[]>): Promise<void> {
  for (const lang of ['en', 'nl', 'en'] as const) {
    await setLanguage(frame, lang);
    const violations = await seriousAxeViolations(frame);
    if (violations.length > 0) found[`${lang} ${name}`] = violations;
  }
}

describe('local opportunities', () => {
  it('a teacher adds an opportunity linked to a job; a pupil sees it and turns it into a prefilled log entry', async () => {
    const found: Record<string, AxeViolation[]> = {};

    // The teacher opens the opportunities page from the explorer's navigation.
    const teacherContext = await browser.newContext();
    const teacherPage = await signIn(teacherContext, demo.demoUrl, 'Hannah');
    await openCourse(teacherPage, 'Year 8 Careers');
    const teacher = await toolFrame(teacherPage, /\/teacher/);
    await heading(teacher, 'My classes');
    await navigate(teacher, '/careers');
    await teacher.getByRole('link', { name: 'Local opportunities' }).click();
    await heading(teacher, 'Local opportunities');
    await expect
      .poll(() => teacher.locator('section[aria-labelledby="opp-list"]').textContent(), { timeout: 15_000 })
      .toContain('has not added any opportunities');
    await axeBothLanguages(teacher, 'opportunities (empty)', found);

    // Nothing filled in: each problem is named at its field.
    await teacher.getByRole('button', { name: 'Add opportunity' }).click();
    await expect
      .poll(() => teacher.locator('form p.error').allTextContents())
      .toEqual(expect.arrayContaining(['Give the opportunity a title.', 'Link at least one job.']));

    await teacher.getByLabel('Type').selectOption('work-experience');
    await teacher.getByLabel('Title').fill('A week with our electricians');
    await teacher.getByLabel('Employer or organisation').fill('Van Dijk Installaties');
    await teacher.getByLabel('Place (optional)').fill('Utrecht');
    await teacher.getByLabel('Starts on (optional)').fill(STARTS_ON);
    // Link a job by searching the explorer (a typo still finds it).
    await teacher.getByLabel('Find a job to link').fill('electrcian');
    await teacher.getByRole('button', { name: 'Find jobs' }).click();
    await teacher.getByRole('button', { name: 'Link electrician', exact: true }).click();
    await expect.poll(() => teacher.getByRole('list', { name: 'Linked jobs' }).textContent()).toContain('electrician');
    await teacher.getByRole('button', { name: 'Add opportunity' }).click();
    await expect
      .poll(() => teacher.getByRole('status').filter({ hasText: 'Added “A week with our electricians”.' }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    const item = teacher.locator('section[aria-labelledby="opp-list"] li.card');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.textContent()).toContain('electrician');

    // Edit it: the form is filled in with its details.
    await teacher.getByRole('button', { name: 'Edit A week with our electricians' }).click();
    await expect.poll(() => teacher.getByLabel('Title').inputValue()).toBe('A week with our electricians');
    await teacher.getByLabel('Title').fill('Two weeks with our electricians');
    await teacher.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => item.locator('h3').textContent(), { timeout: 15_000 }).toBe('Two weeks with our electricians');
    const stored = await models.Opportunity.findOne({ schoolId: 'demo' }).lean();
    expect(stored).toMatchObject({
      title: 'Two weeks with our electricians',
      employer: 'Van Dijk Installaties',
      startsOn: STARTS_ON,
      occupationIds: [ELECTRICIAN],
    });
    await axeBothLanguages(teacher, 'opportunities (one added)', found);

    // From an occupation page, staff start a new opportunity with that job linked already.
    await navigate(teacher, `/careers/occupations/${ELECTRICIAN}`);
    await heading(teacher, 'electrician');
    await teacher.getByRole('link', { name: 'Add an opportunity for this job' }).click();
    await heading(teacher, 'Local opportunities');
    await expect
      .poll(() => teacher.getByRole('list', { name: 'Linked jobs' }).textContent(), { timeout: 15_000 })
      .toContain('electrician');

    // Share the jobs linked to maths with the class.
    await navigate(teacher, '/careers/class-subject');
    await heading(teacher, 'Jobs linked to my subject');
    await teacher.getByLabel('Subject').selectOption('maths');
    await teacher.getByRole('button', { name: /^Share these with / }).click();
    await expect
      .poll(
        () =>
          teacher
            .getByRole('status')
            .filter({ hasText: /^Shared: pupils in / })
            .count(),
        { timeout: 15_000 },
      )
      .toBe(1);
    await axeBothLanguages(teacher, 'class-subject (shared)', found);
    await teacherContext.close();

    // A pupil of the class sees the shared jobs on the careers home.
    const pupilContext = await browser.newContext();
    const pupilPage = await signIn(pupilContext, demo.demoUrl, 'Amara');
    await openCourse(pupilPage, 'Year 8 Careers');
    const pupil = await toolFrame(pupilPage, /\/pupil/);
    await expect.poll(() => pupil.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await navigate(pupil, '/careers');
    await heading(pupil, 'Search jobs');
    const shared = pupil.locator('section[aria-labelledby="careers-shared"]');
    await expect
      .poll(() => shared.locator('h2').first().textContent(), { timeout: 15_000 })
      .toBe('Jobs your teacher shared: Maths');
    expect(await shared.locator('.careers-grid li').count()).toBeGreaterThan(0);
    await axeBothLanguages(pupil, 'careers home (shared)', found);

    // The opportunity is on the occupation page; taking it up opens a prefilled log entry.
    await navigate(pupil, `/careers/occupations/${ELECTRICIAN}`);
    await heading(pupil, 'electrician');
    const local = pupil.locator('section[aria-labelledby="occ-local"]');
    await expect.poll(() => local.locator('h3').textContent(), { timeout: 15_000 }).toBe('Two weeks with our electricians');
    await axeBothLanguages(pupil, 'occupation with opportunity', found);
    await local.getByRole('link', { name: /^I took this up/ }).click();
    await heading(pupil, 'Add an encounter');
    expect(new URL(pupil.url()).searchParams.get('opportunity')).toBe(String(stored?._id));
    await expect.poll(() => pupil.getByLabel('Organisation').inputValue(), { timeout: 15_000 }).toBe('Van Dijk Installaties');
    expect(await pupil.getByLabel('Type of encounter').inputValue()).toBe('work-experience');
    expect(await pupil.getByLabel('Date').inputValue()).toBe(STARTS_ON);
    expect(await pupil.getByRole('status').filter({ hasText: 'Filled in from the opportunity' }).count()).toBe(1);
    await axeBothLanguages(pupil, 'log entry from opportunity', found);
    await pupil.getByLabel('What happened?').fill('I helped wire a new kitchen.');
    await pupil.getByRole('button', { name: 'Save encounter' }).click();
    await heading(pupil, 'My encounter');
    const amara = await models.User.findOne({ schoolId: 'demo', name: 'Amara Okafor' }).lean();
    const entry = await models.LogEntry.findOne({ schoolId: 'demo', pupilId: String(amara?._id) }).lean();
    expect(entry).toMatchObject({ organisation: 'Van Dijk Installaties', encounterType: 'work-experience', date: STARTS_ON });
    await pupilContext.close();

    expect(found).toEqual({});
  });

  it('fits a 320 px phone without sideways scrolling (new-window launch)', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await signIn(context, demo.demoUrl, 'Hannah');
    await openCourse(page, 'Year 8 Careers');
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('link', { name: /Open in new window/ }).click(),
    ]);
    await popup.waitForURL(/localhost:\d+\/teacher/, { timeout: 20_000 });
    await expect.poll(() => popup.locator('h1').first().textContent(), { timeout: 15_000 }).toBe('My classes');
    const wide: string[] = [];
    for (const lang of ['en', 'nl'] as const) {
      await popup.locator('.lang-switch select').selectOption(lang);
      await expect.poll(() => popup.evaluate(() => document.documentElement.lang)).toBe(lang);
      await popup.evaluate(() => {
        window.history.pushState(null, '', '/careers/opportunities');
        window.dispatchEvent(new PopStateEvent('popstate'));
      });
      await expect.poll(() => popup.locator('section[aria-labelledby="opp-list"] li.card').count(), { timeout: 15_000 }).toBe(1);
      const scrolls = await popup.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
      if (scrolls) wide.push(lang);
    }
    expect(wide).toEqual([]);
    await context.close();
  });

  it('a planner removes an opportunity after confirming', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, demo.demoUrl, 'Fatima');
    await openCourse(page, 'Year 10 Careers');
    const planner = await toolFrame(page, /\/planner/);
    await heading(planner, 'Whole-school overview');
    await navigate(planner, '/careers/opportunities');
    await heading(planner, 'Local opportunities');
    const item = planner.locator('section[aria-labelledby="opp-list"] li.card');
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
    await planner.getByRole('button', { name: 'Remove Two weeks with our electricians' }).click();
    await planner.getByRole('button', { name: 'Yes, remove “Two weeks with our electricians”' }).click();
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(0);
    expect(await models.Opportunity.countDocuments({ schoolId: 'demo' })).toBe(0);
    await context.close();
  });
});
