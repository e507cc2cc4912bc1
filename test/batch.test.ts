import { afterAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createApp } from '../src/http/app.js';
import { BatchManager } from '../src/batch/manager.js';
import { JobStore } from '../src/batch/jobs.js';
import { RenderPool } from '../src/batch/pool.js';
import { runBatchCli } from '../src/batch/cli.js';
import { pageCount, pdfjsText, pdftotext, stripSpace } from './helpers/pdf.js';
import { concatPdfs } from '../src/render/pdf/concatPdfs.js';
import { renderForm } from '../src/service.js';
import { unzip } from './helpers/zip.js';
import { checkColumns, validatedRows } from '../src/batch/rows.js';
import { getForm } from '../src/forms/registry.js';
import { warmUp } from '../src/batch/warmUp.js';
import { binary } from './helpers/http.js';
import { toThaiDigits } from '../src/thai/index.js';

const dir = mkdtempSync(join(tmpdir(), 'saraban-batch-test-'));
const pool = new RenderPool(2);
const managers: BatchManager[] = [];
const manager = (jobsDir = join(dir, 'jobs')) => { const m = new BatchManager(new JobStore(jobsDir), pool); managers.push(m); return m; };
const jobs = manager();
const app = createApp({ batch: () => jobs });

afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

const HEADER = 'จังหวัด,อบจ./เทศบาล/อบต.,สำนัก/กอง/โรงเรียน,ชื่อ-สกุล,ตำแหน่ง,เงินเดือน,อายุ,วิทยฐานะที่เสนอขอ,กลุ่มสาระ,เรื่อง/วิชา/ชั้นเรียน';
const AUTHORITIES = ['เทศบาลเมืองชัยนาท', 'องค์การบริหารส่วนตำบลหาดท่าเสา', 'เทศบาลตำบลสรรพยา'];

