import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { createApp } from '../src/http/app.js';
import { fillXml, placeholdersOf, readDocx } from '../src/docxmerge/merge.js';
import { pdftotext, stripSpace } from './helpers/pdf.js';
import { binary } from './helpers/http.js';
import { docxOf, W } from './helpers/docx.js';

const THAI_FONT = '<w:rPr><w:rFonts w:ascii="TH SarabunPSK" w:hAnsi="TH SarabunPSK" w:cs="TH SarabunPSK"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>';
const BOLD = '<w:rPr><w:b/><w:bCs/></w:rPr>';

/** A paragraph as Word often stores `เรียน {{name}}`: the placeholder cut into three runs, the first in the Thai font. */
const splitParagraph = `<w:p><w:r>${THAI_FONT}<w:t xml:space="preserve">เรียน </w:t></w:r><w:r>${THAI_FONT}<w:t>{{</w:t></w:r>`
  + `<w:proofErr w:type="spellStart"/><w:r>${BOLD}<w:t>na</w:t></w:r><w:proofErr w:type="spellEnd"/><w:r>${BOLD}<w:t>me}} ครับ</w:t></w:r></w:p>`;

const letter = docxOf(`${splitParagraph}<w:p><w:r>${THAI_FONT}<w:t xml:space="preserve">ลงวันที่ {{thaiDate date}} จำนวน {{formatNumber amount 2}} บาท ({{bahtText amount}})</w:t></w:r></w:p>`);

const documentXml = (docx: Buffer | Uint8Array) => strFromU8(unzipSync(new Uint8Array(docx))['word/document.xml']!);
const app = createApp();
const merge = (query = '') => request(app).post(`/api/v1/docx-merge${query}`).buffer(true).parse(binary);

describe('filling placeholders', () => {
  it('finds a placeholder split across runs and puts the value in the run where it starts, in that run’s Thai font', () => {
    const { xml, errors, found } = fillXml(splitParagraph, { name: 'นายสมชาย <ใจดี> & คณะ' });
    expect(errors).toEqual([]);
    expect(found).toBe(1);
    // The value is escaped and sits in the run with the TH SarabunPSK (w:cs) properties.
    expect(xml).toContain(`<w:r>${THAI_FONT}<w:t xml:space="preserve">นายสมชาย &lt;ใจดี&gt; &amp; คณะ</w:t></w:r>`);
    // The rest of the placeholder is gone from the bold runs; their own text stays, bold.
    expect(xml).toContain(`<w:r>${BOLD}<w:t xml:space="preserve"></w:t></w:r>`);
    expect(xml).toContain(`<w:r>${BOLD}<w:t xml:space="preserve"> ครับ</w:t></w:r>`);
    expect(xml).toContain('เรียน </w:t>');
    expect(xml).not.toContain('{{');
  });

  it('writes line breaks and tabs as Word breaks', () => {
    const { xml } = fillXml('<w:p><w:r><w:t>{{address}}</w:t></w:r></w:p>', { address: 'บรรทัดหนึ่ง\nบรรทัดสอง\tแท็บ' });
    expect(xml).toBe('<w:p><w:r><w:t xml:space="preserve">บรรทัดหนึ่ง</w:t><w:br/><w:t xml:space="preserve">บรรทัดสอง</w:t><w:tab/><w:t xml:space="preserve">แท็บ</w:t></w:r></w:p>');
  });

  it('fills two placeholders in one element and one that spans the whole paragraph’s runs', () => {
    const { xml } = fillXml('<w:p><w:r><w:t>{{a}}-{{b}}</w:t></w:r><w:r><w:t>{</w:t></w:r><w:r><w:t>{c}</w:t></w:r><w:r><w:t>}!</w:t></w:r></w:p>', { a: '1', b: '2', c: 'สาม' });
    expect(xml.replace(/<[^>]+>/g, '')).toBe('1-2สาม!');
  });

  it('does not join text of different paragraphs', () => {
    const { xml, found } = fillXml('<w:p><w:r><w:t>{{</w:t></w:r></w:p><w:p><w:r><w:t>name}}</w:t></w:r></w:p>', { name: 'x' });
    expect(found).toBe(0);
    expect(xml).toContain('{{');
  });

  it('applies the Thai helpers and reads nested keys and Thai column names', () => {
    const { xml } = fillXml('<w:p><w:r><w:t>{{thaiDate date}}|{{formatNumber amount 2}}|{{bahtText amount}}|{{thaiDigits phone}}|{{office.name}}|{{ชื่อ สกุล}}</w:t></w:r></w:p>',
      { date: '17/02/2565', amount: '1,250,000.5', phone: '02-123', office: { name: 'สพฐ.' }, 'ชื่อ สกุล': 'นางสาวมาลี' });
    // thaiDate and formatNumber give Thai numerals as the shipped templates do.
    expect(xml.replace(/<[^>]+>/g, '')).toBe('๑๗ กุมภาพันธ์ ๒๕๖๕|๑,๒๕๐,๐๐๐.๕๐|หนึ่งล้านสองแสนห้าหมื่นบาทห้าสิบสตางค์|๐๒-๑๒๓|สพฐ.|นางสาวมาลี');
  });

  it('names every placeholder that has no value', () => {
    const { errors } = fillXml('<w:p><w:r><w:t>{{a}} {{thaiDate b}}</w:t></w:r></w:p>', {}, 'data[2]');
    expect(errors.map((e) => e.path)).toEqual(['data[2].a', 'data[2].b']);
    expect(errors[0]!.th).toContain('{{a}}');
  });

  it('lists a document’s placeholders once each, from split runs too', () => {
    expect(placeholdersOf(readDocx(letter))).toEqual(['name', 'thaiDate date', 'formatNumber amount 2', 'bahtText amount']);
  });

  it('refuses a file that is not a Word document', () => {
    expect(() => readDocx(Buffer.from('not a zip'))).toThrow(/not a Word/);
  });
});

