/**
 * node --expose-gc --import tsx bench/applicants.bench.ts
 *
 * The applicant summary list (landscape table, one row per applicant) to PDF
 * for 200, 1,000 and 5,000 rows, warm, in process: the whole service call
 * (validation, build, layout, render) next to one naive pdfmake table call on
 * the same rows. Prints medians, ms per row and the peak RSS of each case.
 * BENCH_SIZES=200,1000 to choose the sizes.
 */
import { createRequire } from 'node:module';
import { renderForm } from '../src/service.js';
import { FONTS_DIR } from '../src/fonts/registry.js';
import { applicantRecords } from '../scripts/generate-province.js';

const require = createRequire(import.meta.url);

const SIZES = (process.env.BENCH_SIZES ?? '200,1000,5000').split(',').map(Number);

/**
 * Rows of a province's file (scripts/generate-province.ts: authorities of
 * tens to a few hundred applicants, one to three works each), as strings the
 * way a file gives them. Deterministic per seed, so every run measures the same rows.
 */
export function applicantRows(count: number, seed = 1, province = 'ชัยนาท'): Record<string, string>[] {
  return Array.from(applicantRecords({ province, rows: count, seed }), (r) => ({
    province: r.province, authority: r.authority, unit: r.unit, name: r.name, position: r.position,
    salary: r.salary, age: String(r.age), rankRequested: r.rankRequested, subjectGroup: r.subjectGroup, works: r.works,
  }));
}

export function summaryInput(rows: Record<string, string>[]) {
  return {
    round: { month: 'เมษายน', year: 2558 },
    signer: { name: 'นายสมชาย ตั้งใจดี', position: 'หัวหน้าสำนักงาน ก.ท.จ.' },
    date: '2015-08-25',
    applicants: rows,
  };
}

/** The naive way: one pdfmake table, pdfmake's own line breaking and pagination, header rows repeated. */
function naiveDocDefinition(rows: Record<string, string>[]) {
  const header = ['ที่', 'จังหวัด', 'อบจ./เทศบาล/อบต.', 'สำนัก/กอง/โรงเรียน', 'ชื่อ - สกุล', 'ตำแหน่ง', 'เงินเดือน', 'อายุ', 'วิทยฐานะที่เสนอขอ', 'กลุ่มสาระ', 'เรื่อง/วิชา/ชั้นเรียน'];
  return {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [42, 57, 42, 42],
    defaultStyle: { font: 'Sarabun', fontSize: 14 * 0.645 },
    content: [{
      table: {
        headerRows: 1,
        widths: [18, 50, 64, 70, 92, 62, 38, 18, 56, 52, '*'],
        body: [header, ...rows.map((a, i) => [String(i + 1), a.province, a.authority, a.unit, a.name, a.position, a.salary, a.age, a.rankRequested, a.subjectGroup, a.works])],
      },
    }],
  };
}

interface Result { name: string; rows: number; median: number; peakRss: number }

async function measure(name: string, rows: number, runs: number, fn: () => Promise<unknown>): Promise<Result> {
  await fn();
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 5);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  clearInterval(timer);
  times.sort((a, b) => a - b);
  return { name, rows, median: times[Math.floor(times.length / 2)]!, peakRss };
}

const runsFor = (n: number) => (n <= 200 ? 15 : n <= 1000 ? 7 : 3);

async function main() {
  const naivePdfmake = require('pdfmake') as { setFonts(f: unknown): void; createPdf(d: unknown): { getBuffer(): Promise<Buffer> } };
  const naiveFonts = { Sarabun: { normal: `${FONTS_DIR}/Sarabun-Regular.ttf`, bold: `${FONTS_DIR}/Sarabun-Bold.ttf`, italics: `${FONTS_DIR}/Sarabun-Italic.ttf`, bolditalics: `${FONTS_DIR}/Sarabun-BoldItalic.ttf` } };
  const results: Result[] = [];
  // The naive baseline runs first, before Saraban installs its pdfkit patches in this process.
  if (!process.env.BENCH_SKIP_NAIVE) {
    const originalWarn = console.warn;
    console.warn = () => {};
    for (const n of SIZES) {
      const rows = applicantRows(n);
      results.push(await measure('naive: one pdfmake table call', n, runsFor(n), async () => {
        naivePdfmake.setFonts(naiveFonts);
        await naivePdfmake.createPdf(naiveDocDefinition(rows)).getBuffer();
      }));
    }
    console.warn = originalWarn;
  }
  for (const n of SIZES) {
    // Fresh rows for every run (same vocabulary, other combinations), so no run renders the rows of the one before.
    const inputs = Array.from({ length: runsFor(n) + 1 }, (_, k) => summaryInput(applicantRows(n, 100 + k)));
    let k = 0;
    results.push(await measure("saraban: renderForm('applicant-summary', pdf)", n, runsFor(n), () => renderForm('applicant-summary', inputs[k++ % inputs.length], 'pdf')));
  }
  const mb = (x: number) => `${(x / 1024 / 1024).toFixed(0)} MB`;
  console.log(`applicant summary list, median of ${SIZES.map(runsFor).join('/')} runs after one warm-up run, node ${process.version}`);
  console.log('   rows  median ms  ms/row  peak RSS  case');
  for (const r of results) {
    console.log(`${String(r.rows).padStart(7)}  ${r.median.toFixed(1).padStart(9)}  ${(r.median / r.rows).toFixed(3).padStart(6)}  ${mb(r.peakRss).padStart(8)}  ${r.name}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
