import { applyNumerals, type Numerals } from '../thai/numerals.js';
import type { Block, DocumentModel, Text } from './document.js';

/** Web and mail addresses keep their digits whatever the document's numerals. */
const VERBATIM = /(https?:\/\/\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+)/;

/**
 * Characters that have no business on a printed page: control codes (a tab is
 * a space, a line or paragraph separator a line break) and zero-width marks,
 * which fonts draw as boxes. ICU finds the word breaks a zero-width space was
 * typed to hint at.
 */
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]/g;

function clean(s: string): string {
  return s.replace(/\r\n?|\u2028|\u2029/g, '\n').replace(/\t/g, ' ').replace(INVISIBLE, '');
}

function digits(s: string, numerals: Numerals): string {
  return clean(s).split(VERBATIM).map((part, i) => (i % 2 === 1 ? part : applyNumerals(part, numerals))).join('');
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
 * Prepares the document's text for both renderers, once, so PDF and DOCX say
 * the same: every digit in the document's numeral system (Thai ๐-๙ by
 * default), control codes and zero-width characters removed.
 */
export function prepareText(model: DocumentModel): DocumentModel {
  return { ...model, blocks: model.blocks.map((b) => block(b, model.numerals)) };
}
