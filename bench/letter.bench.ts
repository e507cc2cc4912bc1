/**
 * npm run bench: a one-page letter to PDF and to DOCX, warm, in process, next
 * to a naive single pdfmake call on the same content; the same letter as
 * PDF/A-3b with its data embedded, and signed (issue 18), and the signature
 * alone. Signing uses SARABAN_SIGN_P12 when it is set, else a throwaway
 * certificate made with openssl (RSA 2048). Prints medians and the peak RSS
 * of each phase.
 */
import { createRequire } from 'node:module';
import { getForm, buildDocument } from '../src/forms/registry.js';
import { renderModel } from '../src/render/index.js';
import { FONTS_DIR } from '../src/fonts/registry.js';
import { renderForm } from '../src/service.js';
import { makeTestCerts } from '../test/helpers/certs.js';

const require = createRequire(import.meta.url);

const WARMUP = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

const letter = {
  number: 'ศธ 04009/ว 1075',
  office: ['สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน', 'กระทรวงศึกษาธิการ กทม. 10300'],
  date: '2022-02-17',
  subject: 'ซักซ้อมการเลื่อนเงินเดือนข้าราชการและเลื่อนขั้นค่าจ้างลูกจ้างประจำ ครั้งที่ 1 (1 เมษายน 2565)',
  to: 'ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาทุกเขต',
  references: ['หนังสือสำนักงาน ก.ค.ศ. ที่ ศธ 0206.7/ว 15 ลงวันที่ 27 กันยายน 2561'],
  enclosures: ['เอกสารหมายเลข 1 - 14 จำนวน 1 ชุด'],
  body: [
    'ตามหนังสือที่อ้างถึง แจ้งกฎ ก.ค.ศ. การเลื่อนเงินเดือนของข้าราชการครูและบุคลากรทางการศึกษา พ.ศ. 2561 หลักเกณฑ์และวิธีการประเมินผลการปฏิบัติงานของข้าราชการครูและบุคลากรทางการศึกษา และแนวปฏิบัติในการพิจารณาเลื่อนเงินเดือนข้าราชการครูและบุคลากรทางการศึกษา สังกัดสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน พ.ศ. 2562 ความแจ้งแล้ว นั้น',
    'สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานพิจารณาแล้ว ขอให้สำนักงานเขตพื้นที่การศึกษาทุกเขต ดำเนินการเลื่อนเงินเดือนข้าราชการและเลื่อนขั้นค่าจ้างลูกจ้างประจำในสังกัด ในวันที่ 1 เมษายน 2565 โดยถือปฏิบัติตามหนังสือที่อ้างถึง และบริหารวงเงินที่ได้รับจัดสรรร้อยละ 3.00 ภายในกลุ่มเท่านั้น',
  ],
  closing: 'จึงเรียนมาเพื่อทราบและดำเนินการต่อไป',
  signer: { name: 'นายเทอดชาติ ชัยพงษ์', positions: ['ผู้ช่วยเลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน ปฏิบัติราชการแทน', 'เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน'] },
  contact: { division: ['สำนักพัฒนาระบบบริหารงานบุคคลและนิติการ'], phone: '0 2288 5652' },
};

interface Result { name: string; median: number; p90: number; peakRss: number }

async function measure(name: string, fn: () => Promise<unknown>): Promise<Result> {
  for (let i = 0; i < WARMUP; i++) await fn();
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  times.sort((a, b) => a - b);
  return { name, median: times[Math.floor(times.length / 2)]!, p90: times[Math.floor(times.length * 0.9)]!, peakRss };
}

