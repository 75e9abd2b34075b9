/**
 * My career journey in a real browser, inside the demo LMS iframe: the pupil opens it from their home, marks a
 * reflection private, and downloads the PDF, which holds the completed module's title and leaves the private
 * text out. axe finds no serious or critical problems, in English and Dutch.
 */
import fs from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import type { Activity } from '../../curriculum/schema.js';
import { launchBrowser, seriousAxeViolations } from '../support/browser.js';
import { useTestDatabase } from '../support/db.js';
import { startDemoServer } from '../support/demo-server.js';
import { openCourse, signIn as signInToDemo, toolFrame } from '../support/demo-browser.js';

const database = await useTestDatabase();
const { models } = database;
const demo = await startDemoServer(database);
const browser: Browser = await launchBrowser();
const curriculum = loadCurriculum();

type Reflection = Extract<Activity, { type: 'reflection' }>;
const module = [...curriculum.modules.values()].find((m) =>
  m.activities.some((a) => a.type === 'reflection' && a.prompts.length >= 2 && a.prompts.every((p) => p.privateAllowed)),
)!;
const reflection = module.activities.find(
  (a): a is Reflection => a.type === 'reflection' && a.prompts.every((p) => p.privateAllowed),
)!;
const [shared, secret] = reflection.prompts;

async function signIn(context: BrowserContext, name: string): Promise<Page> {
  const page = await signInToDemo(context, demo.demoUrl, name);
  await openCourse(page, 'Year 8 Careers');
  return page;
}

async function heading(frame: Frame, text: string): Promise<void> {
  await expect.poll(() => frame.locator('h1').first().textContent(), { timeout: 15_000 }).toBe(text);
}

/** The text drawn in a pdfkit PDF: inflate each content stream and decode its hex-string text operands. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  let out = '';
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    try {
      const body = inflateSync(pdf.subarray(start, raw.indexOf('endstream', start))).toString('latin1');
      for (const t of body.matchAll(/<([0-9a-fA-F]+)>/g)) out += Buffer.from(t[1]!, 'hex').toString('latin1');
    } catch {
      // not a deflated stream (fonts, metadata)
    }
  }
  return out;
}

describe('my career journey', () => {
  it('a pupil marks a reflection private and downloads the journey PDF, accessible in English and Dutch', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await signIn(context, 'Amara');
    const frame = await toolFrame(page, /\/pupil/);
    await expect.poll(() => frame.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);

    // A completed module with a two-answer reflection (completing modules is the player test's business).
    const pupil = await models.User.findOne({ schoolId: 'demo', name: /^Amara/ }).lean();
    const pupilId = String(pupil!._id);
    const at = new Date('2025-02-03T10:00:00Z');
    await models.ModuleAttempt.create({
      schoolId: 'demo',
      userId: pupilId,
      moduleId: module.id,
      moduleVersion: module.version,
      source: 'builtin',
      status: 'completed',
      startedAt: at,
      completedAt: at,
      score: 100,
      activities: {
        [reflection.id]: {
          type: 'reflection',
          answer: {
            type: 'reflection',
            responses: {
              [shared!.id]: { text: 'I am good at explaining things', private: false },
              [secret!.id]: { text: 'Zoe-secret-answer', private: false },
            },
          },
          seq: 1,
          status: 'completed',
          savedAt: at,
          savedBy: pupilId,
        },
      },
    });

    await frame.getByRole('link', { name: 'My career journey' }).click();
    await heading(frame, 'My career journey');
    await expect.poll(() => frame.getByRole('heading', { name: module.title.en, level: 3 }).count(), { timeout: 15_000 }).toBe(1);
    expect(await seriousAxeViolations(frame)).toEqual([]);

    // Mark the second answer private from the journey.
    const toggle = frame.getByRole('checkbox', { name: `Keep private: ${secret!.text.en} (${module.title.en})` });
    await toggle.check();
    await expect.poll(() => frame.getByRole('status').first().textContent()).toContain('only you can read this answer now');
    const attempt = await models.ModuleAttempt.findOne({ schoolId: 'demo', userId: pupilId, moduleId: module.id }).lean();
    const responses = (attempt?.activities as Record<string, { answer: { responses: Record<string, { private: boolean }> } }>)[
      reflection.id
    ]?.answer.responses;
    expect(responses?.[secret!.id]?.private).toBe(true);
    expect(await models.LearningEvent.countDocuments({ schoolId: 'demo', userId: pupilId, kind: 'progress.answer-saved' })).toBe(
      1,
    );

    // Download the PDF (private answers left out by default).
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      frame.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    const file = await download.path();
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1000);
    const text = pdfText(pdf);
    expect(text).toContain(module.title.en);
    expect(text).toContain('I am good at explaining things');
    expect(text).not.toContain('Zoe-secret-answer');

    // In Dutch.
    await frame.getByRole('combobox', { name: 'Language' }).selectOption('nl');
    await heading(frame, 'Mijn loopbaanreis');
    expect(await seriousAxeViolations(frame)).toEqual([]);
    const [dutch] = await Promise.all([
      page.waitForEvent('download'),
      frame.getByRole('button', { name: 'Pdf downloaden' }).click(),
    ]);
    expect(pdfText(fs.readFileSync(await dutch.path()))).toContain(module.title.nl);
    await frame.getByRole('combobox', { name: 'Taal' }).selectOption('en');
    await context.close();
  });
});
