import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintDocx, lintForm, lintLayout, signingRoomOfPdf } from '../src/lint/pages.js';
import { renderDocument } from '../src/render/index.js';
import type { BlockInput } from '../src/model/document.js';
import { tempDir } from './helpers/pdf.js';
import { validatedRows } from '../src/batch/rows.js';
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