/** The naive way: one pdfmake call, pdfmake's own line breaking, fonts read by pdfmake, the same text. */
function naiveDocDefinition() {
  const para = (text: string, extra: Record<string, unknown> = {}) => ({ text, margin: [0, 6, 0, 0], ...extra });
  return {
    pageSize: 'A4',
    pageMargins: [85, 71, 57, 57],
    defaultStyle: { font: 'Sarabun', fontSize: 16 * 0.645 },
    content: [
      para(`ที่ ${letter.number}`),
      ...letter.office.map((t) => para(t, { alignment: 'right' })),
      para('17 กุมภาพันธ์ 2565', { margin: [212, 6, 0, 0] }),
      para(`เรื่อง  ${letter.subject}`),
      para(`เรียน  ${letter.to}`),
      para(`อ้างถึง  ${letter.references[0]}`),
      para(`สิ่งที่ส่งมาด้วย  ${letter.enclosures[0]}`),
      ...letter.body.map((t) => para(t, { alignment: 'justify', leadingIndent: 71 })),
      para(letter.closing, { leadingIndent: 71 }),
      para('ขอแสดงความนับถือ', { margin: [150, 6, 0, 40] }),
      para(`(${letter.signer.name})`, { margin: [150, 6, 0, 0] }),
      ...letter.signer.positions.map((t) => para(t, { alignment: 'center' })),
    ],
  };
}

async function main() {
  const form = getForm('external-letter')!;
  const built = buildDocument(form, letter);
  const naivePdfmake = require('pdfmake') as { setFonts(f: unknown): void; createPdf(d: unknown): { getBuffer(): Promise<Buffer> }; setUrlAccessPolicy(f: () => boolean): void };
  const naiveFonts = { Sarabun: { normal: `${FONTS_DIR}/Sarabun-Regular.ttf`, bold: `${FONTS_DIR}/Sarabun-Bold.ttf`, italics: `${FONTS_DIR}/Sarabun-Italic.ttf`, bolditalics: `${FONTS_DIR}/Sarabun-BoldItalic.ttf` } };
  const results: Result[] = [];
  // The naive baseline runs first, before Saraban installs its pdfkit patches in this process.
  const originalWarn = console.warn;
  console.warn = () => {};
  results.push(await measure('naive: one pdfmake call, fonts from disk', async () => {
    naivePdfmake.setFonts(naiveFonts);
    await naivePdfmake.createPdf(naiveDocDefinition()).getBuffer();
  }));
  console.warn = originalWarn;
  results.push(await measure('saraban: letter -> PDF (form, template, layout, render)', async () => {
    const b = buildDocument(form, letter);
    await renderModel(b.model, 'pdf', b.options);
  }));
  results.push(await measure('saraban: letter -> PDF (render only)', () => renderModel(built.model, 'pdf', built.options)));
  results.push(await measure('saraban: letter -> DOCX (form, template, render)', async () => {
    const b = buildDocument(form, letter);
    await renderModel(b.model, 'docx', b.options);
  }));
  if (!process.env.SARABAN_SIGN_P12) {
    const certs = makeTestCerts();
    process.env.SARABAN_SIGN_P12 = certs.p12;
    process.env.SARABAN_SIGN_P12_PASSWORD = certs.password;
  }
  // Through the service, as a request renders: validation, the data files, the signature.
  results.push(await measure('saraban: letter -> PDF (service, plain)', () => renderForm('external-letter', letter, 'pdf')));
  results.push(await measure('saraban: letter -> PDF/A-3b + data (service)', () => renderForm('external-letter', { ...letter, options: { archive: 'pdf/a-3b' } }, 'pdf')));
  results.push(await measure('saraban: letter -> PDF/A-3b + data, signed (service)', () => renderForm('external-letter', { ...letter, options: { archive: 'pdf/a-3b', sign: true } }, 'pdf')));
  const { signPdf } = await import('../src/sign/signPdf.js');
  const archived = (await renderForm('external-letter', { ...letter, options: { archive: 'pdf/a-3b' } }, 'pdf')).data;
  results.push(await measure('saraban: signing alone (placeholder, CMS, RSA)', () => signPdf(archived)));
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  console.log(`one-page letter, ${RUNS} runs after ${WARMUP} warm-up runs, node ${process.version}`);
  console.log('median ms  p90 ms  peak RSS  case');
  for (const r of results) console.log(`${r.median.toFixed(2).padStart(9)}  ${r.p90.toFixed(2).padStart(6)}  ${mb(r.peakRss).padStart(8)}  ${r.name}`);
}

await main();
