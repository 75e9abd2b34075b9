/**
 * The careers explorer in a real browser, inside the demo LMS iframe: a pupil opens it from a module's research
 * activity, searches in Dutch (Dutch UI) and in English with a typo, opens an occupation, saves it with a note
 * back to the activity and finds it in their saved jobs; the explorer pages have no serious or critical axe
 * violations in English and Dutch, and they fit a 320 px phone without sideways scrolling.
 */
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import { launchBrowser, seriousAxeViolations, type AxeViolation } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';

const database = await useTestDatabase();
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();
const curriculum = loadCurriculum();

// The Year 8 module whose research activity opens the explorer.
const researchModule = [...curriculum.modules.values()].find(
  (m) => m.stage === 'S3' && m.activities.some((a) => a.type === 'research' && a.openExplorer),
);
if (!researchModule) throw new Error('no S3 module with a research activity that opens the explorer');
const researchActivity = researchModule.activities.find((a) => a.type === 'research' && a.openExplorer)!;

async function signIn(context: BrowserContext, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(demo.demoUrl);
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.waitForURL(/\/demo/);
  return page;
}

async function toolFrame(page: Page, route: RegExp): Promise<Frame> {
  await expect
    .poll(
      () =>
        page
          .frames()
          .find((f) => f !== page.mainFrame() && route.test(f.url()))
          ?.url() ?? 'none',
      { timeout: 20_000 },
    )
    .toMatch(route);
  const frame = page.frames().find((f) => f !== page.mainFrame() && route.test(f.url()));
  if (!frame) throw new Error('no Waymark frame');
  return frame;
}

/** A Year 8 pupil's Waymark frame on their home page. */
async function pupilFrame(context: BrowserContext, name: string): Promise<{ page: Page; frame: Frame }> {
  const page = await signIn(context, name);
  await page.getByRole('link', { name: 'Year 8 Careers' }).first().click();
  await page.waitForURL(/\/demo\/courses\//);
  const frame = await toolFrame(page, /\/pupil$/);
  await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toBe('My career learning');
  return { page, frame };
}

/**
 * Client-side navigation inside the frame (the launch token lives in memory, so a page load would end the
 * session): what a link in the app does.
 */
async function goTo(frame: Frame | Page, path: string): Promise<void> {
  await frame.evaluate((to) => {
    window.history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
  }, path);
}

async function heading(frame: Frame | Page): Promise<string> {
  return (await frame.locator('h1').first().textContent()) ?? '';
}

async function setLanguage(frame: Frame | Page, lang: 'en' | 'nl'): Promise<void> {
  await frame.locator('.lang-switch select').selectOption(lang);
  await expect.poll(() => frame.evaluate(() => document.documentElement.lang)).toBe(lang);
}

async function search(frame: Frame | Page, query: string, label: RegExp): Promise<void> {
  await frame.getByLabel(label).fill(query);
  await frame.getByRole('button', { name: /^(Search|Zoeken)$/ }).click();
  // Wait for this query's count (not the previous one's) in the live region.
  await expect
    .poll(() => frame.locator('p[role="status"].careers-status').textContent(), { timeout: 15_000 })
    .toMatch(new RegExp(`\\d.*${query}`));
}

async function firstResult(frame: Frame | Page): Promise<{ title: string; why: string; whyLang: string | null }> {
  const item = frame.locator('ol.careers-results > li').first();
  return {
    title: (await item.locator('h2 a').textContent()) ?? '',
    why: (await item.locator('.careers-why').textContent()) ?? '',
    whyLang: await item.locator('.careers-why [lang]').first().getAttribute('lang'),
  };
}

async function horizontalScroll(frame: Frame | Page): Promise<boolean> {
  return frame.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** Elements in the page's main content that stick out past the right edge (cut off by overflow-x: hidden). */
async function cutOff(frame: Frame | Page): Promise<string[]> {
  return frame.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('main *')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1 && !el.closest('.visually-hidden');
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
  });
}

