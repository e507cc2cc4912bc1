import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { renderDocument } from '../src/render/index.js';
import { renderForm } from '../src/service.js';
import type { BlockInput, DocumentModelInput, EmblemImage } from '../src/model/document.js';
import { pageCount, rasterise } from './helpers/pdf.js';
import { compareWithBaseline, inkIn, inkProfileDifference, UPDATE_BASELINES } from './helpers/pixels.js';

/**
 * Visual regression: pages rasterised with pdftoppm at 100 dpi against the
 * PNGs in test/baselines/. A page fails when more than 0.1% of its pixels
 * differ. UPDATE_BASELINES=1 rewrites the baselines; look at them before
 * committing them (marks on their consonants, nothing cut, no boxes).
 */

const DPI = 100;
const MAX_DIFFERENT = 0.001;
const baseline = (name: string) => fileURLToPath(new URL(`./baselines/${name}.png`, import.meta.url));

/** A fixed emblem, so that the letter page does not depend on SARABAN_EMBLEM. */
const EMBLEM: EmblemImage = {
  type: 'svg',
  data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100"><circle cx="50" cy="50" r="46" fill="none" stroke="#000" stroke-width="4"/><circle cx="50" cy="50" r="20" fill="#000"/></svg>'),
};

const STACKS = 'ที่ ปั้น ปู่ ฟ้า ฝั่ง ญี่ปุ่น น้ำ ฐ ญ ฏ ฎ ฤๅ';
const STACKS_GLUED = STACKS.replace(/ /gu, '');

function stackBlocks(): BlockInput[] {
  const blocks: BlockInput[] = [];
  for (const size of [16, 32]) {
    for (const align of ['left', 'thai-distributed'] as const) {
      // Long enough to wrap, so that thai-distributed spreads its full lines.
      const repeat = size === 16 ? 5 : 2;
      blocks.push({ type: 'paragraph', text: Array(repeat).fill(STACKS).join(' '), size, align, spaceBefore: 8 });
      blocks.push({ type: 'paragraph', text: STACKS_GLUED.repeat(repeat), size, align, spaceBefore: 4 });
    }
  }
  return blocks;
}

const STACK_PAGE: DocumentModelInput = {
  title: 'hard stacks',
  page: { pageNumbers: false, continuation: false },
  blocks: stackBlocks(),
};

const LETTER_PAGE: DocumentModelInput = {
  title: 'letter',
  page: { pageNumbers: false, continuation: false },
  blocks: [
    { type: 'emblem' },
    { type: 'row', left: ['ที่ ศธ ๐๔๐๐๙/ว ๑๐๗๕'], right: ['สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน', 'กระทรวงศึกษาธิการ กทม. ๑๐๓๐๐'] },
    { type: 'paragraph', text: '๑๗ กุมภาพันธ์ ๒๕๖๕', align: 'left', indent: '8cm' },
    { type: 'labeled', label: 'เรื่อง', text: 'ซักซ้อมการเลื่อนเงินเดือนข้าราชการและเลื่อนขั้นค่าจ้างลูกจ้างประจำ ครั้งที่ ๑ (๑ เมษายน ๒๕๖๕)', align: 'left' },
    { type: 'labeled', label: 'เรียน', text: 'ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาทุกเขต', align: 'left' },
    { type: 'list', label: 'อ้างถึง', items: ['หนังสือสำนักงาน ก.ค.ศ. ที่ ศธ ๐๒๐๖.๗/ว ๑๕ ลงวันที่ ๒๗ กันยายน ๒๕๖๑', 'หนังสือสำนักงาน ก.ค.ศ. ที่ ศธ ๐๒๐๖.๗/ว ๒๓ ลงวันที่ ๓ กันยายน ๒๕๖๔'] },
    {
      type: 'paragraph', firstLineIndent: '2.5cm',
      text: 'ตามที่ สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน ได้แจ้งแนวทางการเลื่อนเงินเดือนข้าราชการครูและบุคลากรทางการศึกษา สังกัดสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน ครั้งที่ ๑ (๑ เมษายน ๒๕๖๕) ให้สำนักงานเขตพื้นที่การศึกษาทุกเขตทราบและถือปฏิบัติ ความละเอียดแจ้งแล้ว นั้น',
    },
    {
      type: 'paragraph', firstLineIndent: '2.5cm',
      text: 'สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานพิจารณาแล้ว เพื่อให้การเลื่อนเงินเดือนข้าราชการและเลื่อนขั้นค่าจ้างลูกจ้างประจำเป็นไปด้วยความเรียบร้อย ถูกต้อง และเป็นธรรม จึงขอซักซ้อมแนวทางปฏิบัติ โดยให้ผู้บังคับบัญชาพิจารณาผลการปฏิบัติงานอย่างน้อย ๒ องค์ประกอบ ได้แก่ ผลสัมฤทธิ์ของงาน และพฤติกรรมการปฏิบัติงาน ทั้งนี้ ให้ส่งข้อมูลภายในวันที่ ๓๑ มีนาคม ๒๕๖๕ รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย',
    },
    { type: 'paragraph', firstLineIndent: '2.5cm', text: 'จึงเรียนมาเพื่อโปรดทราบและดำเนินการต่อไป' },
    { type: 'signature', closing: ['ขอแสดงความนับถือ'], name: '(นายอัมพร พินะสา)', lines: ['เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน'] },
    { type: 'paragraph', text: 'สำนักบริหารงานการศึกษาพิเศษ\nโทร. ๐ ๒๒๘๘ ๕๕๐๐\nโทรสาร ๐ ๒๒๘๑ ๐๙๕๓', align: 'left', spaceBefore: 24 },
  ],
};

