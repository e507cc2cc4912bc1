import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src/http/app.js';
import { BatchManager } from '../src/batch/manager.js';
import { JobStore } from '../src/batch/jobs.js';
import { RenderPool } from '../src/batch/pool.js';
import { runBatchCli } from '../src/batch/cli.js';
import { applicantRecords, ENGLISH_HEADERS, THAI_HEADERS, writeCsv, writeXlsx, type ApplicantRecord } from '../scripts/generate-province.js';
import { pageCount, pdftotext, tempDir } from './helpers/pdf.js';
import { unzip } from './helpers/zip.js';
import { binary } from './helpers/http.js';
import { toArabicDigits, toThaiDigits } from '../src/thai/index.js';

/**
 * The batch issue's "done" at full size: a generated 20,000-row province goes
 * through the upload API to one merged PDF and to a ZIP of one PDF per local
 * authority, and through the CLI from XLSX, and the printed salaries add up to
 * the file's own (an independent sum, in satang).
 */
const ROWS = 20_000;
const dir = tempDir('saraban-province-');
const pool = new RenderPool(2);
const jobs = new BatchManager(new JobStore(join(dir, 'jobs')), pool);
const app = createApp({ batch: () => jobs });
const shared = { round: { month: 'เมษายน', year: 2569 } };
const csvPath = join(dir, 'province.csv');
const xlsxPath = join(dir, 'province.xlsx');
let records: ApplicantRecord[] = [];

const satang = (baht: string) => { const [whole, frac = ''] = baht.split('.'); return BigInt(whole!) * 100n + BigInt(frac.padEnd(2, '0')); };
/** Every salary printed in a list: Thai digits with thousands separators (no other number in the list has one). */
function printedSalaries(text: string): bigint[] {
  const found = text.match(/(?<![๐-๙,.])[๐-๙]{1,3}(?:,[๐-๙]{3})+(?:\.[๐-๙]{2})?(?![๐-๙,])/g) ?? [];
  return found.map((s) => satang(toArabicDigits(s.replace(/,/g, ''))));
}
const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

async function runUpload(output: 'pdf' | 'zip') {
  const accepted = await request(app).post('/api/v1/batch/applicant-summary')
    .field('shared', JSON.stringify(shared)).field('groupBy', 'authority').field('output', output)
    .attach('file', readFileSync(csvPath), 'province.csv').expect(202);
  const job = await jobs.finished(accepted.body.id as string);
  const status = (await request(app).get(`/api/v1/jobs/${job.id}`).expect(200)).body;
  const result = (await request(app).get(`/api/v1/jobs/${job.id}/result`).buffer(true).parse(binary).expect(200)).body as Buffer;
  return { status, result };
}

let mergedPages = 0;

describe('a whole province of 20,000 rows', { timeout: 400_000 }, () => {
  beforeAll(async () => {
    records = [...applicantRecords({ province: 'ชัยนาท', rows: ROWS, seed: 11 })];
    await writeCsv(csvPath, THAI_HEADERS, records);
    await writeXlsx(xlsxPath, ENGLISH_HEADERS, records);
  }, 120_000);
  afterAll(async () => {
    await jobs.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes through the upload API into one merged PDF: every row once, each document numbered from its first page, salaries adding up', async () => {
    const { status, result } = await runUpload('pdf');
    const authorities = new Set(records.map((r) => r.authority));
    expect(status).toMatchObject({ state: 'done', badRowCount: 0, progress: { rows: ROWS, rowsDone: ROWS, groups: authorities.size, groupsDone: authorities.size } });
    mergedPages = pageCount(result);
    expect(mergedPages).toBe(status.progress.pages);
    const pages = pdftotext(result).split('\f');
    // Each authority's document numbers its own pages: its first page has no number, the next ones - ๒ -, - ๓ -, ...
    const numbers = pages.slice(0, mergedPages).map((p) => /^-([๐-๙]+)-/.exec(p.replace(/\s+/g, ''))?.[1]);
    expect(numbers.filter((n) => n === undefined)).toHaveLength(authorities.size);
    numbers.forEach((n, p) => { if (n !== undefined) expect(n, `page ${p + 1}`).toBe(toThaiDigits(String(p > 0 && numbers[p - 1] ? Number(toArabicDigits(numbers[p - 1]!)) + 1 : 2))); });
    const salaries = printedSalaries(pages.join('\n'));
    expect(salaries).toHaveLength(ROWS);
    expect(sum(salaries)).toBe(sum(records.map((r) => satang(r.salary))));
  });

  it('goes through the upload API into a ZIP of one PDF per local authority, each with its own rows', async () => {
    const { status, result } = await runUpload('zip');
    const files = unzip(result);
    const byAuthority = new Map<string, ApplicantRecord[]>();
    for (const r of records) byAuthority.set(r.authority, byAuthority.get(r.authority) ?? []).get(r.authority)!.push(r);
    expect(status.progress.rowsDone).toBe(ROWS);
    expect([...files.keys()].every((name) => name.endsWith('.pdf'))).toBe(true);
    expect(files.size).toBe(byAuthority.size);
    let pages = 0;
    for (const [name, pdf] of files) {
      // Named `<number>-<authority>.pdf`.
      const authority = name.replace(/^\d+-/, '').replace(/\.pdf$/, '');
      expect(byAuthority.has(authority), name).toBe(true);
      const salaries = printedSalaries(pdftotext(pdf));
      const own = byAuthority.get(authority)!;
      expect(salaries, name).toHaveLength(own.length);
      expect(sum(salaries), name).toBe(sum(own.map((r) => satang(r.salary))));
      pages += pageCount(pdf);
    }
    // The same pages as the merged PDF: numbering sits in the margin and moves nothing.
    expect(pages).toBe(mergedPages);
  });

  it('goes through the CLI from the XLSX export (English headers) into the same merged PDF', async () => {
    const out = join(dir, 'cli.pdf');
    const sharedPath = join(dir, 'shared.json');
    writeFileSync(sharedPath, JSON.stringify(shared));
    expect(await runBatchCli({ formId: 'applicant-summary', file: xlsxPath, out, shared: sharedPath })).toBe(0);
    const pdf = readFileSync(out);
    expect(pageCount(pdf)).toBe(mergedPages);
    const salaries = printedSalaries(pdftotext(pdf));
    expect(salaries).toHaveLength(ROWS);
    expect(sum(salaries)).toBe(sum(records.map((r) => satang(r.salary))));
  });
});
