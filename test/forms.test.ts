import { emblemRaise, MARK_FROM_EDGE } from '../src/layout/page.js';
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDocument, getForm, listForms } from '../src/forms/registry.js';
import { DocumentModel, plainText } from '../src/model/document.js';
import { decimalText } from '../src/validation.js';
import { renderDocument } from '../src/render/index.js';
import { pdftotext, stripSpace } from './helpers/pdf.js';
import { unzip } from './helpers/zip.js';
import { validationErrors } from './helpers/forms.js';

const EXAMPLES = new URL('../examples/', import.meta.url).pathname;


const minimalLetter = {
  number: 'ศธ 04009/ว 1075',
  office: ['สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน'],
  date: '2022-02-17',
  subject: 'ทดสอบ',
  to: 'ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาทุกเขต',
  body: ['ข้อความ'],
  closing: 'จึงเรียนมาเพื่อทราบ',
  signer: { name: 'นายทดสอบ ระบบ', positions: ['ผู้อำนวยการ'] },
};

describe('every form', () => {
  it('are all registered with Thai and English titles', () => {
    expect(listForms().map((f) => f.id)).toEqual(expect.arrayContaining(['announcement', 'external-letter', 'memo', 'order', 'stamped-letter']));
    for (const f of listForms()) expect(f.title.th).toMatch(/[\u0e00-\u0e7f]/);
  });

  it('have at least one example each, and every example builds a valid model whose text reaches the PDF', async () => {
    for (const form of listForms()) {
      const dir = join(EXAMPLES, form.id);
      const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'shared.json');
      expect(files.length, form.id).toBeGreaterThan(0);
      for (const file of files) {
        const data = JSON.parse(readFileSync(join(dir, file), 'utf8'));
        const built = buildDocument(form, data);
        const model = DocumentModel.parse(built.model);
        expect(model.blocks.length, `${form.id}/${file}`).toBeGreaterThan(1);
        const pdf = await renderDocument(built.model, 'pdf', built.options);
        // Page furniture (the next page's first word, page numbers) is not the form's text.
        const text = stripSpace(pdftotext(pdf, ['-layout']).split('\n')
          .filter((l) => !/^\s*-\s*[๐-๙]+\s*-\s*$/.test(l) && !/^\s+\/\S+\.\.\.\s*$/.test(l)).join('\n'));
        // Every paragraph of the model is in the PDF (page furniture aside).
        for (const block of model.blocks) {
          if (block.type !== 'paragraph') continue;
          const expected = stripSpace(plainText(block.text)).replace(/\d/g, (d) => String.fromCharCode(0x0e50 + Number(d)));
          expect(text, `${form.id}/${file}`).toContain(expected);
        }
      }
    }
  });
});

