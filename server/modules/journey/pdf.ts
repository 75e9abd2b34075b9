/**
 * The journey as a PDF the pupil can attach to applications: a title page, one section per kind, page numbers
 * ("page n of m"), in the pupil's language. Private reflection texts are left out unless the pupil asked for them
 * (`includePrivate`): a PDF travels further than the pupil's own screen.
 *
 * Built with pdfkit's standard Helvetica (WinAnsi), which covers English and Dutch; characters it cannot encode
 * (emoji) are dropped rather than printed as garbage.
 */
import PDFDocument from 'pdfkit';
import type { JourneyItem } from '../../contract/journey.js';

type Lang = 'en' | 'nl';

const WORDS = {
  en: {
    title: 'My career journey',
    subtitle: 'A portfolio of my career learning',
    madeOn: 'Made on',
    modules: 'Modules I completed',
    learned: 'What I learned',
    plans: 'My goals and plans',
    goal: 'Goal',
    steps: 'Steps',
    support: 'Help I need',
    log: 'Experiences',
    hours: 'hours',
    verified: 'verified by school',
    confirmed: 'confirmed by the organisation',
    reflections: 'My reflections',
    occupations: 'Jobs I am interested in',
    adviserNotes: 'Notes from my careers adviser',
    none: 'Nothing here yet.',
    privateLeftOut: 'Reflections I marked private are not included.',
    privateIncluded: 'This copy includes reflections I marked private.',
    page: (n: number, m: number) => `Page ${String(n)} of ${String(m)}`,
  },
  nl: {
    title: 'Mijn loopbaanreis',
    subtitle: 'Een portfolio van mijn loopbaanleren',
    madeOn: 'Gemaakt op',
    modules: 'Modules die ik heb afgerond',
    learned: 'Wat ik leerde',
    plans: 'Mijn doelen en plannen',
    goal: 'Doel',
    steps: 'Stappen',
    support: 'Hulp die ik nodig heb',
    log: 'Ervaringen',
    hours: 'uur',
    verified: 'bevestigd door school',
    confirmed: 'bevestigd door de organisatie',
    reflections: 'Mijn reflecties',
    occupations: 'Beroepen die me interesseren',
    adviserNotes: 'Notities van mijn loopbaanadviseur',
    none: 'Hier staat nog niets.',
    privateLeftOut: 'Reflecties die ik privé heb gemaakt staan er niet in.',
    privateIncluded: 'Deze versie bevat ook reflecties die ik privé heb gemaakt.',
    page: (n: number, m: number) => `Pagina ${String(n)} van ${String(m)}`,
  },
} as const;

export interface JourneyPdfInput {
  items: JourneyItem[];
  lang: Lang;
  pupilName: string | null;
  schoolName: string | null;
  includePrivate: boolean;
  now: Date;
}

// WinAnsi covers Latin-1 plus a few punctuation marks; anything else would print as the wrong glyph.
const printable = (s: string) =>
  s.replace(/[^\s\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u20ac]/gu, '');

