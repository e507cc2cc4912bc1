import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import cliProgress from 'cli-progress';
import { fieldErrors } from '../validation.js';
import { BatchManager } from './manager.js';
import { BatchOptions, JobStore } from './jobs.js';
import { batchSpecOf, BatchFailure } from './groupRows.js';
import type { z } from 'zod';
import { getForm } from '../forms/registry.js';
import { requiredKeys } from '../input/columns.js';

export interface BatchCliArgs {
  formId: string;
  file: string;
  out: string;
  shared?: string;
  groupBy?: string;
  format?: string;
  sheet?: string;
  /** `key=Header` pairs, or JSON files of {key: header}: the clerk's own column mapping. */
  map?: string[];
}

/** `--map key=Header` (repeatable) and `--map map.json` as one mapping, or the reason it cannot be read. */
export function parseMap(items: string[]): { columns: Record<string, string> } | { error: string } {
  const columns: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq > 0 && !/\.json$/i.test(item)) { columns[item.slice(0, eq).trim()] = item.slice(eq + 1).trim(); continue; }
    let parsed: unknown;
    try { parsed = JSON.parse(readFileSync(item, 'utf8').replace(/^\ufeff/, '')); } catch (e) {
      return { error: `--map ${item}: ต้องเป็น key=หัวคอลัมน์ หรือไฟล์ JSON / use key=Header or a JSON file (${(e as Error).message})` };
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
      return { error: `--map ${item}: ไฟล์ต้องเป็น {"key": "หัวคอลัมน์"} / the file must be {"key": "Header"}` };
    }
    Object.assign(columns, parsed);
  }
  return { columns };
}

/** `saraban forms <id>`: the form's title, its data fields, and for a batch form the headers each column accepts and the shared fields. */
export function describeForm(formId: string): string | undefined {
  const form = getForm(formId);
  if (!form) return undefined;
  const lines = [`${form.id}: ${form.title.th} / ${form.title.en}`, ''];
  const fields = (schema: z.ZodObject, indent: string) => {
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const optional = field.safeParse(undefined).success;
      lines.push(`${indent}${key}${optional ? '' : ' *'}${field.description ? `  ${field.description}` : ''}`);
    }
  };
  lines.push('ข้อมูล (JSON) / fields (* required):');
  fields(form.schema as z.ZodObject, '  ');
  const spec = form.batch;
  if (spec) {
    const required = new Set(requiredKeys(spec));
    lines.push('', 'ไฟล์ CSV/XLSX: คอลัมน์และหัวคอลัมน์ที่รับ / batch file columns and the headers accepted (* required):');
    for (const [key, names] of Object.entries(spec.columns)) lines.push(`  ${key}${required.has(key) ? ' *' : ''}: ${names.join(' | ')}`);
    lines.push('  (ไม่นับช่องว่าง ขีด จุด วงเล็บ หน่วยในวงเล็บ ตัวพิมพ์ และเลขไทย / spaces, dashes, dots, brackets, a unit in brackets, case and Thai digits do not count)');
    if (spec.dateColumns?.length) lines.push(`  วันที่ / dates: ${spec.dateColumns.join(', ')} (17/02/2565, 17 ก.พ. 2565, 2565-02-17, วันที่ของ Excel)`);
    const groups = Object.entries(spec.groupKeys).map(([by, key]) => `--group-by ${by} (${key})`);
    if (groups.length) lines.push(`  แยกเอกสาร / grouping: ${groups.join(', ')}`);
    lines.push('', 'ข้อมูลส่วนกลาง (--shared shared.json) / shared fields:');
    fields(spec.shared, '  ');
    lines.push('', `ตัวอย่าง / example: saraban batch ${form.id} examples/${form.id}/sample.csv --shared examples/${form.id}/shared.json -o out.zip`);
  }
  return lines.join('\n') + '\n';
}

const say = (s: string) => process.stderr.write(s + '\n');

/** `saraban batch`: the same job as the HTTP API, run in this process with a progress bar. Returns the exit code. */
export async function runBatchCli(args: BatchCliArgs): Promise<number> {
  let spec;
  try { spec = batchSpecOf(args.formId); } catch (e) { if (e instanceof BatchFailure) { say(`${e.th} / ${e.en}`); return 2; } throw e; }
  const output = extname(args.out).toLowerCase() === '.pdf' ? 'pdf' : 'zip';
  const map = parseMap(args.map ?? []);
  if ('error' in map) { say(map.error); return 2; }
  const columns = Object.keys(map.columns).length > 0 ? map.columns : undefined;
  const options = BatchOptions.safeParse({ groupBy: args.groupBy, output, format: args.format, sheet: args.sheet, columns });
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
    for (const s of done.skippedRows ?? []) say(`แถว/row ${s.row}: ${s.th} / ${s.en}`);
    // The messages already say the value and whose row it is; the group says where to look.
    for (const b of done.badRows) say(`แถว/row ${b.row}${b.group ? ` [${b.group}]` : ''}, ${b.column}: ${b.th} / ${b.en}`);
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
