import { createReadStream, createWriteStream, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Zip, ZipPassThrough, strToU8 } from 'fflate';
import { getForm } from '../forms/registry.js';
import { BatchFailure, batchSpecOf } from './groupRows.js';
import { CONTENT_TYPES } from '../render/contentTypes.js';
import { safeFileName } from '../util/fileName.js';
import { BATCH_TASK_TIMEOUT_MS, type RenderPool } from './pool.js';
import type { Group, SpillEvent, SpillResult } from './spill.js';
import { MAX_REPORTED_BAD_ROWS, type Job, type JobStore } from './jobs.js';
import { concatPdfs } from '../render/pdf/concatPdfs.js';
import { logger } from '../http/ops.js';

/** Documents handed to the pool ahead of the ones being rendered. */
const AHEAD = 2;
const SAVE_EVERY_MS = 250;


/**
 * Runs one batch job: reads and validates the rows (bad rows are reported and
 * left out), spills them to disk by group, renders each group's document in
 * the worker pool, and writes the ZIP or merged PDF beside the job as
 * `result.part`, renamed to `result` only when whole.
 */
export async function runJob(job: Job, store: JobStore, pool: RenderPool, onProgress: (job: Job) => void = () => {}): Promise<void> {
  // A form without a batch mode fails the job here, with words a clerk can read.
  batchSpecOf(job.formId);
  const work = store.workDir(job);
  store.clearWork(job);
  // A restarted job reads its file again from the start.
  job.skippedRows = [];
  mkdirSync(work, { recursive: true });
  let lastSave = 0;
  const progress = (force = false) => {
    onProgress(job);
    const now = Date.now();
    if (force || now - lastSave > SAVE_EVERY_MS) { store.save(job); lastSave = now; }
  };

  const t0 = performance.now();
  const ext = job.options.output === 'pdf' ? 'pdf' : job.options.format;
  // Rendering starts while the file is still being read: a group whose rows have all been
  // read (the next row belongs to another group) goes to the pool at once. That holds only
  // for a file sorted by group, as exports usually are; in an unsorted file a group can
  // come back, so what was rendered early is thrown away and rendered again at the end.
  const feed = new GroupFeed();
  const early = renderGroups(job, feed, pool, work, ext, () => progress());
  // Awaited below; until then a failure there must not count as unhandled.
  early.catch(() => {});
  let read: SpillResult;
  try {
    // Read on a render thread, like every parse of a file a client sent; what it finds arrives as events.
    read = await pool.run({ kind: 'spill', formId: job.formId, input: store.inputPath(job), filename: job.input.filename, sheet: job.options.sheet, groupBy: job.options.groupBy, columns: job.options.columns, work },
      { deadlineMs: BATCH_TASK_TIMEOUT_MS, onEvent: (e) => { heard(job, e as SpillEvent, feed); progress(); } });
  } catch (e) {
    // The file failed as a whole: what is being rendered finishes before the work folder goes.
    feed.end();
    await early.catch(() => {});
    throw e;
  }
  const { groups, sorted } = read;
  if (sorted) for (const g of groups.slice(feed.size)) feed.push(g);
  feed.end();
  job.progress.groups = groups.length;
  const t1 = performance.now();
  let parts = await early;
  if (!sorted) {
    resetRendering(job);
    parts = await renderGroups(job, GroupFeed.of(groups), pool, work, ext, () => progress());
  }
  const t2 = performance.now();
  progress(true);
  if (groups.length === 0) {
    throw new BatchFailure('ไม่มีแถวข้อมูลที่ใช้ได้ในไฟล์ (ดูรายการแถวที่ผิด)', 'no usable rows in the file (see the bad rows)');
  }
  if (parts.every((p) => p === undefined)) {
    throw new BatchFailure('ไม่มีเอกสารที่ทำได้ ข้อมูลทุกกลุ่มไม่ถูกต้อง (ดูรายละเอียดของแต่ละกลุ่ม)', 'no document could be made: every group is invalid (see the group errors)');
  }

  const target = store.resultPath(job);
  if (job.options.output === 'pdf') {
    // Each document keeps its own page numbers (- ๑ - on its first page); the merged file gets one bookmark per document.
    const title = getForm(job.formId)?.title.th;
    const made = parts.flatMap((p, i) => (p ? [{ path: p, bookmark: groups[i]?.key || title || `${i + 1}` }] : []));
    await concatPdfs(made.map((m) => m.path), `${target}.part`, { title, bookmarks: made.map((m) => m.bookmark) });
  }
  else await writeZip(job, groups, parts, ext, `${target}.part`);
  renameSync(`${target}.part`, target);
  logger.info({ jobId: job.id, formId: job.formId, rows: job.progress.rows, pages: job.progress.pages, sorted, readMs: Math.round(t1 - t0), renderAfterReadMs: Math.round(t2 - t1), writeMs: Math.round(performance.now() - t2) }, 'batch job phases');
  const stamp = job.createdAt.slice(0, 10);
  const filename = `${job.formId}-${stamp}.${job.options.output === 'pdf' ? 'pdf' : 'zip'}`;
  const contentType = job.options.output === 'pdf' ? CONTENT_TYPES.pdf : 'application/zip';
  job.result = { filename, bytes: statSync(target).size, contentType };
  store.clearWork(job);
}

/**
 * The groups of a batch as they become complete: while the input is read,
 * each group whose rows have all been read (as far as a sorted file tells);
 * after it, all of them.
 */
class GroupFeed {
  private groups: Group[] = [];
  private ended = false;
  private waiters = new Map<number, (g: Group | undefined) => void>();