/** `n` applicants spread over three local authorities, with the bad rows given (1-based data row -> line). */
function applicantsCsv(n: number, bad: Record<number, string> = {}): string {
  const lines = [HEADER];
  for (let i = 1; i <= n; i++) {
    lines.push(bad[i] ?? `ชัยนาท,${AUTHORITIES[i % 3]},โรงเรียนเทศบาล ${i % 5 + 1},นางสาวทดสอบ ลำดับที่${i},ครู,"${(30000 + i * 10).toLocaleString('en-US')}",${30 + (i % 25)},${i % 4 ? 'ชำนาญการพิเศษ' : 'เชี่ยวชาญ'},ภาษาไทย,"การพัฒนาทักษะการอ่านจับใจความ ชั้นประถมศึกษาปีที่ ${i % 6 + 1}\nแผนการจัดการเรียนรู้ ${i}"`);
  }
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

const shared = JSON.stringify({ round: { month: 'เมษายน', year: 2558 } });

/** A PDF's bookmarks (outline entries): title and the 0-based index of the page each opens. */
async function outline(pdf: Buffer): Promise<{ title: string; page: number }[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const items = (await doc.getOutline()) ?? [];
  const out: { title: string; page: number }[] = [];
  for (const item of items) {
    const dest = typeof item.dest === 'string' ? await doc.getDestination(item.dest) : item.dest;
    out.push({ title: item.title, page: await doc.getPageIndex(dest![0]) });
  }
  await doc.destroy();
  return out;
}

/**
 * Checks that each document of a merged PDF numbers its own pages: no number
 * on its first page, - ๒ - on its second, and so on; `starts` are the
 * 0-based first pages of the documents.
 */
function expectNumberedPerDocument(pages: string[], starts: number[], total: number): void {
  starts.forEach((start, d) => {
    const end = starts[d + 1] ?? total;
    expect(stripSpace(pages[start]!)).not.toMatch(/^-[๐-๙]+-/);
    for (let p = start + 1; p < end; p++) expect(stripSpace(pages[p]!)).toContain(`-${toThaiDigits(String(p - start + 1))}-`);
  });
}

async function waitForJob(id: string) {
  for (;;) {
    const res = await request(app).get(`/api/v1/jobs/${id}`).expect(200);
    if (res.body.state === 'done' || res.body.state === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}


describe('batch jobs over HTTP', () => {
  it('renders a province file into one merged PDF, each document numbered from 1 with a bookmark of its own, and reports the bad rows by row and column', async () => {
    const csv = applicantsCsv(60, { 7: 'ชัยนาท,เทศบาลเมืองชัยนาท,โรงเรียน,นายผิด เงินเดือน,ครู,สามหมื่น,40,ชำนาญการพิเศษ,ไทย,งาน', 12: 'ชัยนาท,เทศบาลเมืองชัยนาท,โรงเรียน,นายผิด วิทยฐานะ,ครู,30000,40,ชำนาญการมาก,ไทย,งาน' });
    const accepted = await request(app).post('/api/v1/batch/applicant-summary')
      .field('shared', shared).field('groupBy', 'authority').field('output', 'pdf')
      .attach('file', Buffer.from(csv), 'applicants.csv').expect(202);
    expect(accepted.body.status).toBe(`/api/v1/jobs/${accepted.body.id}`);
    const job = await waitForJob(accepted.body.id);
    expect(job.state).toBe('done');
    expect(job.progress).toMatchObject({ rows: 60, rowsDone: 58, groups: 3, groupsDone: 3 });
    expect(job.badRowCount).toBe(2);
    // Row numbers are the file's lines as a clerk sees them: the header is row 1.
    expect(job.badRows).toEqual([
      expect.objectContaining({ row: 8, column: 'เงินเดือน', th: expect.stringContaining('เงินเดือน') }),
      expect.objectContaining({ row: 13, column: 'วิทยฐานะที่เสนอขอ' }),
    ]);
    const pdf = (await request(app).get(`/api/v1/jobs/${job.id}/result`).buffer(true).parse(binary).expect(200)).body as Buffer;
    expect(pageCount(pdf)).toBe(job.progress.pages);
    const pages = pdftotext(pdf, ['-layout']).split('\f');
    // One bookmark per local authority, titled with its name, opening its first page; each document numbered from its own first page.
    const marks = await outline(pdf);
    expect(marks.map((m) => m.title).sort()).toEqual([...AUTHORITIES].sort());
    expect(marks[0]!.page).toBe(0);
    for (let d = 1; d < marks.length; d++) expect(marks[d]!.page).toBeGreaterThan(marks[d - 1]!.page);
    const plain = pdftotext(pdf).split('\f');
    // The name as far as its cell's first line (a long name wraps in its column).
    for (const m of marks) expect(stripSpace(plain[m.page]!)).toContain(m.title.slice(0, 9));
    expectNumberedPerDocument(pages, marks.map((m) => m.page), job.progress.pages);
    const text = pages.join('');
    // Each good row once, by its salary (30,000 + 10 x its number); the bad rows nowhere.
    for (const i of [1, 6, 8, 11, 13, 60]) expect(text).toContain(`๓๐,${toThaiDigits(String(i * 10).padStart(3, '0'))}`);
    expect(text).not.toContain('นายผิด');
  });

  it('gives the same merged PDF whether the file is sorted by authority (rendered while read) or not (rendered after)', async () => {
    // Three authorities, nine rows each, in the same order within each authority.
    const row = (a: number, k: number) => `ชัยนาท,${AUTHORITIES[a]},โรงเรียนเทศบาล ${k},นางสาวทดสอบ กลุ่ม${a}ลำดับ${k},ครู,"${(30000 + a * 1000 + k * 10).toLocaleString('en-US')}",${30 + k},ชำนาญการพิเศษ,ภาษาไทย,"แผนการจัดการเรียนรู้ ${a}-${k}"`;
    const file = (order: [number, number][]) => Buffer.from('\ufeff' + [HEADER, ...order.map(([a, k]) => row(a, k))].join('\r\n') + '\r\n');
    const ks = Array.from({ length: 9 }, (_, k) => k + 1);
    const sorted = [0, 1, 2].flatMap((a) => ks.map((k): [number, number] => [a, k]));
    const interleaved = ks.flatMap((k) => [0, 1, 2].map((a): [number, number] => [a, k]));
    // Sorted until the first authority comes back at the end.
    const returning = [...sorted.filter(([a, k]) => a !== 0 || k <= 6).slice(0, 6), ...sorted.filter(([a]) => a !== 0), ...sorted.filter(([a, k]) => a === 0 && k > 6)];
    const texts: string[] = [];
    for (const order of [sorted, interleaved, returning]) {
      const accepted = await request(app).post('/api/v1/batch/applicant-summary')
        .field('shared', shared).field('groupBy', 'authority').field('output', 'pdf')
        .attach('file', file(order), 'applicants.csv').expect(202);
      const job = await waitForJob(accepted.body.id);
      expect(job.state).toBe('done');
      expect(job.progress).toMatchObject({ rows: 27, rowsDone: 27, groups: 3, groupsDone: 3 });
      const pdf = (await request(app).get(`/api/v1/jobs/${job.id}/result`).buffer(true).parse(binary).expect(200)).body as Buffer;
      expect(pageCount(pdf)).toBe(job.progress.pages);
      texts.push(pdftotext(pdf, ['-layout']));
    }
    for (const salary of ['๓๐,๐๑๐', '๓๑,๐๙๐', '๓๒,๐๙๐']) expect(texts[0]).toContain(salary);
    expect(texts[1]).toBe(texts[0]);
    expect(texts[2]).toBe(texts[0]);
  });

  it('renders the last group once its file has been read, so on the thread the reading freed, not by growing a second one', async () => {
    // A pool that notes, for each document handed to it, whether the file was still being read.
    let reading = false;
    const handedWhileReading: boolean[] = [];
    const watched = {
      size: pool.size,
      get waiting() { return pool.waiting; },
      run: (async (task, options) => {
        reading = task.kind === 'spill';
        try { return await pool.run(task, options); } finally { reading = false; }
      }) as RenderPool['run'],
      render: ((task, options) => { handedWhileReading.push(reading); return pool.render(task, options); }) as RenderPool['render'],
      close: async () => {},
    } as unknown as RenderPool;
    const m = new BatchManager(new JobStore(join(dir, 'last-group-jobs')), watched);
    managers.push(m);
    // One group (no grouping: a whole province as one list), then three groups of a sorted file.
    const sortedCsv = (n: number) => { const [head, ...rows] = applicantsCsv(n).split('\r\n').filter(Boolean); return [head, ...rows.sort((a, b) => a.split(',')[1]!.localeCompare(b.split(',')[1]!))].join('\r\n') + '\r\n'; };
    for (const [groupBy, groups] of [['none', 1], ['authority', 3]] as const) {
      handedWhileReading.length = 0;
      const job = m.submit('applicant-summary', Buffer.from(sortedCsv(90)), 'a.csv', { groupBy, output: 'pdf', format: 'pdf' }, JSON.parse(shared));
      expect(await m.finished(job.id)).toMatchObject({ state: 'done', progress: { rowsDone: 90, groupsDone: groups } });
      expect(handedWhileReading).toHaveLength(groups);
      expect(handedWhileReading.at(-1)).toBe(false);
    }
  });

  it('returns a ZIP of one file per local authority, with the bad-row report inside', async () => {
    const csv = applicantsCsv(12, { 5: 'ชัยนาท,เทศบาลเมืองชัยนาท,โรงเรียน,นายผิด อายุ,ครู,30000,ห้าสิบ,ชำนาญการพิเศษ,ไทย,งาน' });
    const accepted = await request(app).post('/api/v1/batch/applicant-summary')
      .field('shared', shared).field('output', 'zip').field('format', 'docx')
      .attach('file', Buffer.from(csv), 'applicants.csv').expect(202);
    const job = await waitForJob(accepted.body.id);
    expect(job.state).toBe('done');
    const res = await request(app).get(`/api/v1/jobs/${job.id}/result`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = unzip(res.body as Buffer);
    const names = [...files.keys()];
    expect(names).toEqual([
      `1-${AUTHORITIES[1]}.docx`, `2-${AUTHORITIES[2]}.docx`, `3-${AUTHORITIES[0]}.docx`, 'ข้อผิดพลาด-errors.csv',
    ]);
    const report = files.get('ข้อผิดพลาด-errors.csv')!.toString('utf8');
    expect(report).toContain('"6","เทศบาลเมืองชัยนาท","อายุ"');
    expect(files.get(names[0]!)!.subarray(0, 2).toString()).toBe('PK');
  });

  it('leaves out a group the form\'s arithmetic refuses (one-step raises past the 15 % quota), naming it, and renders the others', async () => {
    const offices = ['สำนักงานเขตพื้นที่การศึกษาประถมศึกษาชัยนาท', 'สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาอุทัยธานี ชัยนาท'];
    const lines = ['สพท.,ชื่อ-สกุล,ตำแหน่ง,ค่าจ้าง,มีตัวอยู่จริง,ผลการพิจารณา,เงินเลื่อนขั้น'];
    // Seven employees an office: 15 % of 7 allows one one-step raise; the second office gives three.
    offices.forEach((office, o) => {
      for (let i = 1; i <= 7; i++) lines.push(`${office},นายลูกจ้าง ที่${i},พนักงานขับรถยนต์,"18,920",ใช่,${i <= (o === 0 ? 1 : 3) ? 'one-step' : 'half-step'},${i <= (o === 0 ? 1 : 3) ? 560 : 240}`);
    });
    const quotaShared = JSON.stringify({ round: 1, year: 2565, certifiers: { personnel: { name: 'นางสาวพิมพ์ใจ รัตนวงศ์' }, director: { name: 'นายสุรพล ศรีบุญ', position: 'ผู้อำนวยการ' } } });
    const accepted = await request(app).post('/api/v1/batch/permanent-employee-quota')
      .field('shared', quotaShared).field('output', 'pdf')
      .attach('file', Buffer.from(lines.join('\n')), 'employees.csv').expect(202);
    const job = await waitForJob(accepted.body.id);
    expect(job.state).toBe('done');
    expect(job.progress).toMatchObject({ rows: 14, groups: 2, groupsDone: 1, rowsDone: 7 });
    expect(job.groupErrors).toEqual([{ group: offices[1], errors: [{
      path: 'rows[0].col13',
      th: 'เกินโควตา: เลื่อน ๑ ขั้น ๓ คน เกินโควตาร้อยละ ๑๕ เฉพาะจำนวนเต็ม ๑ คน',
      en: 'quota exceeded: 3 given one step, the 15 % quota in whole people is 1',
    }] }]);
    const res = await request(app).get(`/api/v1/jobs/${job.id}/result`).buffer(true).parse(binary).expect(200);
    const text = stripSpace(pdftotext(res.body as Buffer));
    expect(text).toContain(stripSpace(offices[0]!));
    expect(text).not.toContain(stripSpace(offices[1]!));
  });

  it('rejects what cannot start with a 400 naming the field, and answers 409 for a result not ready', async () => {
    const csv = Buffer.from(applicantsCsv(3));
    let res = await request(app).post('/api/v1/batch/applicant-summary').field('shared', shared).expect(400);
    expect(res.body.error.fields[0].path).toBe('file');
    res = await request(app).post('/api/v1/batch/applicant-summary').field('shared', '{"round":{"month":"มกราคม","year":2558}}').attach('file', csv, 'a.csv').expect(400);
    expect(res.body.error.fields[0].path).toBe('shared.round.month');
    res = await request(app).post('/api/v1/batch/applicant-summary').field('shared', shared).field('output', 'pdf').field('format', 'docx').attach('file', csv, 'a.csv').expect(400);
    expect(res.body.error.fields[0]).toMatchObject({ path: 'format', en: expect.stringContaining('PDF only') });
    res = await request(app).post('/api/v1/batch/external-letter').field('shared', '{}').attach('file', csv, 'a.csv').expect(400);
    expect(res.body.error.code).toBe('no_batch');
    await request(app).post('/api/v1/batch/no-such-form').attach('file', csv, 'a.csv').expect(404);
    await request(app).get('/api/v1/jobs/00000000-0000-0000-0000-000000000000').expect(404);
    await request(app).get('/api/v1/jobs/..%2F..%2Fetc').expect(404);
  });

  it('refuses a file that lacks a column when it is uploaded, saying which', async () => {
    const csv = Buffer.from(applicantsCsv(3).replace(',เงินเดือน', ',เงิน'));
    const res = await request(app).post('/api/v1/batch/applicant-summary').field('shared', shared).attach('file', csv, 'a.csv').expect(400);
    expect(res.body.error).toMatchObject({ code: 'file_missing_columns', fields: [{ path: 'file', th: expect.stringContaining('เงินเดือน') }] });
  });

  it('fails a job whose file breaks down in the middle, saying where, and keeps no result', async () => {
    const csv = Buffer.from(applicantsCsv(30) + 'ชัยนาท,"เทศบาล,โรงเรียน\n');
    const accepted = await request(app).post('/api/v1/batch/applicant-summary').field('shared', shared).attach('file', csv, 'a.csv').expect(202);
    const job = await waitForJob(accepted.body.id);
    expect(job.state).toBe('failed');
    expect(job.error.en).toMatch(/row 32/);
    const res = await request(app).get(`/api/v1/jobs/${job.id}/result`).expect(409);
    expect(res.body.error.code).toBe('job_failed');
  });
});

describe('batch jobs across a restart', () => {
  it('runs again a job the service was running when it stopped, and keeps serving finished results', async () => {
    const jobsDir = join(dir, 'restart');
    const store = new JobStore(jobsDir);
    const job = store.create('applicant-summary', Buffer.from(applicantsCsv(5)), 'a.csv', { groupBy: 'authority', output: 'pdf', format: 'pdf' }, { round: { month: 'ตุลาคม', year: 2560 } });
    // As a service killed mid-run leaves it: running, with a half-written result.
    job.state = 'running';
    store.save(job);
    writeFileSync(`${store.resultPath(job)}.part`, 'half');
    // The killed service's folder: given up, as its stale lock would be taken over.
    store.close();
    const restarted = manager(jobsDir);
    const done = await restarted.finished(job.id);
    expect(done).toMatchObject({ state: 'done', restarts: 1, progress: { rowsDone: 5 } });
    expect(existsSync(`${store.resultPath(job)}.part`)).toBe(false);
    expect(readFileSync(store.resultPath(job)).subarray(0, 5).toString()).toBe('%PDF-');
    // A third start finds it done and leaves it alone (the second gives the folder up first; the pool is shared).
    restarted.store.close();
    const again = manager(jobsDir);
    expect(again.get(job.id)).toMatchObject({ state: 'done', restarts: 1 });
  });
});

describe('joining the parts of a merged PDF', () => {
  it('keeps every page, in order, with its text and fonts, readable by poppler and pdf.js', async () => {
    const letter = JSON.parse(readFileSync(new URL('../examples/external-letter/obec-salary-increment-2565.json', import.meta.url), 'utf8'));
    const memo = JSON.parse(readFileSync(new URL('../examples/memo/budget-request.json', import.meta.url), 'utf8'));
    const parts: string[] = [];
    const pageCounts: number[] = [];
    for (const [i, [id, data]] of ([['external-letter', letter], ['memo', memo], ['external-letter', letter]] as const).entries()) {
      const file = await renderForm(id, data, 'pdf');
      pageCounts.push(pageCount(file.data));
      parts.push(join(dir, `part-${i}.pdf`));
      writeFileSync(parts[i]!, file.data);
    }
    const out = join(dir, 'joined.pdf');
    expect(await concatPdfs(parts, out, { title: 'รวมเอกสาร' })).toBe(pageCounts.reduce((a, b) => a + b));
    const joined = readFileSync(out);
    expect(pageCount(joined)).toBe(pageCounts.reduce((a, b) => a + b));
    const pages = await pdfjsText(joined);
    expect(pages).toHaveLength(pageCount(joined));
    expect(stripSpace(pages[0]!)).toContain('ด่วนที่สุด');
    expect(stripSpace(pages[pageCounts[0]!]!)).toContain('บันทึกข้อความ');
    expect(stripSpace(pages[pageCounts[0]! + pageCounts[1]!]!)).toContain('ด่วนที่สุด');
    // Text copies back exactly (each part's fonts and ToUnicode maps came along), as in the part itself.
    expect(stripSpace(pdftotext(joined))).toBe(parts.map((p) => stripSpace(pdftotext(readFileSync(p)))).join(''));
    expect(execFileSync('pdfinfo', [out]).toString()).toMatch(/Title:\s+รวมเอกสาร/);
  });
});

describe('render thread warm-up', () => {
  it('starts every thread and draws the example list in each, leaving no file; a pool closed under it ends it without a throw', async () => {
    const scratch = join(dir, 'warm-up');
    mkdirSync(scratch);
    const own = new RenderPool(2);
    try {
      expect(own.threads).toBe(0);
      expect(await warmUp(own, scratch)).toMatchObject({ ok: true });
      expect(own.threads).toBe(2);
      expect(readdirSync(scratch)).toEqual([]);
      // The warmed pool renders a job's documents as before.
      const warmed = new BatchManager(new JobStore(join(dir, 'warm-jobs')), own);
      const job = warmed.submit('applicant-summary', Buffer.from(applicantsCsv(6)), 'a.csv', { groupBy: 'authority', output: 'pdf', format: 'pdf' }, JSON.parse(shared));
      const done = await warmed.finished(job.id);
      expect(done).toMatchObject({ state: 'done', progress: { rowsDone: 6, groupsDone: 3 } });
    } finally {
      await own.close();
    }
    // A service stopped while warming up: the warm-up ends (not rejects), its files are gone.
    const stopped = new RenderPool(1);
    const pending = warmUp(stopped, scratch);
    while (stopped.threads === 0) await new Promise((r) => setTimeout(r, 10));
    await stopped.close();
    expect(await pending).toMatchObject({ ok: false, error: 'render pool closed' });
    expect(readdirSync(scratch)).toEqual([]);
  });
});

describe('saraban batch', () => {
  it('writes the merged PDF, lists the bad rows, and exits 3 when rows were left out', async () => {
    const csvPath = join(dir, 'cli.csv');
    writeFileSync(csvPath, applicantsCsv(9, { 2: 'ชัยนาท,เทศบาลเมืองชัยนาท,โรงเรียน,นายผิด,ครู,30000,40,ชำนาญการพิเศษ,ไทย,' }));
    const sharedPath = join(dir, 'shared.json');
    writeFileSync(sharedPath, shared);
    const out = join(dir, 'cli.pdf');
    const code = await runBatchCli({ formId: 'applicant-summary', file: csvPath, out, shared: sharedPath });
    expect(code).toBe(3);
    expect(pdftotext(readFileSync(out), ['-layout'])).toContain('๓๐,๐๙๐');
    expect(existsSync(`${out}.part`)).toBe(false);
    expect(await runBatchCli({ formId: 'applicant-summary', file: csvPath, out: join(dir, 'x.pdf') })).toBe(2);
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  });
});

describe('header rows', () => {
  it('takes the row naming the form\'s columns as the header, below an export\'s title rows', async () => {
    const spec = getForm('applicant-summary')!.batch!;
    const csv = readFileSync('examples/batch/applicants-chainat.csv', 'utf8').replace(/^\uFEFF/, '');
    const titled = `แบบสรุปรายชื่อ รอบเดือนเมษายน 2569,,\nจังหวัดชัยนาท,,\n\n${csv}`;
    await checkColumns({ data: Buffer.from(titled) }, 'titled.csv', spec);
    const path = join(dir, 'titled.csv');
    writeFileSync(path, titled);
    const rows = [];
    for await (const r of validatedRows(path, 'titled.csv', spec)) rows.push(r);
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => r.ok)).toBe(true);
    // Rows keep the numbers the clerk sees: the header is on row 4, the first applicant on row 5.
    expect(rows[0]!.row).toBe(5);
    // The header written on two rows, as the printed form has it: a group title over three columns, the rank's name wrapped.
    const [header, ...body] = csv.split('\n');
    const upper = header!.replace('จังหวัด,อบจ./เทศบาล/อบต.,สำนัก/กอง/โรงเรียน', 'สังกัด,,').replace('ระดับวิทยฐานะที่เสนอขอ', 'ระดับวิทยฐานะ');
    const lower = header!.split(',').map((h) => (['จังหวัด', 'อบจ./เทศบาล/อบต.', 'สำนัก/กอง/โรงเรียน'].includes(h) ? h : h === 'ระดับวิทยฐานะที่เสนอขอ' ? 'ที่เสนอขอ' : '')).join(',');
    const twoRows = [`แบบสรุปรายชื่อ,,`, upper, lower, ...body].join('\n');
    await checkColumns({ data: Buffer.from(twoRows) }, 'two-rows.csv', spec);
    writeFileSync(path, twoRows);
    const fromTwoRows = [];
    for await (const r of validatedRows(path, 'two-rows.csv', spec)) fromTwoRows.push(r);
    expect(fromTwoRows.map((r) => (r.ok ? r.value : r))).toEqual(rows.map((r) => (r.ok ? r.value : r)));
    expect(fromTwoRows[0]!.row).toBe(4);
    // A file whose rows never name the columns is still refused, naming what is missing.
    await expect(checkColumns({ data: Buffer.from('แบบสรุป\nจังหวัด,ชื่อ - สกุล\nชัยนาท,นายก ข\n') }, 'bad.csv', spec)).rejects.toMatchObject({ code: 'missing_columns' });
  });
});
