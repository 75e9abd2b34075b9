/**
 * An external adviser outside the LMS, in a real Chromium: the planner adds and invites the adviser on the sharing
 * page (the link is shown: no SMTP) and shares two pupils; the adviser opens the invite link, registers a passkey on a
 * CDP virtual authenticator, signs in with it, picks the school and sees exactly the shared pupils. axe finds no
 * serious or critical problems on the planner's sharing page and the sign-in pages, in English and Dutch.
 */
import type { Browser, Frame, Page } from 'playwright-core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { launchBrowser, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';
import { navigateInApp, openCourse, signIn, toolFrame } from '../support/demo-browser.js';
import { authHeader } from '../support/factories.js';

const database = await useTestDatabase();
const { models } = database;
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();

const h1 = (target: Frame | Page) => target.locator('h1').first().textContent();
async function heading(target: Frame | Page, text: string): Promise<void> {
  await expect.poll(() => h1(target), { timeout: 15_000 }).toBe(text);
}
async function axeBothLanguages(target: Frame | Page, dutch: string, english: string): Promise<void> {
  expect(await seriousAxeViolations(target)).toEqual([]);
  await target.getByRole('combobox', { name: 'Language' }).selectOption('nl');
  await heading(target, dutch);
  expect(await seriousAxeViolations(target)).toEqual([]);
  await target.getByRole('combobox', { name: 'Taal' }).selectOption('en');
  await heading(target, english);
}
const userBySub = async (sub: string) => {
  const user = await models.User.findOne({ schoolId: 'demo', sub }).lean();
  if (!user) throw new Error(`no user ${sub}`);
  return { id: String(user._id), schoolId: 'demo', role: user.role, name: user.name ?? '' };
};

describe('adviser sign-in outside the LMS', () => {
  let inviteUrl = '';

  it('the planner adds an adviser, gets the invitation link to pass on, and shares two pupils', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, demo.demoUrl, 'Fatima');
    await openCourse(page, 'Year 8 Careers');
    const frame = await toolFrame(page, /\/planner/);
    await expect.poll(() => frame.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await navigateInApp(frame, '/planner/sharing');
    await heading(frame, 'Sharing with careers advisers');
    await frame.getByLabel("Adviser's name").fill('Noor Visser');
    await frame.getByLabel('E-mail address (for the invitation)').fill('noor@careers-service.example');
    await frame.getByRole('button', { name: 'Add adviser' }).click();
    await frame.getByRole('button', { name: 'Invite Noor Visser' }).click();
    const link = frame.getByTestId('invite-link');
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    inviteUrl = (await link.textContent()) ?? '';
    expect(inviteUrl).toMatch(new RegExp(`^${demo.toolUrl}/adviser-signin/invite/[A-Za-z0-9_-]+$`));
    await axeBothLanguages(frame, 'Delen met loopbaanadviseurs', 'Sharing with careers advisers');

    // Share Ravi and Mei (the demo has their consent) with Noor.
    const planner = await userBySub('demo-planner-01');
    const [ravi, mei] = await Promise.all(['demo-pupil-02', 'demo-pupil-05'].map(userBySub));
    const account = await models.AdviserAccount.findOne({ email: 'noor@careers-service.example' }).lean();
    const grant = await request(demo.toolUrl)
      .post('/api/planner/sharing/grants')
      .set('Authorization', await authHeader(planner))
      .send({
        adviserId: String(account?._id),
        kind: 'pupil',
        values: [ravi!.id, mei!.id],
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      });
    expect(grant.status, JSON.stringify(grant.body)).toBe(201);
    await context.close();
  });

  it('registers a passkey from the link, signs in with it, picks the school and sees exactly the shared pupils', async () => {
    expect(inviteUrl).not.toBe('');
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    await page.goto(inviteUrl);
    await heading(page, 'Set up your Waymark sign-in');
    await axeBothLanguages(page, 'Stel je Waymark-aanmelding in', 'Set up your Waymark sign-in');
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await heading(page, 'Choose a school');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.rpId).toBe('localhost');

    // A fresh sign-in with the passkey (the invitation is used up now).
    await page.goto(`${demo.toolUrl}/adviser-signin`);
    await heading(page, 'Sign in as a careers adviser');
    await axeBothLanguages(page, 'Aanmelden als loopbaanadviseur', 'Sign in as a careers adviser');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await heading(page, 'Choose a school');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Open Demo School' }).click();
    await page.waitForURL(/\/adviser$/);
    await heading(page, 'My caseload');
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 15_000 }).toBe(2);
    expect((await page.locator('tbody th').allTextContents()).sort()).toEqual(['Mei Chen', 'Ravi Patel']);

    const user = await models.User.findOne({ schoolId: 'demo', source: 'invite' }).lean();
    expect(user).toMatchObject({ role: 'adviser', name: 'Noor Visser' });
    const reused = await request(demo.toolUrl).get(`/api/adviser-auth/invitations/${inviteUrl.split('/').pop() ?? ''}`);
    expect(reused.status).toBe(410);
    await context.close();
  });

  it('a teacher records a parent’s consent for a pupil of their class; a pupil withdraws their own', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, demo.demoUrl, 'Hannah');
    await openCourse(page, 'Year 8 Careers');
    const frame = await toolFrame(page, /\/teacher/);
    await expect
      .poll(() => models.User.countDocuments({ schoolId: 'demo', role: 'pupil', name: 'Amara Okafor' }), { timeout: 20_000 })
      .toBe(1);
    await navigateInApp(frame, '/teacher/sharing');
    await heading(frame, 'Consent for careers advisers');
    const record = frame.getByRole('button', { name: /^Record parent's consent for Amara/ });
    await expect.poll(() => record.count(), { timeout: 15_000 }).toBe(1);
    await axeBothLanguages(frame, 'Toestemming voor loopbaanadviseurs', 'Consent for careers advisers');
    await record.click();
    await expect
      .poll(() => frame.getByRole('button', { name: /^Withdraw parent's consent for Amara/ }).count(), { timeout: 15_000 })
      .toBe(1);
    const amara = await userBySub('demo-pupil-01');
    expect(await models.SharingConsent.findOne({ schoolId: 'demo', pupilId: amara.id, kind: 'parent' }).lean()).toMatchObject({
      status: 'given',
    });
    await context.close();

    // Kwame (Year 10) gives his own consent in the demo; he withdraws it from his page.
    const pupilContext = await browser.newContext();
    const pupilPage = await signIn(pupilContext, demo.demoUrl, 'Kwame');
    await openCourse(pupilPage, 'Year 10 Careers');
    const pupilFrame = await toolFrame(pupilPage, /\/pupil/);
    await expect.poll(() => pupilFrame.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await navigateInApp(pupilFrame, '/pupil/sharing');
    await heading(pupilFrame, 'Sharing with careers advisers');
    await axeBothLanguages(pupilFrame, 'Delen met loopbaanadviseurs', 'Sharing with careers advisers');
    await pupilFrame.getByRole('button', { name: 'Stop sharing' }).click();
    await expect.poll(() => pupilFrame.getByRole('button', { name: 'I agree' }).count(), { timeout: 15_000 }).toBe(1);
    const kwame = await userBySub('demo-pupil-08');
    expect(await models.SharingConsent.findOne({ schoolId: 'demo', pupilId: kwame.id, kind: 'pupil' }).lean()).toMatchObject({
      status: 'withdrawn',
    });
    await pupilContext.close();
  });
});
