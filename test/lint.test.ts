import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintDocx, lintForm, lintLayout, signingRoomOfPdf } from '../src/lint/pages.js';
import { renderDocument } from '../src/render/index.js';
import type { BlockInput } from '../src/model/document.js';
import { tempDir } from './helpers/pdf.js';
import { validatedRows } from '../src/batch/rows.js';
import { prng } from './helpers/seeds.js';
import { renderForm } from '../src/service.js';
import { buildDocument, getForm } from '../src/forms/registry.js';
import { prepareText } from '../src/model/prepareText.js';
import type { DocumentLayout } from '../src/layout/page.js';
import { layoutFor } from '../src/render/pdf/renderPdf.js';

/** The page lint (npm run lint:pages): clean on every shipped example, and it catches each class it names. */

const root = new URL('..', import.meta.url).pathname;
const examples = readdirSync(join(root, 'examples')).filter((f) => f !== 'batch').flatMap((form) =>
  readdirSync(join(root, 'examples', form)).filter((f) => f.endsWith('.json') && f !== 'shared.json').map((f) => [form, f] as const));
const example = (form: string, file: string) => JSON.parse(readFileSync(join(root, 'examples', form, file), 'utf8')) as Record<string, unknown>;

function laid(formId: string, input: unknown): { model: ReturnType<typeof prepareText>; layout: DocumentLayout } {
  const model = prepareText(buildDocument(getForm(formId)!, input).model);
  return { model, layout: layoutFor(model) };
}

describe('page lint on the examples', () => {
  it.each(examples)('%s %s: no findings in the PDF layout', (form, file) => {
    expect(lintForm(form, example(form, file)).findings).toEqual([]);
  });

  it('finds nothing on the letters as LibreOffice lays out their Word files', async () => {
    for (const [form, file] of [['stamped-letter', 'dla-submission-rights-2561.json'], ['order', 'committee-appointment.json'], ['external-letter', 'obec-salary-increment-2565.json']] as const) {
      const docx = (await renderForm(form, { ...example(form, file), options: { font: 'Sarabun' } }, 'docx')).data;
      const { pages, findings } = await lintDocx(docx);
      expect(pages).toBeGreaterThan(0);
      expect(findings, `${form} ${file}`).toEqual([]);
    }
  });
});

/** The batch example (seed 001) as its documents: the form's data of each local authority, in the file's order. */
async function batchDocuments(): Promise<{ authority: string; data: Record<string, unknown> }[]> {
  const spec = getForm('applicant-summary')!.batch!;
  const shared = example('applicant-summary', 'shared.json');
  const groups = new Map<string, Record<string, unknown>[]>();
  for await (const r of validatedRows(join(root, 'examples', 'batch', 'applicants-chainat.csv'), 'applicants-chainat.csv', spec)) {
    if (!r.ok) throw new Error(`row ${r.row} refused`);
    const row = r.value as Record<string, unknown>;
    const key = String(row.authority);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups].map(([authority, rows]) => ({ authority, data: spec.toData(rows as never, shared) as Record<string, unknown> }));
}

describe('page lint on the batch example, one document per local authority', () => {
  it('finds nothing, and the first authority\'s three applicants fit one page with the signature', async () => {
    const docs = await batchDocuments();
    expect(docs.length).toBeGreaterThan(10);
    for (const { authority, data } of docs) expect(lintForm('applicant-summary', data).findings, authority).toEqual([]);
    expect(lintForm('applicant-summary', docs[0]!.data).pages).toBe(1);
  });
});

