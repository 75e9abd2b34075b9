/**
 * The readable side of a pupil's export: a PDF summary of what Waymark holds, collection by collection, with the
 * main facts of each record (the JSON export has every field). In the planner's language; standard Helvetica
 * (WinAnsi) as in the journey PDF, dropping characters it cannot print.
 */
import PDFDocument from 'pdfkit';
import type { PupilExport } from './export.js';

type Lang = 'en' | 'nl';
type Doc = Record<string, string | number | boolean | null | undefined>;

const WORDS = {
  en: {
    title: 'Personal data held by Waymark',
    about: 'About',
    school: 'School',
    made: 'Made on',
    intro:
      'This summary lists what Waymark holds about the pupil. The machine-readable export (JSON) holds every field, the evidence files and the xAPI statements.',
    records: (n: number) => (n === 1 ? '1 record' : `${String(n)} records`),
    none: 'None.',
    withheld: 'Withheld',
    evidence: 'Evidence files',
    statements: 'xAPI statements about the pupil',
    documents: 'xAPI documents about the pupil',
    page: (n: number, m: number) => `Page ${String(n)} of ${String(m)}`,
  },
  nl: {
    title: 'Persoonsgegevens in Waymark',
    about: 'Over',
    school: 'School',
    made: 'Gemaakt op',
    intro:
      'Dit overzicht noemt wat Waymark over de leerling bewaart. De machineleesbare export (JSON) bevat elk veld, de bewijsbestanden en de xAPI-statements.',
    records: (n: number) => (n === 1 ? '1 gegeven' : `${String(n)} gegevens`),
    none: 'Geen.',
    withheld: 'Niet meegegeven',
    evidence: 'Bewijsbestanden',
    statements: 'xAPI-statements over de leerling',
    documents: 'xAPI-documenten over de leerling',
    page: (n: number, m: number) => `Pagina ${String(n)} van ${String(m)}`,
  },
} as const;

/** What each collection's lines show (the most telling fields first); anything else stays in the JSON. */
const LINES: Record<string, (d: Doc) => string> = {
  user: (d) => [d.name, d.yearGroup, d.role, d.locale].filter(Boolean).join(' · '),
  memberships: (d) => `class ${String(d.classId)} · ${String(d.role)} · ${String(d.status)}`,
  learning_events: (d) => `${String(d.at).slice(0, 10)} ${String(d.kind)}`,
  module_attempts: (d) =>
    `${String(d.moduleId)} v${String(d.moduleVersion)} · ${String(d.status)}${d.completedAt ? ` ${String(d.completedAt).slice(0, 10)}` : ''}`,
  log_entries: (d) => `${String(d.date)} · ${String(d.encounterType)} · ${String(d.organisation)} · ${String(d.hours)} h`,
  saved_occupations: (d) => `${String(d.occupationId)}${d.note ? `: ${String(d.note)}` : ''}`,
  readiness_results: (d) => `${String(d.at).slice(0, 10)} · ${String(d.suggestedLevel)}`,
  adviser_reviews: (d) =>
    `${String(d.agreedLevel ?? '-')}${d.followUpAt ? ` · follow-up ${String(d.followUpAt).slice(0, 10)}` : ''}`,
  destinations: (d) =>
    `${String(d.cohort)} ${String(d.checkpoint)}: ${String(d.status)}${d.detail ? ` (${String(d.detail)})` : ''}`,
  sharing_consents: (d) => `${String(d.kind)}: ${String(d.status)}`,
  adviser_views: (d) => `${String(d.at).slice(0, 10)} · ${String(d.what)}`,
};

const printable = (s: string) =>
  s.replace(/[^\s\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u20ac]/gu, '');

/** Renders the summary PDF. */
export function renderExportPdf(data: PupilExport, lang: Lang): Promise<Buffer> {
  const w = WORDS[lang];
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    lang,
    info: { Title: w.title, Creator: 'Waymark' },
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const text = (s: string, opts: PDFKit.Mixins.TextOptions = {}) => doc.text(printable(s), opts);
  const heading = (s: string) => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor('#1a3a5c');
    text(s);
    doc.font('Helvetica').fontSize(10).fillColor('#000000');
  };

  doc.font('Helvetica-Bold').fontSize(20).fillColor('#1a3a5c');
  text(w.title);
  doc.font('Helvetica').fontSize(11).fillColor('#000000').moveDown(0.5);
  text(`${w.about}: ${data.pupil.name ?? data.pupil.id} (${data.pupil.id})`);
  text(`${w.school}: ${data.school.name ?? data.school.id}`);
  text(`${w.made}: ${data.generatedAt.slice(0, 10)}`);
  doc.moveDown(0.5).fontSize(10);
  text(w.intro);

  for (const [name, docs] of Object.entries(data.collections)) {
    heading(`${name.replace(/_/g, ' ')} (${w.records(docs.length)})`);
    if (docs.length === 0) text(w.none);
    const line = LINES[name];
    for (const d of docs.slice(0, 200)) text(`• ${line ? line(d as Doc) : String((d as Doc)._id ?? '')}`, { indent: 8 });
    if (docs.length > 200) text(`… +${String(docs.length - 200)}`, { indent: 8 });
  }
  heading(`${w.evidence} (${w.records(data.evidence.length)})`);
  for (const e of data.evidence) text(`• ${e.name ?? e.evidenceId} · ${e.contentType} · ${String(e.size)} B`, { indent: 8 });
  heading(`${w.statements} (${w.records(data.xapi.statements.length)})`);
  heading(`${w.documents} (${w.records(data.xapi.documents.length)})`);
  heading(w.withheld);
  for (const h of data.withheld) text(`• ${h.collection}: ${h.reason}`, { indent: 8 });

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // the footer sits in the margin; without this pdfkit would start a new page
    doc.fontSize(8).fillColor('#444444');
    doc.text(w.page(i + 1, range.count), 56, doc.page.height - 40, {
      width: doc.page.width - 112,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
