/**
 * The planner's dashboard in a real browser, inside the demo LMS iframe: the figures on screen equal those worked
 * out by hand for the fixture school (tests/support/factories-dashboard.ts; the same figures as
 * tests/api/dashboard.test.ts), the CSV download holds what the screen shows, the PDF downloads, and axe finds no
 * serious or critical problems in English and Dutch, as heatmap and as table.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launchBrowser, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';
import { navigateInApp as navigate, openCourse, signIn, toolFrame } from '../support/demo-browser.js';
import { buildDashboardFixture } from '../support/factories-dashboard.js';
import { currentAcademicYear } from '../../server/modules/calendar/service.js';

const database = await useTestDatabase();
const { models } = database;
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();

// The fixture pupils live in the demo school beside its own roster; the uploaded group "fixture" isolates them.
const teacher = await models.User.create({
  schoolId: 'demo',
  platformId: 'fixture',
  sub: 'fixture-teacher',
  role: 'teacher',
  source: 'nrps',
});
const fixture = await buildDashboardFixture(
  models,
  { id: 'demo' },
  {
    teacherId: String(teacher._id),
    names: ['Ada Fixture', 'Ben Fixture', 'Cas Fixture', 'Dee Fixture', 'Eve Fixture', 'Fay Fixture'],
  },
);
for (const p of [fixture.A, fixture.B, fixture.C, fixture.D, fixture.E, fixture.F])
  await models.PupilGroup.create({ schoolId: 'demo', userId: p.id, groups: ['fixture'] });

const text = async (f: Frame, selector: string) =>
  ((await f.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

async function openDashboard(): Promise<{ page: Page; frame: Frame }> {
  const context = await browser.newContext({ acceptDownloads: true });
  const lms = await signIn(context, demo.demoUrl, 'Fatima');
  await openCourse(lms, 'Year 10 Careers');
  const tool = await toolFrame(lms, /\/planner/);
  await expect.poll(() => tool.locator('h1').first().textContent(), { timeout: 15_000 }).toBe('Whole-school overview');
  await navigate(tool, '/planner?academicYear=2025-26&group=fixture');
  await expect.poll(() => text(tool, '[data-figure="pupils"]'), { timeout: 15_000 }).toBe('6');
  return { page: lms, frame: tool };
}

// One launch for the file (a launch is the slow part on a shared machine): the first test opens the dashboard and
// the others, which run after it in order, reuse it.
let page: Page;
let frame: Frame;

describe('planner dashboard', () => {
  it('shows the fixture school’s hand-computed figures, as heatmap and as table, with no serious axe violations', async () => {
    ({ page, frame } = await openDashboard());
    expect(await text(frame, '[data-figure="active"]')).toBe('4');
    expect(await text(frame, '[data-figure="no-encounter"]')).toBe('3');
    expect(await text(frame, '[data-figure="no-activity"]')).toBe('2');
    // Coverage (Blueprint): Ada and Ben completed M1 → 2 of 3 in Year 8; Dee's M3 → 1 of 3 in Year 11.
    expect(await text(frame, '[data-cell="change-and-growth|EN-Y8"]')).toBe('67% (2/3)');
    expect(await text(frame, '[data-cell="decision-making|EN-Y8"]')).toBe('33% (1/3)');
    expect(await text(frame, '[data-cell="work-society-economy|EN-Y11"]')).toBe('33% (1/3)');
    expect(await text(frame, '[data-cell="self-concept|EN-Y11"]')).toBe('0% (0/3)');
    // Gatsby: Year 11 — Dee's visit is the one employer encounter; Dee and Eve meet the workplace expectation.
    expect(await text(frame, '[data-row="EN-Y11"]')).toContain('33% (1/3)');
    expect(await text(frame, '[data-row="EN-Y11"]')).toContain('67% (2/3)');
    await frame.locator('[data-testid="no-activity"] summary').click();
    expect(await text(frame, '[data-testid="no-activity"]')).toMatch(/Cas Fixture.*Fay Fixture/);
    expect(await seriousAxeViolations(frame)).toEqual([]);
  });

  it('switches framework, offers a table view, and reads in Dutch, with no serious axe violations', async () => {
    // The framework switcher: Gatsby through the crosswalks.
    await frame.getByLabel('Framework').selectOption('gatsby');
    await expect.poll(() => text(frame, '[data-cell="GB3|EN-Y8"]'), { timeout: 15_000 }).toBe('67% (2/3)');

    // The table view: the same cells as rows, reachable by keyboard.
    await frame.getByRole('button', { name: 'Table' }).click();
    await expect.poll(() => frame.getByRole('table', { name: 'Coverage, one row per item and year group' }).count()).toBe(1);
    expect(await seriousAxeViolations(frame)).toEqual([]);

    await frame.getByRole('combobox', { name: 'Language' }).selectOption('nl');
    await expect.poll(() => frame.locator('h1').first().textContent(), { timeout: 15_000 }).toBe('Overzicht van de school');
    expect(await seriousAxeViolations(frame)).toEqual([]);

    // A 320 px phone: the page does not scroll sideways inside the LMS frame (wide tables scroll in their own region).
    await page.setViewportSize({ width: 320, height: 800 });
    await frame.getByRole('button', { name: 'Heatmap' }).click();
    await expect
      .poll(() => frame.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth))
      .toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('the school calendar page shows this year’s terms and has no serious axe violations', async () => {
    await frame.locator('.lang-switch select').selectOption('en');
    await navigate(frame, '/planner/calendar');
    await expect.poll(() => frame.locator('h1').first().textContent(), { timeout: 15_000 }).toBe('School calendar');
    const current = (await currentAcademicYear(models, 'demo')).id;
    await expect.poll(() => text(frame, 'main'), { timeout: 15_000 }).toContain(`School year ${current} this year`);
    expect(await frame.getByLabel('Name of term 1').first().inputValue()).toBe('Autumn term');
    expect(await seriousAxeViolations(frame)).toEqual([]);
  });

  it('the CSV download holds the figures on screen, and the PDF report downloads', async () => {
    await frame.locator('.lang-switch select').selectOption('en');
    await navigate(frame, '/planner?academicYear=2025-26&group=fixture');
    await expect.poll(() => text(frame, '[data-cell="interacting-with-others|EN-Y8"]'), { timeout: 15_000 }).toBe('67% (2/3)');
    const onScreen = await text(frame, '[data-cell="interacting-with-others|EN-Y8"]');
    const [csv] = await Promise.all([page.waitForEvent('download'), frame.getByRole('button', { name: 'Download CSV' }).click()]);
    const rows = (await readFile((await csv.path()) ?? '', 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    const value = (section: string, key: string, yg: string, measure: string) =>
      rows.find((r) => r[0] === section && r[1] === key && r[3] === yg && r[4] === measure)?.[5];
    expect(onScreen).toBe(
      `${value('coverage', 'interacting-with-others', 'EN-Y8', 'percent') ?? ''}% (${value('coverage', 'interacting-with-others', 'EN-Y8', 'covered') ?? ''}/${value('coverage', 'interacting-with-others', 'EN-Y8', 'pupils') ?? ''})`,
    );
    expect(value('school', 'pupils', '', 'pupils')).toBe(await text(frame, '[data-figure="pupils"]'));
    expect(value('no_encounter', 'total', '', 'pupils')).toBe(await text(frame, '[data-figure="no-encounter"]'));
    expect(value('filter', 'group', '', 'value')).toBe('fixture');

    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      frame.getByRole('button', { name: 'Download PDF report' }).click(),
    ]);
    const bytes = await readFile((await pdf.path()) ?? '');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.context().close();
  });
});
