/**
 * The dashboard as a PDF report for governors and inspectors: the same figures as the screen, as text tables,
 * in the planner's language. Pupil names are left out (the lists give their totals only): a report travels further
 * than the planner's screen.
 */
import PDFDocument from 'pdfkit';
import type { DashboardView } from '../../contract/dashboard.js';

type Lang = 'en' | 'nl';

const WORDS = {
  en: {
    title: 'Careers programme report',
    year: 'Academic year',
    filters: 'Filters',
    all: 'all',
    framework: 'Framework',
    yearGroup: 'Year group',
    cls: 'Class',
    group: 'Pupil group',
    pupils: 'Pupils',
    active: 'Pupils active this year',
    coverage: 'Coverage: pupils who completed at least one module for each item, by year group',
    byClass: 'Completion by class',
    byModule: 'Completion and satisfaction by module',
    gatsby: 'Encounters against the Gatsby expectations',
    employer: 'with an employer encounter this year',
    workplace: (n: number) => `with ${String(n)} or more workplace experiences so far`,
    notExpected: 'not expected yet',
    lists: 'Pupils to follow up',
    noEncounter: 'No encounter logged this year',
    noActivity: 'No activity this year',
    trends: 'Trends by term',
    activePupils: 'active pupils',
    completions: 'modules completed',
    encounters: 'encounters',
    readiness: 'Levels of help (readiness)',
    assessed: 'Pupils with a readiness check',
    completed: 'completed',
    ofStage: 'of pupils at this stage',
    rating: 'average rating',
    ratings: 'ratings',
    assigned: 'of assigned modules done',
    madeOn: 'Made on',
    page: (n: number, m: number) => `Page ${String(n)} of ${String(m)}`,
    capacity: (demand: number, total: number) =>
      `Individual case-managed help: ${String(demand)} pupils need it; advisers can take ${String(total)}`,
    levels: {
      'self-help': 'Self-help',
      'brief-staff-assisted': 'Brief staff-assisted',
      'individual-case-managed': 'Individual case-managed',
    },
  },
  nl: {
    title: 'Rapportage loopbaanprogramma',
    year: 'Schooljaar',
    filters: 'Filters',
    all: 'alle',
    framework: 'Kader',
    yearGroup: 'Leerjaar',
    cls: 'Klas',
    group: 'Leerlinggroep',
    pupils: 'Leerlingen',
    active: 'Leerlingen actief dit jaar',
    coverage: 'Dekking: leerlingen die minstens één module per onderdeel afrondden, per leerjaar',
    byClass: 'Afronding per klas',
    byModule: 'Afronding en waardering per module',
    gatsby: 'Ontmoetingen volgens de Gatsby-verwachtingen',
    employer: 'met een ontmoeting met een werkgever dit jaar',
    workplace: (n: number) => `met ${String(n)} of meer werkplekervaringen tot nu toe`,
    notExpected: 'nog niet verwacht',
    lists: 'Leerlingen om op te volgen',
    noEncounter: 'Geen ontmoeting vastgelegd dit jaar',
    noActivity: 'Geen activiteit dit jaar',
    trends: 'Verloop per periode',
    activePupils: 'actieve leerlingen',
    completions: 'modules afgerond',
    encounters: 'ontmoetingen',
    readiness: 'Niveaus van begeleiding (loopbaangereedheid)',
    assessed: 'Leerlingen met een check',
    completed: 'afgerond',
    ofStage: 'van de leerlingen in deze fase',
    rating: 'gemiddelde waardering',
    ratings: 'waarderingen',
    assigned: 'van de toegewezen modules af',
    madeOn: 'Gemaakt op',
    page: (n: number, m: number) => `Pagina ${String(n)} van ${String(m)}`,
    capacity: (demand: number, total: number) =>
      `Individuele begeleiding: ${String(demand)} leerlingen hebben het nodig; adviseurs kunnen er ${String(total)} aan`,
    levels: {
      'self-help': 'Zelfhulp',
      'brief-staff-assisted': 'Korte begeleiding',
      'individual-case-managed': 'Individuele begeleiding',
    },
  },
} as const;

const printable = (s: string) =>
  s.replace(/[^\s\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u20ac]/gu, '');
const pct = (p: number | null) => (p === null ? '–' : `${String(p)}%`);

