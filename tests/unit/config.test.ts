import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

const base = { DATA_DIR: path.join(os.tmpdir(), 'waymark-config-test'), KEY_ENCRYPTION_SECRET: 'x'.repeat(40) };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('defaults PUBLIC_URL to http://localhost:$PORT and turns the demo on outside production', () => {
    const config = loadConfig({ ...base, PORT: '4321' });
    expect(config.port).toBe(4321);
    expect(config.publicUrl).toBe('http://localhost:4321');
    expect(config.demo).toBe(true);
    expect(config.demoPublicUrl).toBe('http://127.0.0.1:4321');
    expect(config.mongoDir).toBe(path.join(base.DATA_DIR, 'mongo'));
  });

  it('names PORT when it is not a number', () => {
    const found = problems({ PORT: 'abc' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^PORT: must be a port number/);
  });

  it('lists every bad variable, one line each', () => {
    const found = problems({ PORT: '70000', LOG_LEVEL: 'loud', PUBLIC_URL: 'not a url', MONGODB_URI: 'postgres://x' });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'MONGODB_URI', 'PORT', 'PUBLIC_URL']);
  });

  it('requires KEY_ENCRYPTION_SECRET in production and turns the demo off there', () => {
    expect(problems({ NODE_ENV: 'production', KEY_ENCRYPTION_SECRET: '' })[0]).toMatch(/^KEY_ENCRYPTION_SECRET: is required/);
    const config = loadConfig({ ...base, NODE_ENV: 'production', PUBLIC_URL: 'https://waymark.example.org/' });
    expect(config.demo).toBe(false);
    expect(config.publicUrl).toBe('https://waymark.example.org');
  });

  it('rejects a short secret', () => {
    expect(problems({ KEY_ENCRYPTION_SECRET: 'short' })[0]).toMatch(/^KEY_ENCRYPTION_SECRET: must be at least 32/);
  });

  it('generates and keeps a secret in the data folder when none is configured outside production', () => {
    const dir = path.join(os.tmpdir(), `waymark-secret-${process.pid}-${Date.now()}`);
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.secretGenerated).toBe(true);
    expect(first.keyEncryptionSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.keyEncryptionSecret).toBe(first.keyEncryptionSecret);
  });

  it('reads the demo switch', () => {
    expect(loadConfig({ ...base, DEMO: 'false' }).demo).toBe(false);
    expect(problems({ DEMO: 'maybe' })[0]).toMatch(/^DEMO: must be true or false/);
  });
});
