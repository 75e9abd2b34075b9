/**
 * The planner's LRS page in a real browser, inside the demo LMS: a school LRS refused one statement, so the page shows
 * what was delivered and one dead letter; "Send again" queues it, and the next forwarding run delivers it. axe finds
 * no serious or critical problems in English or Dutch.
 */
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { addDestination } from '../../server/modules/xapi/forward/service.js';
import { forwardStatements } from '../../server/modules/xapi/forward/worker.js';
import { CreateLrsDestination } from '../../server/contract/lrs-destinations.js';
import { launchBrowser, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';
import { openCourse, signIn, toolFrame } from '../support/demo-browser.js';
import { startTestLrs, storeAs } from '../support/test-lrs.js';

const database = await useTestDatabase();
const { models } = database;
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();
const lrs = await startTestLrs({ basic: { key: 'k', secret: 's3cret-value' } });
afterAll(() => lrs.close());

const statement = (n: number) => ({
  id: randomUUID(),
  actor: { objectType: 'Agent', account: { homePage: 'https://lms.example', name: `pupil-${n}` } },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { en: 'completed' } },
  object: { objectType: 'Activity', id: `https://waymark.example/activities/${n}` },
});

describe('planner LRS page', () => {
  it('shows delivery status and a dead letter, and sends it again from the page', async () => {
    const deps = { models, secret: demo.config.keyEncryptionSecret };
    const destination = await addDestination(
      deps,
      { schoolId: 'demo' },
      CreateLrsDestination.parse({
        name: 'County LRS',
        endpoint: lrs.endpoint,
        auth: { kind: 'basic', key: 'k', secret: 's3cret-value' },
      }),
    );
    const sent = [statement(1), statement(2), statement(3)];
    await storeAs(models, 'demo', sent, { stored: new Date(Date.now() - 120_000) });
    lrs.rejectIds([sent[1]!.id]);
    const run = () => forwardStatements({ ...deps, logger: demo.logger }, { destinationId: destination.id });
    await run();
    expect(lrs.stored.map((s) => s.id)).toEqual([sent[0]!.id, sent[2]!.id]);

    const context = await browser.newContext();
    const page = await signIn(context, demo.demoUrl, 'Fatima');
    await openCourse(page, 'Year 10 Careers');
    const planner = await toolFrame(page, /\/planner/);
    await planner.getByRole('link', { name: 'Learning record stores' }).click();
    await expect.poll(() => planner.locator('h1').textContent(), { timeout: 15_000 }).toBe('Learning record stores');
    const card = planner.getByRole('region', { name: 'County LRS' });
    await expect.poll(() => card.textContent()).toContain('Sending');
    const facts = await card.locator('dl').textContent();
    expect(facts).toContain('Delivered2');
    expect(facts).toContain('Dead letters1');
    expect(await seriousAxeViolations(planner)).toEqual([]);

    await card.getByRole('button', { name: 'Show dead letters (1)' }).click();
    const letters = card.getByRole('table', { name: 'Dead letters for County LRS' });
    await expect.poll(() => letters.textContent()).toContain(sent[1]!.id);
    await expect.poll(() => letters.textContent()).toContain('Refused as invalid');
    expect(await seriousAxeViolations(planner)).toEqual([]);

    lrs.rejectIds([]);
    await letters.getByRole('button', { name: `Send again: statement ${sent[1]!.id}` }).click();
    await expect.poll(() => planner.getByRole('status').first().textContent()).toContain('will be sent again');
    await run();
    expect(lrs.stored.map((s) => s.id)).toEqual([sent[0]!.id, sent[2]!.id, sent[1]!.id]);

    await planner.getByRole('combobox', { name: 'Language' }).selectOption('nl');
    await expect.poll(() => planner.locator('h1').textContent()).not.toBe('Learning record stores');
    expect(await seriousAxeViolations(planner)).toEqual([]);
    await context.close();
  });
});