describe('POST /api/v1/docx-merge', () => {
  const saved = process.env.SARABAN_SOFFICE;
  afterEach(() => { if (saved === undefined) delete process.env.SARABAN_SOFFICE; else process.env.SARABAN_SOFFICE = saved; });

  it('fills one DOCX from a JSON object', async () => {
    const res = await merge().attach('template', letter, 'หนังสือ.docx').field('data', JSON.stringify({ name: 'นายสมชาย ใจดี', date: '2022-02-17', amount: 500 })).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''%E0%B8%AB"); // หนังสือ.docx
    const xml = documentXml(res.body as Buffer);
    expect(xml).toContain('นายสมชาย ใจดี');
    expect(xml.replace(/<[^>]+>/g, '')).toContain('ลงวันที่ ๑๗ กุมภาพันธ์ ๒๕๖๕ จำนวน ๕๐๐.๐๐ บาท (ห้าร้อยบาทถ้วน)');
  });

  it('makes a ZIP of one DOCX per element of a JSON array', async () => {
    const rows = [{ name: 'ก', date: '2565-01-01', amount: 1 }, { name: 'ข', date: '2565-01-02', amount: 2 }, { name: 'ค', date: '2565-01-03', amount: 3 }];
    const res = await merge().attach('template', letter, 'letter.docx').attach('data', Buffer.from(JSON.stringify(rows)), 'rows.json').expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const zip = unzipSync(new Uint8Array(res.body as Buffer));
    expect(Object.keys(zip)).toEqual(['letter-1.docx', 'letter-2.docx', 'letter-3.docx']);
    expect(documentXml(zip['letter-3.docx']!)).toContain('ค</w:t>');
    expect(documentXml(zip['letter-2.docx']!).replace(/<[^>]+>/g, '')).toContain('(สองบาทถ้วน)');
  });

  it('makes one DOCX per row of a CSV, cells found by their header', async () => {
    const csv = 'name,date,amount\nนายหนึ่ง,2565-03-01,"1,000"\nนายสอง,2565-03-02,20.25\n';
    const res = await merge().attach('template', letter, 'letter.docx').attach('rows', Buffer.from(csv), 'rows.csv').expect(200);
    const zip = unzipSync(new Uint8Array(res.body as Buffer));
    expect(Object.keys(zip)).toHaveLength(2);
    expect(documentXml(zip['letter-1.docx']!).replace(/<[^>]+>/g, '')).toContain('เรียน นายหนึ่ง ครับ');
    expect(documentXml(zip['letter-2.docx']!).replace(/<[^>]+>/g, '')).toContain('จำนวน ๒๐.๒๕ บาท (ยี่สิบบาทยี่สิบห้าสตางค์)');
  });

  it('answers 400 naming the row and placeholder without a value', async () => {
    const csv = 'name,date\nนายหนึ่ง,2565-03-01\n';
    const res = await request(app).post('/api/v1/docx-merge').attach('template', letter, 'letter.docx').attach('rows', Buffer.from(csv), 'rows.csv').expect(400);
    expect(res.body.error.fields).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'rows[2].amount', th: expect.stringContaining('{{formatNumber amount 2}}') })]));
  });

  it('answers 415 for a file that is not a DOCX (by its bytes), and 400 for a document without placeholders', async () => {
    let res = await request(app).post('/api/v1/docx-merge').attach('template', Buffer.from('hello'), 'x.docx').field('data', '{}').expect(415);
    expect(res.body.error.fields[0].path).toBe('template');
    res = await request(app).post('/api/v1/docx-merge').attach('template', docxOf('<w:p><w:r><w:t>ไม่มีช่อง</w:t></w:r></w:p>'), 'x.docx').field('data', '{}').expect(400);
    expect(res.body.error.code).toBe('no_placeholders');
  });

  it('says clearly, with 501, that PDF needs LibreOffice when it is not installed', async () => {
    process.env.SARABAN_SOFFICE = '/nonexistent/soffice';
    const res = await request(app).post('/api/v1/docx-merge?format=pdf').attach('template', letter, 'letter.docx').field('data', JSON.stringify({ name: 'x', date: '2565-01-01', amount: 1 })).expect(501);
    expect(res.body.error.code).toBe('pdf_unavailable');
    expect(res.body.error.th).toContain('LibreOffice');
    expect(res.body.error.en).toContain('LibreOffice is not installed');
  });

  it('converts the filled document to PDF with LibreOffice, Thai text intact', async () => {
    const res = await merge('?format=pdf').attach('template', letter, 'letter.docx').field('data', JSON.stringify({ name: 'นายสมชาย ใจดี', date: '2565-02-17', amount: 500 })).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = stripSpace(pdftotext(res.body as Buffer));
    expect(text).toContain(stripSpace('เรียน นายสมชาย ใจดี ครับ'));
    expect(text).toContain(stripSpace('๑๗ กุมภาพันธ์ ๒๕๖๕'));
  }, 180_000);

});