async function page1(model: DocumentModelInput): Promise<Buffer> {
  const pdf = await renderDocument(model, 'pdf', { emblem: EMBLEM });
  expect(pageCount(pdf)).toBe(1);
  const [png] = rasterise(pdf, DPI, 1, 1);
  expect(png).toBeDefined();
  return png!;
}

/** Page 1 of a form's committed example. */
async function examplePage1(formId: string, example: string): Promise<Buffer> {
  const input: unknown = JSON.parse(readFileSync(new URL(`../examples/${formId}/${example}.json`, import.meta.url), 'utf8'));
  const { data } = await renderForm(formId, input, 'pdf');
  const [png] = rasterise(data, DPI, 1, 1);
  expect(png).toBeDefined();
  return png!;
}

/**
 * Table pages: header cells spanning rows and columns, body rows spanning the
 * table (the group rows of attachment 11), rules running down the columns.
 */
const TABLE_PAGES: [string, string][] = [
  ['applicant-summary', 'kanchanaburi-april-2558'],
  ['salary-increment-summary', '11-teachers-2565'],
];
/** Pixels a column or row of a table page may differ by: a rule's segment over one body row is about 25. */
const MAX_PROFILE_DIFFERENT = 6;

describe('visual regression (pdftoppm, 100 dpi, baselines in test/baselines)', () => {
  const cases: [string, () => Promise<Buffer>][] = [
    ['thai-stacks', () => page1(STACK_PAGE)],
    ['letter', () => page1(LETTER_PAGE)],
    ...TABLE_PAGES.map(([formId, example]): [string, () => Promise<Buffer>] => [formId, () => examplePage1(formId, example)]),
  ];
  for (const [name, render] of cases) {
    it(`${name}: differs from its baseline in at most ${MAX_DIFFERENT * 100}% of pixels`, async () => {
      const png = await render();
      // A blank or nearly blank page would make a worthless baseline.
      expect(inkIn(png, { x: 0, y: 0, w: 1170, h: 1170 })).toBeGreaterThan(15_000);
      const result = compareWithBaseline(png, baseline(name));
      if (UPDATE_BASELINES) {
        expect(result.updated).toBe(true);
        return;
      }
      expect(
        result.fraction,
        `${result.different} of ${result.total} pixels differ (${(result.fraction * 100).toFixed(3)}%); diff image: ${result.diffFile}`,
      ).toBeLessThanOrEqual(MAX_DIFFERENT);
      if (TABLE_PAGES.some(([formId]) => formId === name)) {
        const profile = inkProfileDifference(png, baseline(name));
        expect(profile.columns, 'ink of a pixel column differs from the baseline (a table rule moved or went missing)').toBeLessThanOrEqual(MAX_PROFILE_DIFFERENT);
        expect(profile.rows, 'ink of a pixel row differs from the baseline (a table rule moved or went missing)').toBeLessThanOrEqual(MAX_PROFILE_DIFFERENT);
      }
    });
  }

  it('renders the same page to the same pixels twice (the comparison is deterministic)', async () => {
    const a = await page1(STACK_PAGE);
    const b = await page1(STACK_PAGE);
    expect(a.equals(b)).toBe(true);
  });
});