describe('careers explorer from a research activity', () => {
  it('lets a pupil search in Dutch and English, open an occupation, save it with a note to the activity and find it saved', async () => {
    const context = await browser.newContext();
    const { frame } = await pupilFrame(context, 'Amara');

    // The research activity's explorer link (explorerHref in client/src/features/careers/selection.ts).
    const returnTo = `/pupil/modules/${researchModule.id}`;
    const from = `${researchModule.id}:${researchActivity.id}`;
    await goTo(frame, `/careers?from=${encodeURIComponent(from)}&return=${encodeURIComponent(returnTo)}`);
    await expect.poll(() => heading(frame), { timeout: 15_000 }).toBe('Search jobs');
    await expect.poll(() => frame.locator('.careers-from').textContent()).toContain('You opened the explorer from an activity');

    // A Dutch query in the Dutch UI: the results count is announced in the live region.
    await setLanguage(frame, 'nl');
    await expect.poll(() => heading(frame)).toBe('Beroepen zoeken');
    await search(frame, 'verpleegkundige', /^Naam van het beroep/);
    expect(await frame.locator('p[role="status"].careers-status').textContent()).toMatch(
      /beroep(en)? gevonden bij ‘verpleegkundige’/,
    );
    const dutch = await firstResult(frame);
    expect(dutch.title).toMatch(/verpleegkundige/i);
    expect(dutch.why).toMatch(/verpleegkundige/);
    expect(dutch.whyLang).toBe('nl');
    // Every result explains itself.
    const results = frame.locator('ol.careers-results > li');
    const count = await results.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++)
      expect((await results.nth(i).locator('.careers-why').textContent())?.length).toBeGreaterThan(10);

    // An English query with a typo in the English UI: a close spelling, explained as such.
    await setLanguage(frame, 'en');
    await search(frame, 'electrcian', /^Job title/);
    expect(await frame.locator('p[role="status"].careers-status').textContent()).toMatch(/jobs? found for “electrcian”/);
    const english = await firstResult(frame);
    expect(english.title).toBe('electrician');
    expect(english.why).toMatch(/^Close spelling of the (job|alternative) title/);

    // Open it (the origin stays on the link) and look at the page in Dutch: skills are English with lang="en".
    await frame.locator('ol.careers-results > li').first().locator('h2 a').click();
    await expect.poll(() => heading(frame), { timeout: 15_000 }).toBe('electrician');
    expect(new URL(frame.url()).searchParams.get('from')).toBe(from);
    await setLanguage(frame, 'nl');
    await expect.poll(() => heading(frame)).toBe('monteur elektrische installaties');
    const skillLangs = await frame
      .locator('section[aria-labelledby="occ-skills"] .careers-tags li .careers-skill__name')
      .evaluateAll((els) => els.map((el) => el.getAttribute('lang')));
    expect(skillLangs.length).toBeGreaterThan(3);
    expect(new Set(skillLangs)).toEqual(new Set(['en']));
    // US figures are labelled with their country, source and year, with a plain sentence.
    const figures = frame.locator('section[aria-labelledby="occ-figures"]');
    expect(await figures.count()).toBe(1);
    expect(await figures.textContent()).toContain('Dit zijn cijfers uit de VS.');
    const caption = (await figures.locator('caption').textContent()) ?? '';
    expect(caption).toMatch(/Verenigde Staten · .*Bureau of Labor Statistics.* · 20\d\d/);
    for (const cell of await figures.locator('tbody tr td:last-child').allTextContents()) {
      expect(cell).toMatch(/^Verenigde Staten, .+, (May )?20\d\d(–20\d\d)?$/);
    }
    // Attribution for the data shown.
    const sources = (await frame.locator('.careers-attribution').textContent()) ?? '';
    expect(sources).toContain('ESCO');
    expect(sources).toContain('O*NET');
    expect(sources).toContain('Bureau of Labor Statistics');
    expect(sources).toContain('Nesta');
    // Routes in: one tab per country, arrow keys move between them.
    const tabs = frame.getByRole('tab');
    expect(await tabs.allTextContents()).toEqual(['Nederland', 'Engeland', 'VS en Canada']);
    await tabs.first().focus();
    await frame.page().keyboard.press('ArrowRight');
    await expect.poll(() => frame.getByRole('tab', { selected: true }).textContent()).toBe('Engeland');

    // Save with a note, back to the activity.
    await setLanguage(frame, 'en');
    const note = 'Ask about apprenticeships at the open day';
    await frame.getByLabel(/^My note/).fill(note);
    await frame.evaluate(() => {
      const w = window as unknown as { __picked: unknown[] };
      w.__picked = [];
      window.addEventListener('waymark:career-selection', (e) => w.__picked.push((e as CustomEvent).detail));
    });
    await frame.getByRole('button', { name: 'Save to my activity' }).click();
    await expect.poll(() => new URL(frame.url()).pathname, { timeout: 15_000 }).toBe(returnTo);
    // The choice is handed to the activity (selection.ts announces it for the player; sessionStorage is blocked in
    // this cross-site frame, so the in-memory copy carries it).
    await expect.poll(() => frame.evaluate(() => (window as unknown as { __picked?: unknown[] }).__picked?.length ?? 0)).toBe(1);
    const picked = await frame.evaluate(() => (window as unknown as { __picked: unknown[] }).__picked[0]);
    expect(picked).toMatchObject({
      moduleId: researchModule.id,
      activityId: researchActivity.id,
      selection: {
        title: 'electrician',
        lang: 'en',
        note,
        uri: 'http://data.europa.eu/esco/occupation/4910419f-b4af-4f59-b544-9dbebc8a74f0',
      },
    });

    // It is in the pupil's saved jobs with the note.
    await goTo(frame, '/careers/saved');
    await expect.poll(() => heading(frame), { timeout: 15_000 }).toBe('My saved jobs');
    const saved = frame.locator('ul.careers-results > li').filter({ hasText: 'electrician' });
    await expect.poll(() => saved.count(), { timeout: 15_000 }).toBe(1);
    expect(await saved.locator('.careers-saved-note').textContent()).toBe(note);

    // And in the career journey, with the note.
    await goTo(frame, '/pupil/journey');
    const entry = frame.locator('li', { has: frame.locator('h3', { hasText: /^electrician$/ }) });
    await expect.poll(() => entry.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    expect(await entry.first().textContent()).toContain(note);
    await context.close();
  });
});

