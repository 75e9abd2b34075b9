/**
 * The committed careers dataset: 3,007 occupations complete in English and Dutch, US figures only where the
 * crosswalk (or a broader occupation's crosswalk entry) reaches a BLS row, every figure labelled with country,
 * source and year, and authored data that fits it. When the source folder is present, a fresh import must
 * reproduce the committed version exactly.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAuthored, loadAuthored, skillLevelOf } from '../../../curriculum/careers/authored.js';
import { parseCsv } from '../../../curriculum/careers/csv.js';
import { readDataset, readMeta, socOf } from '../../../curriculum/careers/dataset.js';
import { buildDataset, datasetMeta } from '../../../curriculum/careers/import.js';
import type { CatalogOccupation } from '../../../server/modules/careers/catalog.js';
import { presentLabourMarket } from '../../../server/modules/careers/present.js';

const SOURCE = '/work/shared/careers-data';
const dataset = readDataset();
const meta = readMeta();
const authored = loadAuthored();

function catalogOccupation(o: (typeof dataset.occupations)[number]): CatalogOccupation {
  const bls = o.onet ? dataset.bls[socOf(o.onet)] : undefined;
  return {
    id: o.id,
    uri: `http://data.europa.eu/esco/occupation/${o.id}`,
    code: o.code,
    isco: o.isco,
    skillLevel: skillLevelOf(authored.routes, o.isco),
    title: { en: o.title[0], nl: o.title[1] },
    description: { en: o.description[0], nl: o.description[1] },
    alt: { en: o.alt[0], nl: o.alt[1] },
    regulated: o.regulated,
    essential: [],
    optional: [],
    onet: o.onet ? { code: o.onet, title: dataset.onet[o.onet] ?? o.onet, via: o.via ?? 'crosswalk' } : null,
    bls: bls && o.onet ? { ...bls, soc: socOf(o.onet), ...dataset.blsMeta } : null,
  };
}

describe('careers dataset', () => {
  it('holds 3,007 occupations with title and description in both languages', () => {
    expect(dataset.occupations).toHaveLength(3007);
    expect(meta.counts.occupations).toBe(3007);
    expect(meta.languages).toEqual(['en', 'nl']);
    for (const o of dataset.occupations) {
      expect(
        o.title.every((t) => t.trim().length > 0),
        o.id,
      ).toBe(true);
      expect(
        o.description.every((t) => t.trim().length > 0),
        o.id,
      ).toBe(true);
    }
    expect(new Set(dataset.occupations.map((o) => o.id)).size).toBe(3007);
  });

  it('keeps only linked skills and valid link indexes', () => {
    const used = new Set(dataset.occupations.flatMap((o) => [...o.essential, ...o.optional]));
    expect(used.size).toBe(dataset.skills.length);
    expect(Math.max(...used)).toBeLessThan(dataset.skills.length);
    expect(meta.counts.skills).toBe(dataset.skills.length);
  });

  it('has its version as the hash of its content', () => {
    expect(datasetMeta(dataset)).toEqual(meta);
  });

  it('gives labour-market figures only where the crosswalk reaches a BLS row, each with country, source and year', () => {
    let withFigures = 0;
    for (const o of dataset.occupations) {
      const lm = presentLabourMarket(catalogOccupation(o));
      const reaches = o.onet !== null && dataset.bls[socOf(o.onet)] !== undefined;
      expect(lm !== null, o.id).toBe(reaches);
      if (!lm) continue;
      withFigures++;
      expect(lm.country).toBe('US');
      expect(lm.figures.length).toBeGreaterThan(0);
      for (const f of lm.figures) {
        expect(f.country).toBe('US');
        expect(f.source).toMatch(/Bureau of Labor Statistics/);
        expect(f.year).toMatch(/20\d\d/);
      }
    }
    expect(withFigures).toBe(meta.counts.with_labour_market);
    // README: about 2,590 of 3,007 reach a BLS row.
    expect(withFigures).toBeGreaterThan(2500);
    expect(withFigures).toBeLessThan(2700);
  });

  it.skipIf(!fs.existsSync(SOURCE))(
    'uses crosswalk codes directly, and broader occupations only for occupations not in the crosswalk',
    () => {
      const crosswalk = new Map(
        parseCsv(fs.readFileSync(`${SOURCE}/crosswalks/esco_onet_crosswalk_nesta_2020.csv`, 'utf8'), [
          'concept_uri',
          'onet_code',
        ]).map((r) => [r.concept_uri.split('/').pop(), r.onet_code]),
      );
      for (const o of dataset.occupations) {
        const direct = crosswalk.get(o.id);
        if (direct) expect({ onet: o.onet, via: o.via }).toEqual({ onet: direct, via: 'crosswalk' });
        else if (o.onet) expect(o.via).toBe('broader');
      }
    },
  );

  // A full import parses the ESCO, O*NET and BLS files: a few seconds of CPU, longer on a busy machine.
  it.skipIf(!fs.existsSync(SOURCE))('is reproduced exactly by a fresh import', { timeout: 60_000 }, () => {
    expect(datasetMeta(buildDataset(SOURCE)).version).toBe(meta.version);
  });

  it('has authored subjects, interests, routes and people-at-work cards that fit it', () => {
    expect(checkAuthored(authored, dataset)).toEqual([]);
    expect(authored.peopleAtWork.length).toBeGreaterThanOrEqual(30);
    for (const id of ['realistic', 'investigative', 'artistic', 'social', 'enterprising', 'conventional'])
      expect(authored.interests.map((i) => i.id)).toContain(id);
  });
});