const dateOf = (iso: string, lang: Lang) =>
  new Date(iso).toLocaleDateString(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** Renders the PDF and resolves with its bytes. */
export function renderJourneyPdf(input: JourneyPdfInput): Promise<Buffer> {
  const { lang, items } = input;
  const w = WORDS[lang];
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 64, bottom: 72, left: 64, right: 64 },
    bufferPages: true,
    lang,
    info: { Title: w.title, Author: input.pupilName ?? '', Creator: 'Waymark' },
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });

  const text = (s: string, opts: PDFKit.Mixins.TextOptions = {}) => doc.text(printable(s), opts);
  const heading = (s: string) => {
    doc.moveDown(1).font('Helvetica-Bold').fontSize(16).fillColor('#1a3a5c');
    text(s);
    doc.moveDown(0.4).font('Helvetica').fontSize(11).fillColor('#000000');
  };
  const sub = (s: string) => {
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12);
    text(s);
    doc.font('Helvetica').fontSize(11);
  };
  const meta = (s: string) => {
    doc.fontSize(9).fillColor('#444444');
    text(s);
    doc.fontSize(11).fillColor('#000000');
  };

  // Title page.
  doc.moveDown(8).font('Helvetica-Bold').fontSize(28).fillColor('#1a3a5c');
  text(w.title, { align: 'center' });
  doc.moveDown(0.5).font('Helvetica').fontSize(14).fillColor('#000000');
  text(w.subtitle, { align: 'center' });
  doc.moveDown(3).fontSize(16);
  if (input.pupilName) text(input.pupilName, { align: 'center' });
  if (input.schoolName) {
    doc.fontSize(12);
    text(input.schoolName, { align: 'center' });
  }
  doc.moveDown(2).fontSize(11);
  text(`${w.madeOn} ${dateOf(input.now.toISOString(), lang)}`, { align: 'center' });
  doc.moveDown(1).fontSize(10).fillColor('#444444');
  text(input.includePrivate ? w.privateIncluded : w.privateLeftOut, { align: 'center' });
  doc.fillColor('#000000');

  doc.addPage();
  const of = <K extends JourneyItem['kind']>(kind: K) =>
    items.filter((i): i is Extract<JourneyItem, { kind: K }> => i.kind === kind);

  heading(w.modules);
  const modules = of('module');
  if (!modules.length) text(w.none);
  for (const m of modules) {
    sub(m.title[lang]);
    meta(dateOf(m.at, lang));
    text(`${w.learned}:`);
    for (const o of m.outcomes) text(o[lang], { indent: 12, continued: false }).moveDown(0.1);
  }

  heading(w.plans);
  const plans = of('plan');
  if (!plans.length) text(w.none);
  for (const p of plans) {
    sub(p.moduleTitle[lang]);
    meta(dateOf(p.at, lang));
    if (p.goal.trim()) text(`${w.goal}: ${p.goal}`);
    if (p.steps.length) {
      text(`${w.steps}:`);
      p.steps.forEach((s, i) => text(`${String(i + 1)}. ${s.text}${s.date ? ` (${dateOf(s.date, lang)})` : ''}`, { indent: 12 }));
    }
    if (p.support) text(`${w.support}: ${p.support}`);
  }

  const reflections = of('reflection').filter((r) => input.includePrivate || !r.private);
  heading(w.log);
  const entries = of('log');
  if (!entries.length) text(w.none);
  for (const e of entries) {
    sub(`${e.encounterTitle[lang]}: ${e.organisation}`);
    const facts = [dateOf(e.at, lang), `${String(e.hours)} ${w.hours}`];
    if (e.verified) facts.push(w.verified);
    if (e.hostConfirmed) facts.push(w.confirmed);
    meta(facts.join(' · '));
    for (const r of reflections)
      if (r.ref.type === 'log' && r.ref.entryId === e.entryId) {
        doc.font('Helvetica-Oblique');
        text(r.prompt[lang]);
        doc.font('Helvetica');
        text(r.text, { indent: 12 });
      }
  }

  heading(w.reflections);
  const moduleReflections = reflections.filter((r) => r.ref.type === 'module');
  if (!moduleReflections.length) text(w.none);
  let context = '';
  for (const r of moduleReflections) {
    if (r.context[lang] !== context) {
      context = r.context[lang];
      sub(context);
    }
    doc.font('Helvetica-Oblique');
    text(r.prompt[lang]);
    doc.font('Helvetica');
    text(r.text, { indent: 12 });
  }

  heading(w.occupations);
  const occupations = of('occupation');
  if (!occupations.length) text(w.none);
  for (const o of occupations) {
    sub(o.title[lang]);
    if (o.note.trim()) text(o.note);
  }

  // Adviser notes marked for the pupil: a section only when there are some.
  const adviserNotes = of('adviser-note');
  if (adviserNotes.length) {
    heading(w.adviserNotes);
    for (const n of adviserNotes) {
      meta([dateOf(n.at, lang), n.adviserName].filter(Boolean).join(' · '));
      text(n.text);
    }
  }

  // Page numbers on every page but the title page; the bottom margin is lifted so the footer does not spill over.
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let i = 1; i < total; i++) {
    doc.switchToPage(range.start + i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(9).fillColor('#444444');
    doc.text(w.page(i + 1, total), doc.page.margins.left, doc.page.height - 40, {
      width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
