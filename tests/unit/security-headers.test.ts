import { describe, expect, it } from 'vitest';
import { cachedFrameAncestors } from '../../server/http/security-headers.js';

describe('cachedFrameAncestors', () => {
  it('reads the store once per TTL and deduplicates origins', async () => {
    let loads = 0;
    let clock = 0;
    const cache = cachedFrameAncestors(
      async () => {
        loads += 1;
        return ['https://b.example', 'https://a.example', 'https://b.example'];
      },
      1000,
      () => clock,
    );
    expect(await cache.list()).toEqual(['https://a.example', 'https://b.example']);
    await cache.list();
    expect(loads).toBe(1);
    clock = 1500;
    await cache.list();
    expect(loads).toBe(2);
  });
});