const URLS = ['https://www.obec.go.th/wp-content/uploads/2022/02/salary-increment-attachments-01-to-14.pdf', 'http://personnel.chainatedu.go.th/index.php?option=com_content&view=article&id=1234', 'https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOpQrStUvWxYz_0123456789'];
const EMAILS = ['personnel.chainat@obec.go.th', 'saraban-support.division-of-personnel@example.go.th', 'somchai.jaidee2565@gmail.com'];
const ENGLISH = ['Electronic Document Management System (e-Saraban)', 'Google Workspace for Education', 'Professional Learning Community (PLC)', 'Microsoft Teams', 'Active Learning'];
const THAI = ['สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานพิจารณาแล้ว', 'ขอให้สำนักงานเขตพื้นที่การศึกษาทุกเขตดำเนินการ', 'ตามหลักเกณฑ์และวิธีการที่ ก.ค.ศ. กำหนด', 'ภายในวันที่ ๓๑ มีนาคม ๒๕๖๕', 'จำนวน ๑ ฉบับ', 'ทั้งนี้ ให้รายงานผลการดำเนินงาน', 'ผ่านระบบสารบรรณอิเล็กทรอนิกส์', 'ในการนี้', 'โดยประสานงานกับกลุ่มบริหารงานบุคคล'];

function paragraph(rnd: () => number, n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const pick = (a: string[]) => a[Math.floor(rnd() * a.length)]!;
    parts.push(r < 0.6 ? pick(THAI) : r < 0.72 ? pick(URLS) : r < 0.84 ? pick(EMAILS) : pick(ENGLISH));
  }
  return parts.join(rnd() < 0.5 ? ' ' : ' ');
}

/**
 * Stress inputs of our own, the same on every run: letters of 1 to 24 paragraphs (up to three pages) mixing
 * long URLs, e-mail addresses and English phrases into Thai text; lists of 1, 2, 3, 17 and 40 rows with long
 * names and place names in narrow columns.
 */
function stressInputs(): [string, string, unknown][] {
  const rnd = prng(20260107);
  const letter = example('external-letter', 'minimal.json');
  const out: [string, string, unknown][] = [];
  for (const paragraphs of [1, 3, 8, 16, 24]) {
    out.push([`letter with addresses and English, ${paragraphs} paragraphs`, 'external-letter', {
      ...letter,
      subject: 'การรายงานข้อมูลผ่านระบบ Electronic Document Management System (e-Saraban) ที่ https://www.obec.go.th/e-saraban',
      body: Array.from({ length: paragraphs }, () => paragraph(rnd, 3 + Math.floor(rnd() * 8))),
      copyTo: ['ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาทุกเขต'],
    }]);
  }
  const longName = 'นางสาวประภาพรรณพิมพ์ชนก ศรีสุวรรณวงศ์ไพศาลเจริญ';
  const applicant = (i: number) => ({
    province: i % 2 ? 'พระนครศรีอยุธยา' : 'ชัยนาท', authority: i % 2 ? 'อบต.บ้านใหม่หนองสาหร่ายพัฒนา' : 'ทม.ชัยนาท',
    unit: `โรงเรียนเทศบาล ${i + 1} (บ้านหนองกระทุ่มใหม่พัฒนาสามัคคี)`, name: i % 3 ? longName : `นายสมชาย ใจดี${i}`,
    position: i % 2 ? 'รองผู้อำนวยการสถานศึกษา' : 'ครู', salary: '38,080', age: '56', rankRequested: i % 2 ? 'เชี่ยวชาญ' : 'ชำนาญการพิเศษ',
    subjectGroup: 'วิทยาศาสตร์และเทคโนโลยี', works: `1. รายงานการพัฒนาผลสัมฤทธิ์ทางการเรียน เรื่อง ${ENGLISH[i % ENGLISH.length]} ของนักเรียนชั้น ม.${(i % 6) + 1}\n2. ชุดกิจกรรมการเรียนรู้ เรื่อง พืชและสัตว์รอบตัว ${URLS[i % URLS.length]}`,
  });
  const shared = example('applicant-summary', 'shared.json');
  const score = example('government-employee-score', 'yearly-scores-2565.json');
  const list1 = example('salary-increment-list', '1-seconded-teachers-obec-2565.json');
  const quota = example('permanent-employee-quota', '14-by-person-2565.json');
  const by13 = example('salary-increment-summary', '13-section-38c2-by-person-2565.json');
  const a11 = example('salary-increment-summary', '11-teachers-2565.json') as { rows: Record<string, unknown>[] };
  for (const n of [1, 2, 3, 17, 40]) {
    out.push([`applicant summary, ${n} applicants, long names and places`, 'applicant-summary', { ...shared, applicants: Array.from({ length: n }, (_, i) => applicant(i)) }]);
    out.push([`government-employee score, ${n} people`, 'government-employee-score', { ...score, people: Array.from({ length: n }, (_, i) => ({ name: i % 3 ? longName : `นายสมชาย ใจดี`, position: 'นักวิชาการคอมพิวเตอร์', unit: 'โรงเรียนบ้านหนองกระทุ่มใหม่พัฒนาสามัคคี (สังกัด สพป.ชัยนาท)', round1: '85.25', round2: '90.00' })) }]);
    out.push([`attachment 1, ${n} seconded teachers`, 'salary-increment-list', { ...list1, people: Array.from({ length: n }, (_, i) => ({ ...(list1.people as Record<string, unknown>[])[9], name: i % 3 ? longName : `นายสมชาย ใจดี`, position: 'ครู โรงเรียนบ้านหนองกระทุ่มใหม่พัฒนาสามัคคี อำเภอหันคา', positionNumber: String(1000 + i), secondedTo: i % 2 ? 'สำนักพัฒนาระบบบริหารงานบุคคลและนิติการ สพฐ. (https://www.obec.go.th/personnel)' : 'สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน' })) }]);
    out.push([`attachment 14, ${n} employees`, 'permanent-employee-quota', { ...quota, people: Array.from({ length: n }, (_, i) => ({ ...(quota.people as Record<string, unknown>[])[0], name: i % 3 ? longName : 'นายสมบัติ ดีงาม', result: i < Math.floor(n * 0.15) ? 'one-step' : 'half-step', stepMoney: i < Math.floor(n * 0.15) ? '560' : '240' })) }]);
    out.push([`attachment 13, ${n} people`, 'salary-increment-summary', { ...by13, people: Array.from({ length: n }, (_, i) => ({ ...(by13.people as Record<string, unknown>[])[0], name: i % 3 ? longName : 'นางอรุณี พึ่งบุญ', increment: '1200' })) }]);
  }
  for (const n of [1, 2, 3]) out.push([`attachment 11, ${n} rows`, 'salary-increment-summary', { ...a11, rows: Array.from({ length: n }, (_, i) => ({ ...a11.rows[i % 2], group: (i % 2) + 1 })) }]);
  return out;
}

