/**
 * The teacher's class view in a real browser, inside the demo LMS iframe: the roster from the LMS (pupils who
 * never opened Waymark marked), assigning a module with a due date that the pupil then sees on their home, the
 * pupil's completion appearing in the teacher's table, the teacher reading the reflection (the private answer
 * stays hidden) and sending feedback, the module preview with teacher notes, and no serious or critical axe
 * violations on these pages in English and Dutch.
 */
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import type { Activity } from '../../curriculum/schema.js';
import { launchBrowser, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';
import { navigateInApp as navigate, openCourse, signIn as signInToDemo, toolFrame } from '../support/demo-browser.js';

const database = await useTestDatabase();
const { models } = database;
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();
const curriculum = loadCurriculum();
const module = curriculum.modules.get('s3-choosing-my-options')!;

async function signIn(context: BrowserContext, name: string): Promise<Page> {
  const page = await signInToDemo(context, demo.demoUrl, name);
  await openCourse(page, 'Year 8 Careers');
  return page;
}

/** Client-side navigation inside the tool (the launch token lives in memory, so no page load). */

async function heading(frame: Frame, text: string): Promise<void> {
  await expect.poll(() => frame.locator('h1').first().textContent(), { timeout: 15_000 }).toBe(text);
}

async function noSeriousViolations(frame: Frame): Promise<void> {
  expect(await seriousAxeViolations(frame)).toEqual([]);
}

async function inDutch(frame: Frame, check: () => Promise<void>): Promise<void> {
  await frame.getByRole('combobox', { name: 'Language' }).selectOption('nl');
  await check();
  await frame.getByRole('combobox', { name: 'Taal' }).selectOption('en');
}

/** Does one activity of the module as a pupil would (the first reflection answer kept private). */
async function doActivity(frame: Frame, activity: Activity): Promise<void> {
  const section = frame.locator('section.activity');
  await expect.poll(() => section.locator('h2').textContent()).toBe(activity.title.en);
  switch (activity.type) {
    case 'reflection':
      for (const [i, prompt] of activity.prompts.entries()) {
        await section
          .getByLabel(prompt.text.en, { exact: true })
          .fill(i === 0 ? 'A private thought about options' : `My answer to ${prompt.id}`);
      }
      await section.getByRole('checkbox', { name: 'Keep this answer private (only you can see it)' }).first().check();
      break;
    case 'choice':
    case 'picture-choice':
      await section
        .getByRole(activity.mode === 'single' ? 'radio' : 'checkbox', { name: activity.options[0]!.label.en, exact: true })
        .check();
      break;
    case 'scenario':
      for (let step = 0; step < 20; step++) {
        if ((await section.getByRole('button', { name: 'Start again' }).count()) > 0) break;
        await section.getByRole('list', { name: 'What do you do?' }).getByRole('button').first().click();
      }
      break;
    case 'research':
      for (const field of activity.fields) {
        const value = field.kind === 'number' ? '3' : field.kind === 'url' ? 'https://example.org/job' : `Notes on ${field.id}`;
        await section.getByLabel(field.label.en, { exact: false }).first().fill(value);
      }
      break;
    default:
      throw new Error(`this test does not do ${activity.type} activities`);
  }
  await expect.poll(() => frame.locator('.save-status').textContent(), { timeout: 15_000 }).toBe('Saved');
}

describe('teacher class view', () => {
  it('assigns with a due date, follows a pupil’s completion, reads the reflection, gives feedback, previews', async () => {
    // The teacher's launch syncs the roster from the LMS (NRPS); pupils who never launched are listed too.
    const teacherContext = await browser.newContext();
    const teacherPage = await signIn(teacherContext, 'Hannah');
    const teacher = await toolFrame(teacherPage, /\/teacher$/);
    await heading(teacher, 'My classes');
    await expect.poll(() => teacher.locator('.lead').first().textContent()).toBe('Class overview: Year 8 Careers');
    const cls = await models.Class.findOne({ schoolId: 'demo', title: 'Year 8 Careers' }).lean();
    await expect
      .poll(() => models.Membership.countDocuments({ schoolId: 'demo', classId: String(cls!._id), role: 'pupil' }), {
        timeout: 20_000,
      })
      .toBe(6);
    await navigate(teacher, '/teacher/log');
    await heading(teacher, 'Experience logs');
    await navigate(teacher, '/teacher');
    await heading(teacher, 'My classes');
    const table = teacher.getByRole('table', { name: 'Progress of each pupil per module' });
    await expect.poll(() => table.getByRole('rowheader').count(), { timeout: 15_000 }).toBe(6);
    expect(await table.getByRole('row', { name: /Ravi Patel/ }).textContent()).toContain('has not opened Waymark yet');
    await noSeriousViolations(teacher);

    await teacher.getByLabel('Module', { exact: true }).selectOption(module.id);
    await teacher.getByLabel('Due date (optional)').fill('2030-03-14');
    await teacher.getByRole('button', { name: 'Assign', exact: true }).click();
    await expect
      .poll(() =>
        teacher
          .getByRole('status')
          .filter({ hasText: `${module.title.en} is assigned.` })
          .count(),
      )
      .toBe(1);
    await expect.poll(() => teacher.locator('.card-list').first().textContent()).toContain('Due 14 March 2030');
    expect(
      await models.Assignment.findOne({ schoolId: 'demo', classId: String(cls!._id), moduleId: module.id }).lean(),
    ).toMatchObject({
      dueAt: new Date('2030-03-14T23:59:59.999Z'),
    });
    await noSeriousViolations(teacher);
    await inDutch(teacher, async () => {
      await heading(teacher, 'Mijn klassen');
      await expect.poll(() => teacher.getByRole('table', { name: 'Voortgang van elke leerling per module' }).count()).toBe(1);
      await noSeriousViolations(teacher);
    });

    // The pupil finds it on their home with its due date, and completes it.
    const pupilContext = await browser.newContext();
    const pupilPage = await signIn(pupilContext, 'Amara');
    const pupil = await toolFrame(pupilPage, /\/pupil$/);
    await heading(pupil, 'My career learning');
    const assigned = pupil.locator('section[aria-labelledby="assigned-title"]');
    await expect.poll(() => assigned.textContent(), { timeout: 15_000 }).toContain(module.title.en);
    expect(await assigned.textContent()).toContain('Due 14 March');
    await assigned.getByRole('link', { name: module.title.en, exact: true }).click();
    await heading(pupil, module.title.en);
    for (const [i, activity] of module.activities.entries()) {
      await doActivity(pupil, activity);
      await pupil.getByRole('button', { name: i + 1 < module.activities.length ? 'Next' : 'Finish' }).click();
    }
    await expect.poll(() => pupil.locator('section.finish h2').textContent(), { timeout: 15_000 }).toContain(module.title.en);

    // The teacher sees the completion, opens the pupil's work and reads the reflection; the private answer stays hidden.
    await navigate(teacher, '/teacher/log');
    await heading(teacher, 'Experience logs');
    await navigate(teacher, '/teacher');
    await heading(teacher, 'My classes');
    const cell = teacher.getByRole('link', { name: `Completed: work of Amara Okafor on ${module.title.en}` });
    await expect.poll(() => cell.count(), { timeout: 15_000 }).toBe(1);
    await teacher.getByRole('checkbox', { name: 'Show only pupils who are stuck' }).check();
    await expect.poll(() => teacher.getByText('Nobody is stuck.').count()).toBe(1);
    await teacher.getByRole('checkbox', { name: 'Show only pupils who are stuck' }).uncheck();
    await cell.click();
    await heading(teacher, `Amara Okafor: ${module.title.en}`);
    const reflection = module.activities.find((a) => a.type === 'reflection')!;
    const main = () => teacher.locator('main').textContent();
    expect(await main()).toContain(`My answer to ${reflection.prompts[1]!.id}`);
    expect(await main()).toContain('The pupil kept this answer private.');
    expect(await main()).not.toContain('A private thought about options');
    await noSeriousViolations(teacher);
    await teacher.getByLabel('Your feedback for the pupil').fill('Well reasoned choices, Amara.');
    await teacher.getByRole('button', { name: 'Send feedback' }).click();
    await expect.poll(() => teacher.getByRole('status').filter({ hasText: 'Feedback sent.' }).count()).toBe(1);
    expect(await main()).toContain('Well reasoned choices, Amara.');
    expect(await teacher.getByRole('link', { name: 'Experience log entries of Amara Okafor' }).getAttribute('href')).toMatch(
      /^\/teacher\/log\/pupils\//,
    );
    await inDutch(teacher, async () => {
      await heading(teacher, `Amara Okafor: ${module.title.nl}`);
      await noSeriousViolations(teacher);
    });

    // The module preview: what pupils see, read-only, with the teacher notes alongside.
    await teacher.getByRole('link', { name: 'Back to the class overview' }).click();
    await heading(teacher, 'My classes');
    await teacher.getByRole('link', { name: `Preview ${module.title.en}` }).click();
    await heading(teacher, `Preview: ${module.title.en}`);
    const notes = teacher.getByRole('complementary', { name: 'Teacher notes' });
    expect(await notes.textContent()).toContain(module.teacherNotes.lessonPlan.en.slice(0, 40));
    expect(await notes.textContent()).toContain('Differentiation');
    expect(await teacher.locator('.preview-activity').count()).toBe(module.activities.length);
    expect(await teacher.locator('.preview-activity textarea:enabled, .preview-activity input:enabled').count()).toBe(0);
    await noSeriousViolations(teacher);
    await inDutch(teacher, async () => {
      await heading(teacher, `Voorbeeld: ${module.title.nl}`);
      await noSeriousViolations(teacher);
    });
    await pupilContext.close();
    await teacherContext.close();
  });
});
