import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RecentCache } from '../src/util/recentCache.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapUsed = () => { gc(); gc(); return process.memoryUsage().heapUsed; };

describe('RecentCache', () => {
  it('keeps a string key as a string of its own, not the longer text it was cut from', () => {
    const cache = new RecentCache<string, number>(100);
    const before = heapUsed();
    // 50 Thai texts of 200 KB each (10 MB); a 20-character word of each becomes a key.
    const prefix = (i: number) => String(i).padStart(3, '๐');
    let texts: string[] | undefined = Array.from({ length: 50 }, (_, i) => `${prefix(i)}${'ขอบคุณ'.repeat(16_000)}`);
    texts.forEach((t, i) => cache.set(t.slice(0, 20), i));
    texts = undefined;
    // A slice of 13 characters or more keeps its whole text alive in V8: 10 MB here.
    expect(heapUsed() - before).toBeLessThan(1_000_000);
    const word = (i: number) => `${prefix(i)}${'ขอบคุณ'.repeat(3)}`.slice(0, 20);
    expect(Array.from({ length: 50 }, (_, i) => cache.get(word(i)))).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('keeps the recent entries of two generations and drops the older ones', () => {
    const cache = new RecentCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // a and b become the old generation
    expect(cache.get('a')).toBe(1); // used again: back in the young one, with c
    cache.set('d', 4); // young (c, a) becomes old; b is dropped
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
  });
});
