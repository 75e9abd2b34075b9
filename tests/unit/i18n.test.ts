/** Every client string exists in English and Dutch, file by file, and no Dutch string is left empty. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve('client/src/i18n/locales');

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function leaves(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [String(value)];
  return Object.values(value).flatMap(leaves);
}

describe('client translations', () => {
  const files = fs.readdirSync(path.join(root, 'en'));
  it('has at least the common file', () => {
    expect(files).toContain('common.json');
  });
  for (const file of files) {
    it(`${file}: Dutch has exactly the English keys, none empty`, () => {
      const en = JSON.parse(fs.readFileSync(path.join(root, 'en', file), 'utf8')) as unknown;
      const nlFile = path.join(root, 'nl', file);
      expect(fs.existsSync(nlFile), `missing nl/${file}`).toBe(true);
      const nl = JSON.parse(fs.readFileSync(nlFile, 'utf8')) as unknown;
      expect(keys(nl).sort()).toEqual(keys(en).sort());
      expect(leaves(nl).filter((s) => s.trim() === '')).toEqual([]);
    });
  }
  it('has no Dutch file without an English one', () => {
    expect(fs.readdirSync(path.join(root, 'nl')).sort()).toEqual(files.sort());
  });
});
