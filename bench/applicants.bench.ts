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

const require = createRequire(import.meta.url);

const SIZES = (process.env.BENCH_SIZES ?? '200,1000,5000').split(',').map(Number);

/** A deterministic generator, so every run measures the same rows. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const PROVINCES = ['กาญจนบุรี', 'นครปฐม', 'ราชบุรี', 'สุพรรณบุรี', 'เพชรบุรี', 'ประจวบคีรีขันธ์', 'สมุทรสาคร', 'นครราชสีมา'];
const AUTHORITY_KINDS = ['ทม.', 'ทต.', 'อบต.', 'อบจ.', 'ทน.'];
const PLACES = ['บ้านซูกุ่ม', 'ท่าม่วง', 'หนองขาว', 'ลาดหญ้า', 'วังศาลา', 'บ่อพลอย', 'ท่าเรือ', 'พนมทวน', 'ดอนเจดีย์', 'ห้วยกระเจา'];
const FIRST = ['สมชาย', 'สมหญิง', 'มุ่งมั่น', 'สมสวย', 'วิชัย', 'ประภา', 'กิตติ', 'อรุณี', 'ธนพล', 'พิมพ์ชนก', 'สุภาพร', 'ณัฐวุฒิ'];
const LAST = ['ขยันสอน', 'รอบคอบ', 'ยิ่งยศ', 'ใจดี', 'ศรีสุข', 'มั่นคง', 'บุญมา', 'แก้วประเสริฐ', 'ทองดี', 'สุขสวัสดิ์'];
const TITLES = ['นาย', 'นาง', 'น.ส.'];
const POSITIONS = ['ครู', 'ผอ.สถานศึกษา', 'รอง ผอ.สถานศึกษา', 'ศึกษานิเทศก์'];
const SUBJECTS = ['คณิตศาสตร์', 'วิทยาศาสตร์', 'ภาษาไทย', 'สังคมศึกษา', 'บริหาร', 'ภาษาต่างประเทศ', 'การงานอาชีพ'];
const WORK_KINDS = ['แบบฝึกทักษะ', 'คู่มือการใช้แบบฝึก', 'รายงานการพัฒนาและการใช้แบบฝึก', 'รายงานการวิจัย เรื่อง รูปแบบการพัฒนาคุณภาพการศึกษาของนักเรียน', 'ชุดกิจกรรมการเรียนรู้', 'รายงานการประเมินโครงการ'];
const TOPICS = ['การบวกการลบ', 'โจทย์ปัญหาการคูณ', 'การอ่านจับใจความ', 'ระบบนิเวศ', 'ประชาธิปไตยในโรงเรียน', 'การเขียนเรียงความ', 'เศษส่วนและทศนิยม', 'โรงเรียนส่งเสริมสุขภาพ'];
const RANKS = ['ชำนาญการพิเศษ', 'ชำนาญการพิเศษ', 'ชำนาญการพิเศษ', 'เชี่ยวชาญ'];

/** Rows like a province's file: authorities of tens to a few hundred applicants, one to three works each. */
export function applicantRows(count: number, seed = 1): Record<string, string>[] {
  const r = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
  const rows: Record<string, string>[] = [];
  let authority = '';
  let province = '';
  let left = 0;
  for (let i = 0; i < count; i++) {
    if (left === 0) {
      province = pick(PROVINCES);
      authority = `${pick(AUTHORITY_KINDS)}${pick(PLACES)}${i % 7 === 0 ? '' : ` ${Math.floor(i / 50) + 1}`}`;
      left = 20 + Math.floor(r() * 200);
    }
    left--;
    const works = Array.from({ length: 1 + Math.floor(r() * 3) }, () => `${pick(WORK_KINDS)} ${pick(SUBJECTS)} เรื่อง ${pick(TOPICS)} ชั้น ป.${1 + Math.floor(r() * 6)}`);
    rows.push({
      province, authority,
      unit: `โรงเรียนเทศบาล ${1 + Math.floor(r() * 9)} (${pick(PLACES)})`,
      name: `${pick(TITLES)} ${pick(FIRST)} ${pick(LAST)}`,
      position: pick(POSITIONS),
      salary: `${20 + Math.floor(r() * 40)},${String(Math.floor(r() * 1000)).padStart(3, '0')}`,
      age: String(28 + Math.floor(r() * 32)),
      rankRequested: pick(RANKS),
      subjectGroup: pick(SUBJECTS),
      works: works.join('\n'),
    });
  }
  return rows;
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
