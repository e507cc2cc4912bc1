import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RenderPool } from '../src/batch/pool.js';
import { RequestError, TaskMemoryError, TaskTimeoutError } from '../src/batch/taskErrors.js';
import { ValidationError } from '../src/validation.js';

/** The render pool on its own: what a task past its deadline, its heap or the structured clone does to it. */

const root = new URL('..', import.meta.url).pathname;
const memo = JSON.parse(readFileSync(join(root, 'examples/memo/budget-request.json'), 'utf8')) as Record<string, unknown>;
// A letter of seven 19,000-letter words: seconds of line breaking.
const slowMemo = { ...memo, body: Array.from({ length: 7 }, () => 'ก'.repeat(19_000)) };
const pool = new RenderPool(1, 96);
afterAll(() => pool.close());

const renderMemo = (deadlineMs = 60_000) => pool.run({ kind: 'form', formId: 'memo', input: memo, format: 'pdf' }, { deadlineMs, interactive: true });

describe('render pool', () => {
  it('renders on a thread and moves the bytes back', async () => {
    const { data, pages } = await renderMemo();
    expect(Buffer.from(data).subarray(0, 5).toString()).toBe('%PDF-');
    expect(pages).toBeGreaterThanOrEqual(1);
  });

  it('stops a task at its deadline, replaces the thread, and the next task renders', async () => {
    const started = performance.now();
    await expect(pool.run({ kind: 'form', formId: 'memo', input: slowMemo, format: 'pdf' }, { deadlineMs: 300 })).rejects.toBeInstanceOf(TaskTimeoutError);
    expect(performance.now() - started).toBeLessThan(1500);
    expect((await renderMemo()).data.byteLength).toBeGreaterThan(1000);
    expect(pool.threads).toBe(1);
  });

  it('a task that needs more than the heap cap kills only its own thread', async () => {
    // Four million objects cross into a thread whose heap may hold 96 MB.
    const rows = Array.from({ length: 4_000_000 }, (_, i) => ({ i, name: `row ${i}` }));
    await expect(pool.run({ kind: 'compute', formId: 'memo', input: { rows } }, { deadlineMs: 60_000 })).rejects.toBeInstanceOf(TaskMemoryError);
    expect((await renderMemo()).data.byteLength).toBeGreaterThan(1000);
  });

  it('refuses data the structured clone cannot copy, without touching the thread', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    await expect(pool.run({ kind: 'compute', formId: 'memo', input: deep }, { deadlineMs: 60_000 })).rejects.toBeInstanceOf(RequestError);
    expect((await renderMemo()).data.byteLength).toBeGreaterThan(1000);
  });

  it('brings a thread\'s errors back as their own classes', async () => {
    await expect(pool.run({ kind: 'compute', formId: 'memo', input: {} }, { deadlineMs: 60_000 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('requests behind requests, or behind a short batch task (the warm-up), wait for a thread: no spare is started', async () => {
    const warmUpLike = pool.run({ kind: 'form', formId: 'memo', input: { ...memo, body: ['ก'.repeat(19_000)] }, format: 'pdf' }, { deadlineMs: 60_000, short: true });
    await new Promise((r) => setTimeout(r, 50));
    const pages = await Promise.all([renderMemo(), renderMemo(), renderMemo(), warmUpLike].map(async (r) => (await r).pages));
    expect(pages.every((n) => (n ?? 0) >= 1)).toBe(true);
    expect(pool.threads).toBe(1);
  });

  it('a request does not wait for batch documents holding every thread: it gets a thread of its own', async () => {
    const order: string[] = [];
    const longList = { ...memo, body: Array.from({ length: 40 }, () => 'ก'.repeat(19_000)) };
    const batch = pool.run({ kind: 'form', formId: 'memo', input: longList, format: 'pdf' }, { deadlineMs: 120_000 }).then(() => order.push('batch'));
    await new Promise((r) => setTimeout(r, 50));
    const request = renderMemo().then(() => order.push('request'));
    await Promise.all([batch, request]);
    expect(order).toEqual(['request', 'batch']);
    expect(pool.threads).toBe(2);
  });

  it('runs a waiting request before waiting batch documents', async () => {
    const order: string[] = [];
    // Both threads (the pool's one and the spare for requests) busy with requests.
    const slow = (input: unknown) => pool.run({ kind: 'form', formId: 'memo', input, format: 'pdf' }, { deadlineMs: 120_000, interactive: true }).then(() => order.push('busy'));
    // The second runs far longer, so the first thread to free up is the first one's, and only one is free then.
    const busy = [slow(slowMemo), slow({ ...memo, body: Array.from({ length: 40 }, () => 'ก'.repeat(19_000)) })];
    const batch = pool.run({ kind: 'compute', formId: 'memo', input: memo }, { deadlineMs: 60_000 }).then(() => order.push('batch'));
    const request = pool.run({ kind: 'compute', formId: 'memo', input: memo }, { deadlineMs: 60_000, interactive: true }).then(() => order.push('request'));
    await Promise.all([...busy, batch, request]);
    expect(order.indexOf('request')).toBeLessThan(order.indexOf('batch'));
  });
});