export function renderDashboardPdf(
  view: DashboardView,
  opts: { lang: Lang; schoolName: string | null; now: Date },
): Promise<Buffer> {
  const w = WORDS[opts.lang];
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    lang: opts.lang,
    info: { Title: w.title, Creator: 'Waymark' },
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const text = (s: string, o: PDFKit.Mixins.TextOptions = {}) => doc.text(printable(s), o);
  const heading = (s: string) => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor('#1a3a5c');
    text(s);
    doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor('#000000');
  };
  const line = (s: string) => text(s);

  doc.font('Helvetica-Bold').fontSize(20).fillColor('#1a3a5c');
  text(w.title);
  doc.font('Helvetica').fontSize(11).fillColor('#000000');
  if (opts.schoolName) text(opts.schoolName);
  text(`${w.year} ${view.academicYear.id} (${view.academicYear.start} – ${view.academicYear.end})`);
  const f = view.filters;
  const fw = view.options.frameworks.find((x) => x.id === f.framework)?.title ?? f.framework;
  const cls = f.classId ? (view.options.classes.find((c) => c.id === f.classId)?.title ?? f.classId) : w.all;
  text(
    `${w.filters}: ${w.framework} ${fw}; ${w.yearGroup} ${f.yearGroup ?? w.all}; ${w.cls} ${cls}; ${w.group} ${f.group ?? w.all}`,
  );
  text(`${w.madeOn} ${opts.now.toISOString().slice(0, 10)}`);
  doc.moveDown(0.5);
  text(`${w.pupils}: ${String(view.pupils)}   ${w.active}: ${String(view.activePupils)}`);

  heading(w.coverage);
  for (const row of view.coverage.rows) {
    const cells = view.coverage.cells.filter((c) => c.code === row.code);
    line(
      `${row.code} ${row.title}: ${cells.map((c) => `${c.yearGroup} ${pct(c.percent)} (${String(c.covered)}/${String(c.pupils)})`).join(', ')}`,
    );
  }

  heading(w.byClass);
  for (const c of view.completionByClass)
    line(
      `${c.title}: ${String(c.pupilsCompleted)}/${String(c.pupils)} ${w.completed}, ${String(c.completions)} ${w.completions}` +
        (c.assignedPercent === null ? '' : `, ${pct(c.assignedPercent)} ${w.assigned}`),
    );

  heading(w.byModule);
  for (const m of view.completionByModule)
    line(
      `${m.title} (${m.stage ?? '–'}): ${String(m.completed)} ${w.completed}, ${pct(m.percent)} ${w.ofStage}` +
        (m.averageRating === null ? '' : `; ${w.rating} ${m.averageRating.toFixed(1)} (${String(m.ratings)} ${w.ratings})`),
    );

  heading(w.gatsby);
  for (const g of view.gatsby.byYearGroup) {
    const emp = g.employerExpected
      ? `${pct(g.employerPercent)} ${w.employer} (${String(g.withEmployerEncounter)}/${String(g.pupils)})`
      : `GB5 ${w.notExpected}`;
    const wp = g.workplaceNeeded
      ? `${pct(g.workplacePercent)} ${w.workplace(g.workplaceNeeded)} (${String(g.meetingWorkplace)}/${String(g.pupils)})`
      : `GB6 ${w.notExpected}`;
    line(`${g.label} (${g.yearGroup}): ${emp}; ${wp}`);
  }

  heading(w.lists);
  line(`${w.noEncounter}: ${String(view.lists.noEncounter.total)}`);
  line(`${w.noActivity}: ${String(view.lists.noActivity.total)}`);

  heading(w.trends);
  for (const t of view.trends)
    line(
      `${t.name} (${t.start} – ${t.end}): ${String(t.activePupils)} ${w.activePupils}, ${String(t.completions)} ${w.completions}, ${String(t.encounters)} ${w.encounters}`,
    );

  if (view.readiness.available) {
    heading(w.readiness);
    line(`${w.assessed}: ${String(view.readiness.assessed)}`);
    for (const l of view.readiness.levels) line(`${w.levels[l.level as keyof typeof w.levels]}: ${String(l.pupils)}`);
    const cap = view.readiness.capacity;
    if (cap) line(w.capacity(cap.demand, cap.total));
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(9).fillColor('#444444');
    doc.text(w.page(i + 1, range.count), doc.page.margins.left, doc.page.height - 40, {
      width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
