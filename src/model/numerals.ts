import { applyNumerals, type Numerals } from '../thai/numerals.js';
import type { Block, DocumentModel, Text } from './document.js';

/** Web and mail addresses keep their digits whatever the document's numerals. */
const VERBATIM = /(https?:\/\/\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+)/;

function digits(s: string, numerals: Numerals): string {
  return s.split(VERBATIM).map((part, i) => (i % 2 === 1 ? part : applyNumerals(part, numerals))).join('');
}

function text(t: Text, n: Numerals): Text {
  return typeof t === 'string' ? digits(t, n) : t.map((r) => ({ ...r, text: digits(r.text, n) }));
}

function block(b: Block, n: Numerals): Block {
  switch (b.type) {
    case 'paragraph': return { ...b, text: text(b.text, n) };
    case 'labeled': return { ...b, label: text(b.label, n), text: text(b.text, n) };
    case 'list': return { ...b, label: b.label && text(b.label, n), items: b.items.map((i) => text(i, n)) };
    case 'row': return { ...b, left: b.left.map((t) => text(t, n)), right: b.right.map((t) => text(t, n)) };
    case 'signature': return {
      ...b, closing: b.closing?.map((t) => text(t, n)), name: b.name && text(b.name, n), lines: b.lines?.map((t) => text(t, n)),
    };
    case 'table': {
      const cells = (rows: typeof b.rows) => rows.map((r) => r.map((c) => (typeof c === 'string' || Array.isArray(c) ? text(c, n) : { ...c, text: text(c.text, n) })));
      return { ...b, header: b.header && cells(b.header), rows: cells(b.rows) };
    }
    case 'emblem': return { ...b, mark: b.mark && text(b.mark, n), title: b.title && text(b.title, n) };
    default: return b;
  }
}

/**
 * Writes every digit of the document in its numeral system (Thai ๐-๙ by
 * default). Done once on the model, so PDF and DOCX say the same.
 */
export function localizeDigits(model: DocumentModel): DocumentModel {
  return { ...model, blocks: model.blocks.map((b) => block(b, model.numerals)) };
}