describe('external letter', () => {
  const form = getForm('external-letter')!;
  it('writes Thai numerals and a Buddhist-era date by default, Arabic on request', async () => {
    const thai = stripSpace(pdftotext(await renderDocument(buildDocument(form, minimalLetter).model, 'pdf')));
    expect(thai).toContain('ที่ศธ๐๔๐๐๙/ว๑๐๗๕');
    expect(thai).toContain('๑๗กุมภาพันธ์๒๕๖๕');
    const built = buildDocument(form, { ...minimalLetter, options: { numerals: 'arabic' } });
    const arabic = stripSpace(pdftotext(await renderDocument(built.model, 'pdf')));
    expect(arabic).toContain('ที่ศธ04009/ว1075');
    expect(arabic).toContain('17กุมภาพันธ์2565');
  });

  it('accepts a Buddhist-era year and reads it as such', () => {
    const a = buildDocument(form, minimalLetter).model;
    const b = buildDocument(form, { ...minimalLetter, date: '2565-02-17' }).model;
    expect(b).toEqual(a);
  });

  it('pairs กราบเรียน with ขอแสดงความนับถืออย่างยิ่ง', () => {
    const model = DocumentModel.parse(buildDocument(form, { ...minimalLetter, salutation: 'กราบเรียน' }).model);
    const signature = model.blocks.find((b) => b.type === 'signature');
    expect(signature && signature.type === 'signature' && signature.closing?.map(plainText)).toEqual(['ขอแสดงความนับถืออย่างยิ่ง']);
  });

  it('numbers references only when there is more than one', () => {
    const one = DocumentModel.parse(buildDocument(form, { ...minimalLetter, references: ['หนังสือ ก'] }).model);
    const two = DocumentModel.parse(buildDocument(form, { ...minimalLetter, references: ['หนังสือ ก', 'หนังสือ ข'] }).model);
    const list = (m: DocumentModel) => m.blocks.find((b) => b.type === 'list');
    expect(list(one)).toMatchObject({ numbering: 'none' });
    expect(list(two)).toMatchObject({ numbering: 'numbered' });
  });

  it('puts the urgency mark in red beside the emblem', () => {
    const model = DocumentModel.parse(buildDocument(form, { ...minimalLetter, urgency: 'ด่วนที่สุด' }).model);
    expect(model.blocks[0]).toMatchObject({ type: 'emblem', mark: [{ text: 'ด่วนที่สุด', color: '#d00000', bold: true, size: 32 }] });
  });

  it('rejects bad input with field paths and Thai and English messages', () => {
    const errors = validationErrors(() => buildDocument(form, { ...minimalLetter, date: '2022-02-30', signer: { name: '', positions: [] }, urgency: 'ด่วนมากๆ', extra: 1 }));
    const paths = errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['date', 'signer.name', 'signer.positions', 'urgency']));
    expect(errors.some((e) => e.path === '(root)' || e.th.includes('extra') || e.en.includes('extra'))).toBe(true);
    for (const e of errors) {
      expect(e.th).toMatch(/[\u0e00-\u0e7f]/);
      expect(e.en).toMatch(/[a-z]/);
    }
  });

  it('keeps quotes, backslashes and braces in the data as text', async () => {
    const tricky = 'เรื่อง "พิเศษ" {{ไม่ใช่แม่แบบ}} \\ ทดสอบ';
    const built = buildDocument(form, { ...minimalLetter, subject: tricky });
    const text = pdftotext(await renderDocument(built.model, 'pdf'));
    expect(stripSpace(text)).toContain(stripSpace(tricky));
  });
});

describe('announcement', () => {
  it('numbers clauses through the whole text and chapters with titles', () => {
    const form = getForm('announcement')!;
    const model = DocumentModel.parse(buildDocument(form, {
      issuer: 'คณะกรรมการทดสอบ', subject: 'ทดสอบ', date: '2019-07-31',
      chapters: [{ clauses: [{ text: 'ก' }, { text: 'ข' }] }, { title: 'บททั่วไป', clauses: [{ text: 'ค', items: ['ค หนึ่ง', 'ค สอง'] }] }],
      signer: { name: 'นายทดสอบ', positions: ['ประธาน'] },
    }).model);
    const texts = model.blocks.filter((b) => b.type === 'paragraph').map((b) => plainText((b as { text: string }).text));
    expect(texts).toEqual(expect.arrayContaining(['ข้อ 1 ก', 'ข้อ 2 ข', 'หมวด 1', 'บททั่วไป', 'ข้อ 3 ค', '3.1 ค หนึ่ง', '3.2 ค สอง', 'ประกาศ ณ วันที่ ๓๑ กรกฎาคม พ.ศ. ๒๕๖๒']));
  });
});

describe('order', () => {
  it('sets a committee in borderless columns: number, name, position, role on one line', async () => {
    const form = getForm('order')!;
    const data = JSON.parse(readFileSync(join(EXAMPLES, 'order', 'committee-appointment.json'), 'utf8'));
    const built = buildDocument(form, data);
    const table = DocumentModel.parse(built.model).blocks.find((b) => b.type === 'table');
    expect(table).toMatchObject({ type: 'table', borders: false });
    const layout = pdftotext(await renderDocument(built.model, 'pdf', built.options), ['-layout']);
    const line = layout.split('\n').find((l) => l.includes('นางกาญจนา เพชรรัตน์'))!;
    expect(line).toMatch(/๖\.\s+นางกาญจนา เพชรรัตน์\s+ผู้อำนวยการกลุ่มบริหารงานบุคคล\s+กรรมการและเลขานุการ/);
  });
});