describe('explorer pages are accessible', () => {
  it('has no serious or critical axe violations on the explorer pages in English and Dutch', async () => {
    const context = await browser.newContext();
    const { frame } = await pupilFrame(context, 'Ravi');
    await goTo(frame, '/careers');
    await expect.poll(() => heading(frame), { timeout: 15_000 }).toBe('Search jobs');
    // Something saved, so the saved list is not empty.
    await search(frame, 'nurse', /^Job title/);
    await frame.locator('ol.careers-results > li').first().locator('h2 a').click();
    await expect.poll(() => frame.locator('section[aria-labelledby="occ-save"]').count(), { timeout: 15_000 }).toBe(1);
    await frame.getByLabel(/^My note/).fill('Shifts?');
    await frame.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(() => frame.locator('section[aria-labelledby="occ-save"] [role="status"]').textContent())
      .toBe('Saved to your jobs.');

    const pages: { path: string; ready: string }[] = [
      { path: '/careers?q=verpleegkundige', ready: 'ol.careers-results' },
      { path: '/careers?q=electrcian', ready: 'ol.careers-results' },
      { path: '/careers/occupations/8d3e8aaa-791b-4c75-a465-f3f827028f50', ready: 'section[aria-labelledby="occ-routes"]' },
      { path: '/careers/browse', ready: '.careers-grid a[href*="/browse/groups/"]' },
      { path: '/careers/browse/subjects/maths', ready: '.careers-grid' },
      { path: '/careers/browse/groups/22', ready: '.careers-grid' },
      { path: '/careers/people', ready: '.careers-people' },
      { path: '/careers/saved', ready: 'ul.careers-results' },
      { path: '/careers/suggestions', ready: 'section, form' },
    ];
    const found: Record<string, AxeViolation[]> = {};
    for (const lang of ['en', 'nl'] as const) {
      await setLanguage(frame, lang);
      for (const { path, ready } of pages) {
        await goTo(frame, path);
        await expect.poll(() => frame.locator(ready).count(), { timeout: 15_000 }).toBeGreaterThan(0);
        const violations = await seriousAxeViolations(frame);
        if (violations.length > 0) found[`${lang} ${path}`] = violations;
      }
    }
    expect(found).toEqual({});
    await context.close();
  });

  it('shows a teacher the jobs linked to their subject and a planner aggregates only, without serious axe violations', async () => {
    const found: Record<string, AxeViolation[]> = {};
    const teacherContext = await browser.newContext();
    const teacher = await signIn(teacherContext, 'Hannah');
    await teacher.getByRole('link', { name: 'Year 8 Careers' }).first().click();
    const teacherFrame = await toolFrame(teacher, /\/teacher/);
    await expect.poll(() => heading(teacherFrame), { timeout: 15_000 }).toBe('My classes');
    await goTo(teacherFrame, '/careers/class-subject');
    await expect.poll(() => heading(teacherFrame), { timeout: 15_000 }).toBe('Jobs linked to my subject');
    await teacherFrame.getByLabel('Subject').selectOption('maths');
    await expect
      .poll(() => teacherFrame.locator('main section .careers-grid li').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await teacherFrame.locator('.careers-note a').getAttribute('href')).toBe('/careers/browse/subjects/maths');
    for (const lang of ['en', 'nl'] as const) {
      await setLanguage(teacherFrame, lang);
      const violations = await seriousAxeViolations(teacherFrame);
      if (violations.length > 0) found[`${lang} teacher class-subject`] = violations;
    }
    await teacherContext.close();

    const plannerContext = await browser.newContext();
    const planner = await signIn(plannerContext, 'Fatima');
    await planner.getByRole('link', { name: 'Year 10 Careers' }).first().click();
    const plannerFrame = await toolFrame(planner, /\/planner/);
    await expect.poll(() => heading(plannerFrame), { timeout: 15_000 }).toBe('Whole-school overview');
    await goTo(plannerFrame, '/careers/insights');
    await expect
      .poll(() => plannerFrame.locator('.careers-note').textContent(), { timeout: 15_000 })
      .toContain('fewer than 5 pupils');
    // Two pupils explored in the tests above: fewer than five, so no group is shown.
    expect(await plannerFrame.locator('table').count()).toBe(0);
    for (const lang of ['en', 'nl'] as const) {
      await setLanguage(plannerFrame, lang);
      const violations = await seriousAxeViolations(plannerFrame);
      if (violations.length > 0) found[`${lang} planner insights`] = violations;
    }
    await plannerContext.close();
    expect(found).toEqual({});
  });

  it('fits a 320 px phone without sideways scrolling (new-window launch)', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await signIn(context, 'Zofia');
    await page.getByRole('link', { name: 'Year 8 Careers' }).first().click();
    await page.waitForURL(/\/demo\/courses\//);
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('link', { name: /Open in new window/ }).click(),
    ]);
    await popup.waitForURL(/localhost:\d+\/pupil/, { timeout: 20_000 });
    await expect.poll(() => heading(popup), { timeout: 15_000 }).toBe('My career learning');
    const pages: { path: string; ready: string }[] = [
      { path: '/careers?q=verpleegkundige', ready: 'ol.careers-results' },
      { path: '/careers/occupations/4910419f-b4af-4f59-b544-9dbebc8a74f0', ready: 'section[aria-labelledby="occ-figures"]' },
      { path: '/careers/occupations/8d3e8aaa-791b-4c75-a465-f3f827028f50', ready: 'section[aria-labelledby="occ-routes"]' },
      { path: '/careers/browse', ready: '.careers-grid a[href*="/browse/groups/"]' },
      { path: '/careers/people', ready: '.careers-people' },
      { path: '/careers/suggestions', ready: 'section, form' },
    ];
    const wide: string[] = [];
    for (const lang of ['en', 'nl'] as const) {
      await setLanguage(popup, lang);
      for (const { path, ready } of pages) {
        await goTo(popup, path);
        await expect.poll(() => popup.locator(ready).count(), { timeout: 15_000 }).toBeGreaterThan(0);
        if (await horizontalScroll(popup)) wide.push(`${lang} ${path}: scrolls`);
        for (const el of await cutOff(popup)) wide.push(`${lang} ${path}: ${el}`);
      }
    }
    expect(wide).toEqual([]);
    // People at work: at least 30 familiar occupations as picture cards, each with a named picture and a sentence.
    await goTo(popup, '/careers/people');
    await expect.poll(() => popup.locator('.careers-person').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(30);
    const unnamed = await popup
      .locator('.careers-person')
      .evaluateAll(
        (cards) =>
          cards.filter((c) => !c.querySelector('svg[role="img"][aria-label]') || !c.querySelector('p')?.textContent).length,
      );
    expect(unnamed).toBe(0);
    await context.close();
  });
});
