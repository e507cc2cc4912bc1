import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import cliProgress from 'cli-progress';
import { fieldErrors } from '../validation.js';
import { BatchManager } from './manager.js';
import { BatchOptions, JobStore } from './jobs.js';
import { batchSpecOf, BatchFailure } from './groupRows.js';

export interface BatchCliArgs {
  formId: string;
  file: string;
  out: string;
  shared?: string;
  groupBy?: string;
  format?: string;
  sheet?: string;
}

const say = (s: string) => process.stderr.write(s + '\n');

/** `saraban batch`: the same job as the HTTP API, run in this process with a progress bar. Returns the exit code. */
export async function runBatchCli(args: BatchCliArgs): Promise<number> {
  let spec;
  try { spec = batchSpecOf(args.formId); } catch (e) { if (e instanceof BatchFailure) { say(`${e.th} / ${e.en}`); return 2; } throw e; }
  const output = extname(args.out).toLowerCase() === '.pdf' ? 'pdf' : 'zip';
  const options = BatchOptions.safeParse({ groupBy: args.groupBy, output, format: args.format, sheet: args.sheet });
  if (!options.success) { say(fieldErrors(options.error).map((e) => `${e.path}: ${e.th} / ${e.en}`).join('\n')); return 2; }
  let sharedInput: unknown = {};
  if (args.shared) {
    try { sharedInput = JSON.parse(readFileSync(args.shared, 'utf8')); } catch (e) { say(`cannot read ${args.shared} as JSON: ${(e as Error).message}`); return 2; }
  }
  const shared = spec.shared.safeParse(sharedInput);
  if (!shared.success) {
    say(`ข้อมูลส่วนกลางไม่ถูกต้อง / invalid shared fields (${args.shared ?? 'none given: use --shared'}):`);
    say(fieldErrors(shared.error).map((e) => `  ${e.path}: ${e.th} / ${e.en}`).join('\n'));
    return 2;
  }
  let input: Buffer;
  try { input = readFileSync(args.file); } catch (e) { say(`cannot read ${args.file}: ${(e as Error).message}`); return 2; }

  const dir = mkdtempSync(join(tmpdir(), 'saraban-batch-'));
  const manager = new BatchManager(new JobStore(dir));
  const bar = new cliProgress.SingleBar({
    format: '{phase} [{bar}] {value}/{total} {unit} | {pages} หน้า/pages | {bad} แถวผิด/bad rows',
    stream: process.stderr, hideCursor: true, noTTYOutput: false,
  }, cliProgress.Presets.shades_classic);
  try {
    const job = manager.submit(args.formId, input, basename(args.file), options.data, shared.data as Record<string, unknown>);
    bar.start(1, 0, { phase: 'อ่านไฟล์/reading', unit: 'rows', pages: 0, bad: 0 });
    const stop = manager.watch(job.id, (j) => {
      const p = j.progress;
      if (p.groups === 0) bar.setTotal(Math.max(p.rows, 1)), bar.update(p.rows, { phase: 'อ่านไฟล์/reading', unit: 'rows', pages: 0, bad: j.badRowCount });
      else bar.setTotal(p.groups), bar.update(p.groupsDone, { phase: 'ทำเอกสาร/rendering', unit: 'groups', pages: p.pages, bad: j.badRowCount });
    });
    const done = await manager.finished(job.id);
    stop();
    bar.stop();
    for (const b of done.badRows) say(`แถว/row ${b.row}, ${b.column}: ${b.th} / ${b.en}`);
    if (done.badRowCount > done.badRows.length) say(`... ${done.badRowCount - done.badRows.length} more bad rows`);
    for (const g of done.groupErrors) for (const e of g.errors) say(`กลุ่ม/group ${g.group}: ${e.path}: ${e.th} / ${e.en}`);
    if (done.state !== 'done') { say(`ไม่สำเร็จ / failed: ${done.error?.th} / ${done.error?.en}`); return 1; }
    // Copy beside the target and rename: a failed run never leaves a half-written file.
    copyFileSync(manager.store.resultPath(done), `${args.out}.part`);
    renameSync(`${args.out}.part`, args.out);
    const p = done.progress;
    say(`${args.out}: ${p.groupsDone} documents, ${p.pages} pages, ${p.rowsDone} rows` + (done.badRowCount ? `, ${done.badRowCount} bad rows left out` : ''));
    return done.badRowCount || done.groupErrors.length ? 3 : 0;
  } finally {
    bar.stop();
    await manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