describe('page lint on generated stress inputs (URLs, e-mails, English in Thai text, long names, 1 to 40 rows)', () => {
  const inputs = stressInputs();

  it('finds nothing in the PDF layouts', () => {
    expect(inputs.length).toBeGreaterThan(30);
    const found: [string, number, string][] = [];
    const pages = new Map<string, number>();
    for (const [name, form, data] of inputs) {
      const r = lintForm(form, data);
      pages.set(name, r.pages);
      for (const f of r.findings) found.push([name, f.page, f.rule]);
    }
    expect(found).toEqual([]);
    // The long letter runs to three pages; the short lists stay on one.
    expect(pages.get('letter with addresses and English, 24 paragraphs')).toBe(3);
    for (const n of [1, 2, 3]) expect(pages.get(`attachment 11, ${n} rows`)).toBe(1);
    for (const n of [1, 2, 3]) expect(pages.get(`attachment 14, ${n} employees`)).toBe(1);
  });

  it('sets a short balanced table a point smaller where its last row and the signature would leave page 1 a third blank, in the PDF and the DOCX', async () => {
    // Three applicants of long place names, URLs and English titles: each row a third of the page.
    const [, form, data] = inputs.find(([name]) => name === 'applicant summary, 3 applicants, long names and places')!;
    const model = prepareText(buildDocument(getForm(form)!, data).model);
    const tableSize = (m: typeof model) => m.blocks.flatMap((b) => (b.type === 'table' ? [b.size] : []))[0];
    const layout = layoutFor(model);
    expect(layout.pages.length).toBe(1);
    expect(tableSize(layout.model)).toBeLessThan(tableSize(model)!);
    // Without the rule (the table at its size), the third row and the signature take page 2.
    const fixed = { ...model, blocks: model.blocks.map((b) => (b.type === 'table' ? { ...b, balance: false } : b)) };
    expect(layoutFor(fixed).pages.length).toBe(2);
    // The Word file sets the table at the PDF's size (its style named by the size in half points, Sarabun's
    // scaled to TH Sarabun's), and LibreOffice puts it on one page.
    const docx = (await renderForm(form, { ...(data as Record<string, unknown>), options: { font: 'Sarabun' } }, 'docx')).data;
    const { unzip } = await import('./helpers/zip.js');
    const { fontRegistry } = await import('../src/fonts/registry.js');
    const halfPoints = Math.round(2 * tableSize(layout.model)! * (fontRegistry().get('Sarabun').scale ?? 1));
    expect(unzip(docx).get('word/document.xml')!.toString()).toContain(`w:pStyle w:val="TableTextSz${halfPoints}"`);
    expect(await lintDocx(docx)).toEqual({ pages: 1, findings: [] });
  });

  it('finds nothing in the Word files of the long letter and the short lists, as LibreOffice lays them out', async () => {
    const picked = inputs.filter(([name]) => ['letter with addresses and English, 24 paragraphs', 'attachment 14, 3 employees', 'government-employee score, 3 people'].includes(name));
    expect(picked).toHaveLength(3);
    for (const [name, form, data] of picked) {
      const docx = (await renderForm(form, { ...(data as Record<string, unknown>), options: { font: 'Sarabun' } }, 'docx')).data;
      expect((await lintDocx(docx)).findings, name).toEqual([]);
    }
  });
});

