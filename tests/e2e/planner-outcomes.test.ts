/**
 * Outcomes in a real browser, inside the demo LMS: the careers leader records a leaver's destination and sees it in
 * the cohort table; the "what works" tables hide small groups; axe finds no serious or critical problems in English
 * or Dutch; the page fits a 320 px phone.
 */
import type { Browser, Frame } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launchBrowser, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';
import { openCourse, signIn, toolFrame } from '../support/demo-browser.js';

const database = await useTestDatabase();
const { models } = database;
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();

async function heading(frame: Frame, text: string): Promise<void> {
  await expect.poll(() => frame.locator('h1').first().textContent(), { timeout: 15_000 }).toBe(text);
}

/** A Year 13 pupil of the demo school: a leaver this year (England's default leaving year group). */
async function leaver(name: string) {
  const u = await models.User.create({
    schoolId: 'demo',
    platformId: 'demo-e2e',
    sub: `e2e-${name}`,
    role: 'pupil',
    name,
    yearGroup: 'EN-Y13',
    source: 'nrps',
  });
  return String(u._id);
}

describe('planner outcomes', () => {
  it('records a leaver’s destination and shows it in the cohort table', async () => {
    const zaraId = await leaver('Zara Leaver');
    await leaver('Yusuf Leaver');
    const context = await browser.newContext();
    const page = await signIn(context, demo.demoUrl, 'Fatima');
    await openCourse(page, 'Year 10 Careers');
    const planner = await toolFrame(page, /\/planner/);
    await expect.poll(() => planner.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await planner.getByRole('link', { name: 'Outcomes' }).click();
    await heading(planner, 'Outcomes');

    await planner.getByLabel('Leaver', { exact: true }).selectOption({ label: 'Zara Leaver' });
    await planner.getByLabel('When').selectOption({ label: 'At leaving' });
    await planner.getByLabel('Destination', { exact: true }).selectOption({ label: 'Education' });
    await planner.getByLabel('Detail (optional)').selectOption({ label: 'Further education (college)' });
    await planner.getByRole('button', { name: 'Save destination' }).click();
    await expect.poll(() => planner.getByRole('status').first().textContent()).toContain('Destination saved.');

    const table = planner.getByRole('table', { name: /2 leavers/ });
    const zaraRow = table.getByRole('row', { name: /Zara Leaver/ });
    await expect.poll(() => zaraRow.textContent()).toContain('Education (Further education (college))');
    expect(await models.Destination.findOne({ schoolId: 'demo', pupilId: zaraId }).lean()).toMatchObject({
      checkpoint: 'leaving',
      status: 'education',
      detail: 'further-education',
    });
    // One pupil per group: the "what works" table hides the figures.
    const works = planner.getByRole('table', { name: 'Waymark activity by destination' });
    await expect.poll(() => works.getByRole('row', { name: /^Education/ }).textContent()).toContain('fewer than 5 pupils');
    expect(await seriousAxeViolations(planner)).toEqual([]);

    await planner.getByRole('combobox', { name: 'Language' }).selectOption('nl');
    await heading(planner, 'Uitstroom');
    await expect.poll(() => planner.getByRole('table', { name: /2 schoolverlaters/ }).textContent()).toContain('Onderwijs');
    expect(await seriousAxeViolations(planner)).toEqual([]);
    await context.close();
  });

  it('fits a 320 px phone without sideways page scrolling (new-window launch)', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await signIn(context, demo.demoUrl, 'Fatima');
    await openCourse(page, 'Year 10 Careers');
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('link', { name: /Open in new window/ }).click(),
    ]);
    await popup.waitForURL(/localhost:\d+\/planner/, { timeout: 20_000 });
    await expect.poll(() => popup.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const wide: string[] = [];
    for (const lang of ['en', 'nl'] as const) {
      await popup.locator('.lang-switch select').selectOption(lang);
      await expect.poll(() => popup.evaluate(() => document.documentElement.lang)).toBe(lang);
      for (const path of ['/planner/outcomes', '/planner/privacy']) {
        await popup.evaluate((p) => {
          window.history.pushState(null, '', p);
          window.dispatchEvent(new PopStateEvent('popstate'));
        }, path);
        const title = {
          '/planner/outcomes': { en: 'Outcomes', nl: 'Uitstroom' },
          '/planner/privacy': { en: 'Privacy', nl: 'Privacy' },
        }[path];
        await expect.poll(() => popup.locator('h1').first().textContent(), { timeout: 15_000 }).toBe(title?.[lang]);
        await expect.poll(() => popup.locator('section h2').count(), { timeout: 15_000 }).toBeGreaterThan(1);
        // The outcomes page is settled once its three tables (cohort, and the two "what works" ones) are there.
        if (path === '/planner/outcomes') await expect.poll(() => popup.locator('table').count(), { timeout: 15_000 }).toBe(3);
        const overflow = await popup.evaluate(() =>
          document.documentElement.scrollWidth > document.documentElement.clientWidth
            ? [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .map((e) => `${e.tagName}.${e.getAttribute('class') ?? ''}`)
                .slice(0, 3)
                .join(' ')
            : '',
        );
        if (overflow) wide.push(`${lang} ${path}: ${overflow}`);
      }
    }
    expect(wide).toEqual([]);
    await context.close();
  });
});
