/**
 * The external careers adviser and the pupil's readiness check in a real browser, inside the demo LMS iframe.
 * A Year 10 pupil takes the readiness check and sees a kind summary (no level); the adviser's Mentor launch shows
 * exactly the pupils shared with them (mentees with the consent the school requires) sorted by need; the review
 * page shows the scores table and the rule; another pupil's id gives the 404 page; the view is in the audit log;
 * a note marked for the pupil reaches the pupil's journey. axe finds no serious or critical problems (en and nl),
 * and the pages fit a 320 px phone.
 */
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { hasHorizontalScroll, launchBrowser, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';
import { navigateInApp as navigate, openCourse, signIn as signInToDemo, toolFrame } from '../support/demo-browser.js';
import { authHeader, buildUser } from '../support/factories.js';
import { giveConsent } from '../support/factories-advising.js';

const database = await useTestDatabase();
const { models } = database;
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();

async function launch(
  context: BrowserContext,
  name: string,
  course: string,
  route: RegExp,
): Promise<{ page: Page; frame: Frame }> {
  const page = await signInToDemo(context, demo.demoUrl, name);
  await openCourse(page, course);
  const frame = await toolFrame(page, route);
  await expect.poll(() => frame.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  return { page, frame };
}

const h1 = (frame: Frame | Page) => frame.locator('h1').first().textContent();
async function heading(frame: Frame | Page, text: string): Promise<void> {
  await expect.poll(() => h1(frame), { timeout: 15_000 }).toBe(text);
}

/** axe in English and in Dutch (after `ready` shows the Dutch page). */
async function axeBothLanguages(frame: Frame | Page, dutchHeading: string, englishHeading: string): Promise<void> {
  expect(await seriousAxeViolations(frame)).toEqual([]);
  await frame.getByRole('combobox', { name: 'Language' }).selectOption('nl');
  await heading(frame, dutchHeading);
  expect(await seriousAxeViolations(frame)).toEqual([]);
  await frame.getByRole('combobox', { name: 'Taal' }).selectOption('en');
  await heading(frame, englishHeading);
}

const userBySub = async (sub: string) => {
  const user = await models.User.findOne({ schoolId: 'demo', sub }).lean();
  if (!user) throw new Error(`no user ${sub}`);
  return { id: String(user._id), sub: user.sub, name: user.name ?? '' };
};

describe('readiness check and adviser review', () => {
  let kwameFrame: Frame;
  let kwameId = '';

  it('a Year 10 pupil takes the readiness check from their home page and sees a kind summary', async () => {
    const context = await browser.newContext();
    const { frame } = await launch(context, 'Kwame', 'Year 10 Careers', /\/pupil/);
    kwameFrame = frame;
    await frame.getByRole('link', { name: 'How ready do I feel for my next steps?' }).click();
    await heading(frame, 'How ready am I for my next steps?');
    await expect.poll(() => frame.locator('fieldset').count(), { timeout: 15_000 }).toBe(28);
    await axeBothLanguages(frame, 'Hoe klaar ben ik voor mijn volgende stappen?', 'How ready am I for my next steps?');

    // Every statement is a radio group named by its legend; answer each with the keyboard-reachable radios.
    const groups = frame.locator('fieldset');
    for (let i = 0; i < 28; i++) {
      const legend = (await groups.nth(i).locator('legend').textContent()) ?? '';
      // Unsure about most things, and worried about deciding: "Disagree" everywhere but the indecisive items.
      const choice = /hard to make decisions|very anxious/i.test(legend) ? 'Strongly agree' : 'Disagree';
      await groups.nth(i).getByRole('radio', { name: choice, exact: true }).check();
    }
    await frame.getByRole('button', { name: 'Send my answers' }).click();
    await expect.poll(() => frame.getByRole('heading', { name: 'Thank you for doing the check!' }).count()).toBe(1);
    const summary = (await frame.locator('main').textContent()) ?? '';
    // No labels for children: the level of help is for staff only.
    expect(summary).not.toMatch(/case-managed|staff-assisted|self-help|level|score/i);
    expect(await seriousAxeViolations(frame)).toEqual([]);

    const kwame = await userBySub('demo-pupil-08');
    kwameId = kwame.id;
    const stored = await models.ReadinessResult.findOne({ schoolId: 'demo', userId: kwame.id }).lean();
    expect(stored).toMatchObject({ kind: 'check', stage: 'S4', answered: 28 });
    expect(await models.LearningEvent.countDocuments({ schoolId: 'demo', userId: kwame.id, kind: 'readiness.completed' })).toBe(
      1,
    );
  });

  it('the adviser sees exactly the shared pupils, reviews one, and cannot open another pupil', async () => {
    // The teacher's launches sync both class rosters, so every pupil of the demo school is known to Waymark.
    const teacherContext = await browser.newContext();
    await launch(teacherContext, 'Hannah', 'Year 8 Careers', /\/teacher/);
    const teacherY10 = await teacherContext.newPage();
    await teacherY10.goto(demo.demoUrl);
    await openCourse(teacherY10, 'Year 10 Careers');
    await toolFrame(teacherY10, /\/teacher/);
    await expect.poll(() => models.User.countDocuments({ schoolId: 'demo', role: 'pupil' }), { timeout: 20_000 }).toBe(12);
    await teacherContext.close();

    // The adviser mentors Ravi, Mei, Kwame and Sofia; Sofia has no consent recorded, so she is not shared.
    const [ravi, mei, kwame, sofia, amara] = await Promise.all(
      ['demo-pupil-02', 'demo-pupil-05', 'demo-pupil-08', 'demo-pupil-09', 'demo-pupil-01'].map(userBySub),
    );
    await giveConsent(models, { id: 'demo' }, [ravi!, mei!, kwame!]);

    const context = await browser.newContext();
    const { frame } = await launch(context, 'Daniel', 'Year 8 Careers', /\/adviser/);
    await heading(frame, 'My caseload');
    await expect.poll(() => frame.locator('tbody tr').count(), { timeout: 15_000 }).toBe(3);
    const names = await frame.locator('tbody th').allTextContents();
    // Kwame has done the check, so he comes first; the others have no level yet (by name).
    expect(names).toEqual([kwame!.name, mei!.name, ravi!.name]);
    expect(names).not.toContain(sofia!.name);
    expect(names).not.toContain(amara!.name);
    await axeBothLanguages(frame, 'Mijn leerlingen', 'My caseload');

    // The review: competency table (the chart's text form), the rule, the record forms.
    await frame.getByRole('link', { name: kwame!.name }).click();
    await heading(frame, kwame!.name);
    await expect.poll(() => frame.locator('table tbody tr').count(), { timeout: 15_000 }).toBe(11);
    const stored = await models.ReadinessResult.findOne({ schoolId: 'demo', userId: kwameId }).lean();
    expect(await frame.locator('code').first().textContent()).toBe(stored?.rule?.id);
    await axeBothLanguages(frame, kwame!.name, kwame!.name);

    // A note for the pupil and an agreed level, through the forms.
    await frame.getByLabel('Note', { exact: true }).fill('Good talk. Visit the college open day in March.');
    await frame.getByRole('checkbox', { name: 'Show this note to the pupil in their career journey' }).check();
    await frame.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => frame.getByRole('status').first().textContent()).toContain('Note added.');
    await frame.getByRole('radio', { name: 'Brief staff-assisted' }).check();
    await frame.getByLabel('Follow-up date').fill('2020-02-03');
    await frame.getByRole('button', { name: 'Save level, follow-up and circumstances' }).click();
    await expect.poll(() => frame.getByRole('status').first().textContent()).toContain('Saved.');
    const adviser = await models.User.findOne({ schoolId: 'demo', role: 'adviser' }).lean();
    const review = await models.AdviserReview.findOne({
      schoolId: 'demo',
      pupilId: kwameId,
      adviserId: String(adviser?._id),
    }).lean();
    expect(review).toMatchObject({ agreedLevel: 'brief-staff-assisted', notes: [{ visibleToPupil: true }] });

    // Another pupil's id (in the same school, not shared) is the 404 page, and nothing is logged for it.
    await navigate(frame, `/adviser/pupils/${amara!.id}`);
    await heading(frame, 'Page not found');
    expect(await seriousAxeViolations(frame)).toEqual([]);
    await navigate(frame, `/adviser/pupils/${sofia!.id}`);
    await heading(frame, 'Page not found');

    // The view is in the audit log the planner reads.
    const planner = await buildUser(models, { id: 'demo' }, { role: 'planner' });
    const audit = await request(demo.toolUrl)
      .get(`/api/planner/sharing/audit?pupilId=${kwameId}`)
      .set('Authorization', await authHeader(planner));
    expect(audit.status, JSON.stringify(audit.body)).toBe(200);
    const entries = audit.body as { adviser: { userId: string }; pupil: { id: string }; what: string }[];
    expect(entries).toContainEqual(
      expect.objectContaining({
        what: 'readiness-review',
        pupil: expect.objectContaining({ id: kwameId }),
        adviser: expect.objectContaining({ userId: String(adviser?._id) }),
      }),
    );
    expect(await models.AdviserView.countDocuments({ schoolId: 'demo', pupilId: { $in: [amara!.id, sofia!.id] } })).toBe(0);

    // Back on the caseload, Kwame's follow-up is overdue and his agreed level is shown.
    await navigate(frame, '/adviser');
    await heading(frame, 'My caseload');
    await expect.poll(() => frame.locator('tbody tr').first().textContent(), { timeout: 15_000 }).toContain('(overdue)');
    await context.close();
  });

  it("the note marked for the pupil appears in the pupil's journey", async () => {
    await navigate(kwameFrame, '/pupil/journey');
    await heading(kwameFrame, 'My career journey');
    await expect
      .poll(() => kwameFrame.locator('.journey-item--adviser-note').textContent(), { timeout: 15_000 })
      .toContain('Good talk. Visit the college open day in March.');
    expect(await seriousAxeViolations(kwameFrame)).toEqual([]);
  });

  it('the caseload, the review and the check fit a 320 px phone (new-window launch)', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const wide: string[] = [];
    for (const [name, course, route, paths] of [
      ['Daniel', 'Year 8 Careers', /localhost:\d+\/adviser/, ['/adviser', `/adviser/pupils/${kwameId}`]],
      ['Kwame', 'Year 10 Careers', /localhost:\d+\/pupil/, ['/pupil/readiness']],
    ] as const) {
      const page = await signInToDemo(context, demo.demoUrl, name);
      await openCourse(page, course);
      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        page.getByRole('link', { name: /Open in new window/ }).click(),
      ]);
      await popup.waitForURL(route, { timeout: 20_000 });
      for (const path of paths) {
        await popup.evaluate((p) => {
          window.history.pushState(null, '', p);
          window.dispatchEvent(new PopStateEvent('popstate'));
        }, path);
        await expect.poll(() => popup.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
        await expect
          .poll(
            () =>
              popup
                .getByRole('status')
                .filter({ hasText: /Loading/ })
                .count(),
            { timeout: 15_000 },
          )
          .toBe(0);
        if (await hasHorizontalScroll(popup)) wide.push(path);
      }
    }
    expect(wide).toEqual([]);
    await context.close();
  });

  it('a Year 3 pupil (S2) gets the pictorial check: faces with text labels, keyboard, no triage', async () => {
    // The Year 8 course becomes a Year 3 class for this launch (the placement's year_group custom parameter).
    const courses = database.db.connection.collection('demo_courses');
    await courses.updateOne({ _id: 'demo-course-y8' as never }, { $set: { 'custom.year_group': 'EN-Y3' } });
    try {
      const context = await browser.newContext();
      const { frame } = await launch(context, 'Zofia', 'Year 8 Careers', /\/pupil/);
      await navigate(frame, '/pupil/readiness');
      await heading(frame, 'How ready am I for my next steps?');
      await expect.poll(() => frame.locator('fieldset').count(), { timeout: 15_000 }).toBeGreaterThan(3);
      await axeBothLanguages(frame, 'Hoe klaar ben ik voor mijn volgende stappen?', 'How ready am I for my next steps?');
      // Every face is a radio named by its words (the picture is decorative); answer with the keyboard.
      const groups = frame.locator('fieldset');
      const count = await groups.count();
      for (let i = 0; i < count; i++) {
        const yes = groups.nth(i).getByRole('radio', { name: 'Yes!' });
        await yes.focus();
        await frame.page().keyboard.press('Space');
        expect(await yes.isChecked()).toBe(true);
      }
      await frame.getByRole('button', { name: 'Send my answers' }).click();
      await expect.poll(() => frame.getByRole('heading', { name: 'Thank you for doing the check!' }).count()).toBe(1);
      expect(await frame.locator('main').textContent()).toContain('Your teacher will use your answers');
      expect(await seriousAxeViolations(frame)).toEqual([]);
      const zofia = await userBySub('demo-pupil-03');
      const stored = await models.ReadinessResult.findOne({ schoolId: 'demo', userId: zofia.id }).lean();
      expect(stored).toMatchObject({ kind: 'pictorial', stage: 'S2', suggestedLevel: 'universal' });
      await context.close();
    } finally {
      await courses.updateOne({ _id: 'demo-course-y8' as never }, { $set: { 'custom.year_group': 'EN-Y8' } });
    }
  });
});
