/** The served client in real headless Chromium: landmarks, both languages, axe, a 320 px phone, an LMS iframe. */
import path from 'node:path';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { buildApp, listen } from '../support/app.js';
import { hasHorizontalScroll, launchBrowser, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';

const database = await useTestDatabase();
const toolUrl = await listen(buildApp(database, { client: { dir: path.resolve('dist/client') } }));
const browser = await launchBrowser();

describe('client shell', () => {
  it('renders the start page in English with landmarks, a working skip link and no serious axe violations', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(`${toolUrl}/`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Welcome to Waymark');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('header').count()).toBe(1);
    expect(await page.locator('main#main').count()).toBe(1);
    // The skip link is the first stop in the tab order, visible when focused, and moves focus to the content.
    await page.getByRole('link', { name: 'Open the demo learning platform' }).waitFor();
    const firstTabStop = await page.evaluate(
      () =>
        document.querySelector<HTMLElement>('a[href], button, select, input, textarea, [tabindex]:not([tabindex="-1"])')
          ?.textContent,
    );
    expect(firstTabStop).toBe('Skip to main content');
    await page.getByRole('link', { name: 'Skip to main content' }).focus();
    expect(await page.evaluate(() => document.activeElement?.getBoundingClientRect().top ?? -1)).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('switches to Dutch from the language menu and keeps it accessible', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(`${toolUrl}/`);
    await page.getByLabel('Language').selectOption('nl');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Welkom bij Waymark');
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('starts in Dutch for a Dutch browser and fits a 320 px phone without sideways scrolling', async () => {
    const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await page.goto(`${toolUrl}/`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Welkom bij Waymark');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await context.close();
  });

  it('shows a not-found page for unknown client routes', async () => {
    const page = await browser.newPage();
    await page.goto(`${toolUrl}/no/such/page`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Page not found');
    await page.close();
  });
});

describe('inside an LMS iframe', () => {
  it('loads when framed by an allowed LMS origin on another site, and is refused by any other origin', async () => {
    const lmsPage = (target: string) => (_req: express.Request, res: express.Response) => {
      res.send(
        `<!doctype html><html lang="en"><title>Course</title><iframe title="Waymark" src="${target}/" width="800" height="600"></iframe></html>`,
      );
    };
    const allowed = express();
    const other = express();
    const allowedUrl = await listen(allowed);
    const otherUrl = await listen(other);
    // The tool on "localhost", the LMS on "127.0.0.1": different sites, as in a school.
    const framedTool = await listen(
      buildApp(database, { client: { dir: path.resolve('dist/client') } }, { DEMO_PUBLIC_URL: allowedUrl }),
    );
    const toolOnLocalhost = framedTool.replace('127.0.0.1', 'localhost');
    allowed.get('/course', lmsPage(toolOnLocalhost));
    other.get('/course', lmsPage(toolOnLocalhost));

    const page = await browser.newPage();
    await page.goto(`${allowedUrl}/course`);
    await expect
      .poll(() => page.frameLocator('iframe[title="Waymark"]').locator('h1').textContent(), { timeout: 10_000 })
      .toBe('Welcome to Waymark');

    const blocked = await browser.newPage();
    await blocked.goto(`${otherUrl}/course`);
    // Chromium replaces a frame refused by frame-ancestors with its error page.
    await expect
      .poll(
        () =>
          blocked
            .frames()
            .find((f) => f !== blocked.mainFrame())
            ?.url(),
        { timeout: 10_000 },
      )
      .toBe('chrome-error://chromewebdata/');
    await page.close();
    await blocked.close();
  });
});
