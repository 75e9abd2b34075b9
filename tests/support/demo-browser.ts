/** Browser steps in the demo LMS shared by the end-to-end tests: sign in, open a course, find the Waymark frame. */
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Signs in to the demo LMS as one of its people (by first name) and returns the LMS page. */
export async function signIn(context: BrowserContext, demoUrl: string, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(demoUrl);
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.waitForURL(/\/demo/);
  return page;
}

/** Opens a course of the demo LMS by its title; its Waymark placement launches in an iframe. */
export async function openCourse(page: Page, course: string): Promise<void> {
  await page.getByRole('link', { name: course }).first().click();
  await page.waitForURL(/\/demo\/courses\//);
}

/**
 * The Waymark frame inside the LMS page, once the launch has landed on a route matching `route`. A launch is several
 * round trips (OIDC login, signed launch, storage probe, client start); on a loaded 2-core CI machine it was seen to
 * take over 20 s, hence the generous limit (a poll: a quick launch returns at once).
 */
export async function toolFrame(page: Page, route: RegExp, timeout = 45_000): Promise<Frame> {
  const find = () => page.frames().find((f) => f !== page.mainFrame() && route.test(f.url()));
  const where = () =>
    page
      .frames()
      .map((f) => f.url())
      .join(' | ') || 'none';
  await expect.poll(() => find()?.url() ?? `no frame matched; frames: ${where()}`, { timeout }).toMatch(route);
  const frame = find();
  if (!frame) throw new Error(`no Waymark frame at ${String(route)}`);
  return frame;
}

/** Client-side navigation inside the tool (the launch token lives in memory, so no page load). */
export async function navigateInApp(frame: Frame, path: string): Promise<void> {
  await frame.evaluate((p) => {
    window.history.pushState(null, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}
