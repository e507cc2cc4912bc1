/**
 * A string key as a string of its own. In V8 a part of a longer string (from
 * split or slice, 13 characters or more) is a view that keeps the whole
 * string alive, so a cached word would keep its cell's text, and a cache of
 * 50,000 words the cells: over a 20,000-row list the ICU segment cache held
 * 640-860 bytes an entry for keys of 10 characters. Copied when stored only.
 */
const own = <K>(key: K): K => (typeof key === 'string' && key.length >= 13 ? (JSON.parse(JSON.stringify(key)) as K) : key);

/**
 * A cache that keeps what was used recently, within a bound: official text
 * repeats a few hundred phrases (a province, a rank, a heading) among
 * thousands of one-off names, and clearing a full cache would forget the
 * phrases with the names. Two generations: entries go into the young one;
 * when it is full it becomes the old one and the previous old one is
 * dropped; an old entry used again moves back to the young one. A hit in the
 * young generation costs one lookup. At most 2 × `perGeneration` entries.
 */
export class RecentCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(private readonly perGeneration: number) {}

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const older = this.old.get(key);
    if (older !== undefined) this.set(key, older);
    return older;
  }

  set(key: K, value: V): void {
    if (this.young.size >= this.perGeneration) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(own(key), value);
  }
}