  static of(groups: Group[]): GroupFeed {
    const feed = new GroupFeed();
    for (const g of groups) feed.push(g);
    feed.end();
    return feed;
  }

  get size(): number {
    return this.groups.length;
  }

  push(g: Group): void {
    this.groups.push(g);
    const i = this.groups.length - 1;
    this.waiters.get(i)?.(g);
    this.waiters.delete(i);
  }

  end(): void {
    this.ended = true;
    for (const resolve of this.waiters.values()) resolve(undefined);
    this.waiters.clear();
  }

  /** Group `i` once it is complete, or undefined when there is none. */
  at(i: number): Promise<Group | undefined> {
    if (i < this.groups.length || this.ended) return Promise.resolve(this.groups[i]);
    return new Promise((resolve) => this.waiters.set(i, resolve));
  }
}

/** What the reading thread found: counts, bad rows, a group whose rows have all been read. */
function heard(job: Job, e: SpillEvent, feed: GroupFeed): void {
  job.progress.rows = e.rows;
  job.progress.groups = e.groups;
  job.badRowCount = e.badRowCount;
  for (const b of e.badRows) if (job.badRows.length < MAX_REPORTED_BAD_ROWS) job.badRows.push(b);
  if (e.skippedRows?.length) (job.skippedRows ??= []).push(...e.skippedRows);
  if (e.closed) feed.push(e.closed);
}

/** Forgets what an abandoned early rendering counted (its parts are overwritten). */
function resetRendering(job: Job): void {
  job.progress.groupsDone = 0;
  job.progress.rowsDone = 0;
  job.progress.pages = 0;
  job.groupErrors = [];
}

async function renderGroups(job: Job, feed: GroupFeed, pool: RenderPool, work: string, ext: string, progress: () => void): Promise<(string | undefined)[]> {
  const parts: (string | undefined)[] = [];
  const renderOne = async (i: number, group: Group): Promise<void> => {
    const outPath = join(work, `part-${i}.${ext}`);
    // Every document is numbered from its own first page, in a ZIP and in a merged PDF alike.
    const outcome = await pool.render({ id: i, formId: job.formId, rowsFile: group.file, shared: job.shared, format: job.options.output === 'pdf' ? 'pdf' : job.options.format, outPath });
    if (!outcome.ok) { job.groupErrors.push({ group: group.key, errors: outcome.errors }); return; }
    parts[i] = outPath;
    job.progress.groupsDone++;
    job.progress.rowsDone += group.rows;
    job.progress.pages += outcome.pages;
    progress();
  };
  // The pool works on a few documents at a time; data for the rest stays on disk.
  // Lanes take indexes in order and the feed gives groups in order, so documents reach the pool in order.
  let next = 0;
  const lanes = Array.from({ length: pool.size + AHEAD }, async () => {
    for (;;) {
      const i = next++;
      const group = await feed.at(i);
      if (!group) return;
      parts[i] = undefined;
      await renderOne(i, group);
    }
  });
  await Promise.all(lanes);
  return parts;
}

const safeName = (s: string) => safeFileName(s, 80) || 'เอกสาร';

/** A ZIP streamed to disk: one file per group, plus the bad-row report when there are bad rows. */
async function writeZip(job: Job, groups: Group[], parts: (string | undefined)[], ext: string, out: string): Promise<void> {
  const stream = createWriteStream(out);
  const done = new Promise<void>((resolve, reject) => { stream.on('finish', resolve); stream.on('error', reject); });
  const zip = new Zip((err, chunk, final) => {
    if (err) { stream.destroy(err); return; }
    stream.write(chunk);
    if (final) stream.end();
  });
  const width = String(groups.length).length;
  for (let i = 0; i < groups.length; i++) {
    const part = parts[i];
    if (!part) continue;
    const entry = new ZipPassThrough(`${String(i + 1).padStart(width, '0')}-${safeName(groups[i]!.key || job.formId)}.${ext}`);
    zip.add(entry);
    for await (const chunk of createReadStream(part)) entry.push(chunk as Uint8Array);
    entry.push(new Uint8Array(0), true);
  }
  const report = problemReport(job);
  if (report) {
    const entry = new ZipPassThrough('ข้อผิดพลาด-errors.csv');
    zip.add(entry);
    entry.push(strToU8(report), true);
  }
  zip.end();
  await done;
}

/** The bad rows and rejected groups as a CSV a clerk can open in Excel (UTF-8 with BOM). */
export function problemReport(job: Job): string | undefined {
  if (job.badRowCount === 0 && job.groupErrors.length === 0) return undefined;
  // A cell opening with = + - @ would be a formula in Excel: quoted as text.
  const q = (v: unknown) => `"${String(v).replace(/^([=+@]|-(?!\d))/, "'$1").replace(/"/g, '""')}"`;
  const lines = ['แถว/row,กลุ่ม/group,คอลัมน์/column,ปัญหา,problem,ค่าที่กรอก/value,ชื่อ/name'];
  for (const b of job.badRows) lines.push([b.row, b.group ?? '', b.column, b.th, b.en, b.value ?? '', b.name ?? ''].map(q).join(','));
  if (job.badRowCount > job.badRows.length) lines.push(['', '', '', `และอีก ${job.badRowCount - job.badRows.length} แถว`, `and ${job.badRowCount - job.badRows.length} more rows`, '', ''].map(q).join(','));
  for (const g of job.groupErrors) for (const e of g.errors) lines.push(['', g.group, e.path, e.th, e.en, '', ''].map(q).join(','));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}