describe('memo', () => {
  it('puts the urgency mark in the top margin above the small emblem, and the title on the emblem line', async () => {
    const form = getForm('memo')!;
    const data = JSON.parse(readFileSync(join(EXAMPLES, 'memo', 'budget-request.json'), 'utf8'));
    const built = buildDocument(form, { ...data, urgency: 'ด่วนที่สุด' });
    const pdf = await renderDocument(built.model, 'pdf', built.options);
    const words = [...pdftotext(pdf, ['-bbox', '-f', '1', '-l', '1']).matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</g)].map((m) => ({ yMin: Number(m[1]), yMax: Number(m[2]), text: m[3]! }));
    const mark = words.find((w) => w.text === 'ด่วนที่สุด')!;
    const title = words.find((w) => w.text === 'บันทึกข้อความ')!;
    // At least 1 cm from the edge, where printers reach (issue 16): the 1.5 cm emblem comes down below it.
    const emblemTop = built.model.page.margins.top - emblemRaise(built.model.page.margins.top, 32 * 1.1);
    expect(mark.yMin).toBeGreaterThanOrEqual(MARK_FROM_EDGE - 2);
    expect(mark.yMax).toBeLessThan(emblemTop + 1); // above the emblem
    expect(title.yMax).toBeLessThan(emblemTop + 42.52 + 2); // on the emblem's bottom line
    // In the DOCX the mark is in the first page's header, which Word draws in the top margin.
    const parts = unzip(await renderDocument(built.model, 'docx', built.options));
    const headers = [...parts.entries()].filter(([name]) => /^word\/header\d+\.xml$/.test(name)).map(([, xml]) => xml.toString('utf8'));
    expect(headers.filter((xml) => xml.includes('ด่วนที่สุด'))).toHaveLength(1);
    expect(parts.get('word/document.xml')!.toString('utf8')).not.toContain('ด่วนที่สุด');
  });
});

describe('decimalText: money, hours and scores as people write them', () => {
  const money = decimalText({ places: 2, unit: 'บาท', max: 100000, message: 'เงิน / money' });
  it('keeps the decimal text, from Thai or Arabic digits, separators and a unit', () => {
    expect(money.parse('๓๕,๒๒๐.๕๐')).toBe('35220.50');
    expect(money.parse('35,220 บาท')).toBe('35220');
    expect(money.parse(0.1)).toBe('0.1');
  });
  it('refuses negatives, too many decimals, more than the maximum and words, with the form\'s message', () => {
    for (const bad of ['-1', '1.005', '100000.01', 'สามหมื่น', '']) {
      const r = money.safeParse(bad);
      expect(r.success, bad).toBe(false);
      if (!r.success) expect(r.error.issues[0]!.message).toBe('เงิน / money');
    }
    expect(money.safeParse('100000').success).toBe(true);
  });
});

describe('years typed as text', () => {
  it('builds the area director data the same from ๒๕๖๕ in Thai digits as from the number 2565', () => {
    const form = getForm('esa-director-data')!;
    const numbers = JSON.parse(readFileSync(new URL('../examples/esa-director-data/chainat-round1-2565.json', import.meta.url), 'utf8'));
    const thaiDigits = (v: unknown): unknown => (typeof v === 'number' && v >= 2500 && v <= 2700 ? String(v).replace(/\d/g, (d) => String.fromCharCode(0x0e50 + Number(d))) : Array.isArray(v) ? v.map(thaiDigits) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, thaiDigits(x)])) : v);
    const typed = thaiDigits(numbers) as typeof numbers;
    expect(typed.round.year).toBe('๒๕๖๕');
    expect(buildDocument(form, typed).model).toEqual(buildDocument(form, numbers).model);
  });
});