describe('page lint catches what it names', () => {
  it('a page holding only the signature and contact lines', () => {
    const { model, layout } = laid('external-letter', example('external-letter', 'minimal.json'));
    // The signature and contact lines of page 1 moved alone to a page of their own.
    const page = layout.pages[0]!;
    const tail = page.slices.filter((p) => p.slice.role === 'signature' || p.slice.role === 'contact' || p.slice.role === 'closing');
    const broken = { ...layout, pages: [{ slices: page.slices.filter((p) => !tail.includes(p)) }, { slices: tail }] };
    expect(lintLayout(model, broken).map((f) => [f.page, f.rule])).toEqual([[2, 'bottom-only-page']]);
  });

  it('a signature that starts a page with no body above it', () => {
    const { model, layout } = laid('external-letter', example('external-letter', 'minimal.json'));
    const page = layout.pages[0]!;
    const at = page.slices.findIndex((p) => p.slice.role === 'signature');
    const broken = { ...layout, pages: [{ slices: page.slices.slice(0, at) }, { slices: [...page.slices.slice(at), ...page.slices.slice(0, 1)] }] };
    expect(lintLayout(model, broken).some((f) => f.page === 2 && f.rule === 'signature-separated')).toBe(true);
  });

  it('a date broken across lines, and a URL cut inside a word', () => {
    const text = 'ตามหนังสือลงวันที่ ๒๘ ธันวาคม ๒๕๖๑ และเอกสาร https://www.example.go.th/attachments/salary-increment-list.pdf';
    const { model, layout } = laid('external-letter', { ...example('external-letter', 'minimal.json'), body: [text] });
    const placed = layout.pages.flatMap((p) => p.slices).find((p) => p.slice.content.kind === 'text' && p.slice.text.includes('ตามหนังสือ'))!;
    if (placed.slice.content.kind !== 'text') throw new Error('not text');
    const template = placed.slice.content.parts[0]!.line;
    const lineOf = (t: string, last: boolean) => ({ ...template, pieces: [{ text: t, style: template.pieces[0]!.style }], last });
    // The paragraph as two lines cut by hand at `end`.
    const cutAt = (end: number) => {
      const slice = (t: string, last: boolean) => ({ slice: { ...placed.slice, content: { kind: 'text' as const, parts: [{ x: 0, line: lineOf(t, last) }] } }, spaceBefore: 0 });
      const pages = [{ slices: [slice(text.slice(0, end).trimEnd(), false), slice(text.slice(end).trimStart(), true)] }];
      return lintLayout(model, { ...layout, pages }).map((f) => f.rule);
    };
    expect(cutAt(text.indexOf('๒๕๖๑'))).toContain('no-break');
    expect(cutAt(text.indexOf('attachments') + 5)).toContain('latin-cut');
    // A break the rules allow: after the date, after a slash of the address.
    expect(cutAt(text.indexOf('และ'))).toEqual([]);
    expect(cutAt(text.indexOf('attachments'))).toEqual([]);
  });

  it('a header cell set one word per line where the table has room', () => {
    const input = example('salary-increment-list', '5-teacher-head-count-2565.json');
    const model = prepareText(buildDocument(getForm('salary-increment-list')!, input).model);
    // The same table without its fitted header: columns shared evenly, as before.
    const unfitted = { ...model, blocks: model.blocks.map((b) => (b.type === 'table' ? { ...b, fitHeader: false } : b)) };
    const layout = layoutFor(unfitted);
    expect(lintLayout(unfitted, layout).filter((f) => f.rule === 'narrow-header').length).toBeGreaterThan(0);
  });

  it('a signing line with no room to sign above it, in the layout', () => {
    const { model, layout } = laid('salary-increment-summary', example('salary-increment-summary', '11-teachers-2565.json'));
    expect(lintLayout(model, layout)).toEqual([]);
    // The blank the signature block leaves above (ลงชื่อ) taken out, as the lists had it: blank under the dotted line.
    const cramped = { ...layout, pages: layout.pages.map((p) => ({ ...p, slices: p.slices.filter((s) => !(s.slice.role === 'signature' && s.slice.content.kind === 'space')) })) };
    expect(lintLayout(model, cramped).map((f) => [f.page, f.rule])).toEqual([[1, 'signing-room']]);
  });

  it('a signing line with no room to sign above it, on printed pages (the Word file\'s check)', async () => {
    const sign = '(ลงชื่อ)..................................................';
    const pages = async (blocks: BlockInput[]) => {
      const dir = tempDir();
      try {
        writeFileSync(join(dir, 'doc.pdf'), await renderDocument({ blocks }, 'pdf'));
        return await signingRoomOfPdf(join(dir, 'doc.pdf'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const above: BlockInput = { type: 'paragraph', text: 'ขอรับรองว่าข้อมูลดังกล่าวข้างต้นถูกต้อง' };
    // Paragraphs one under the other: the dotted line right under the text above it.
    const cramped = await pages([above, ...[sign, '(นาย ก)', 'ตำแหน่ง ผู้อำนวยการ'].map((text): BlockInput => ({ type: 'paragraph', text, spaceBefore: 0 }))]);
    expect(cramped.map((f) => [f.page, f.rule])).toEqual([[1, 'signing-room']]);
    expect(await pages([above, { type: 'signature', blankLines: 0, spaceBefore: 0, lines: [sign, '(นาย ก)', 'ตำแหน่ง ผู้อำนวยการ'] }])).toEqual([]);
  });

  it('a short table split across pages, the first left mostly blank (the batch\'s first authority with the form\'s widths unbalanced)', async () => {
    const [first] = await batchDocuments();
    const model = prepareText(buildDocument(getForm('applicant-summary')!, first!.data).model);
    const unbalanced = { ...model, blocks: model.blocks.map((b) => (b.type === 'table' ? { ...b, balance: false } : b)) };
    const layout = layoutFor(unbalanced);
    expect(layout.pages.length).toBe(2);
    expect(lintLayout(unbalanced, layout).map((f) => [f.page, f.rule])).toEqual([[1, 'sparse-table-page']]);
  });

  it('npm run lint:pages prints findings per page and exits 0 on the examples', () => {
    const out = execFileSync('node', ['--import', 'tsx', 'src/lint/cli.ts'], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/stamped-letter .*: 1 pages, no findings/);
    expect(out.trim().split('\n').at(-1)).toMatch(/^\d+ document\(s\), 0 finding\(s\)$/);
  });
});
