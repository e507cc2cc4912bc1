import Handlebars from 'handlebars';
import { z } from 'zod';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Block, DocumentModel, type DocumentModelInput } from '../model/document.js';
import { thaiDate, thaiMonthYear } from '../thai/date.js';
import { formatNumber } from '../thai/number.js';
import { bahtText } from '../thai/baht.js';
import { applyNumerals } from '../thai/numerals.js';

/**
 * The template format. A template is Handlebars text that writes the document
 * model as a sequence of JSON objects, one per block (they may span lines):
 *
 *   {"type": "labeled", "label": "เรื่อง", "text": "{{subject}}"}
 *
 * An object with a "document" key sets the document's own fields (title,
 * page, fontSize, align). Every string of the data is JSON-escaped before the
 * template sees it, so `"{{subject}}"` is safe whatever the subject holds.
 * Helpers: thaiDate, thaiDateEra (with พ.ศ.), thaiDateShort, thaiMonthYear, formatNumber, bahtText, thaiDigits,
 * add, inc, join, strings (an array as JSON string items), eq, json.
 * Templates run sandboxed: only the shipped partials (templates/partials/), no
 * prototype access, a size limit and
 * a time limit; errors name the template line.
 */

export class TemplateError extends Error {
  constructor(message: string, readonly line?: number, readonly th?: string) {
    super(line ? `line ${line}: ${message}` : message);
  }
}

export const TEMPLATE_MAX_BYTES = 256 * 1024;
const RENDER_TIME_LIMIT_MS = 2000;

const env = Handlebars.create();

const escapeJson = (s: string) => JSON.stringify(s).slice(1, -1);
const unescapeJson = (s: string) => JSON.parse(`"${s}"`) as string;
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function escapeData(value: unknown): unknown {
  if (typeof value === 'string') return escapeJson(value);
  if (Array.isArray(value)) return value.map(escapeData);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) out[k] = escapeData(v);
    return out;
  }
  return value;
}

type Options = Handlebars.HelperOptions;
const isOptions = (v: unknown): v is Options => typeof v === 'object' && v !== null && 'hash' in v && 'data' in v;

env.registerHelper('thaiDate', (iso: unknown) => escapeJson(thaiDate(unescapeJson(str(iso)))));
env.registerHelper('thaiDateEra', (iso: unknown) => escapeJson(thaiDate(unescapeJson(str(iso)), { era: true })));
env.registerHelper('thaiDateShort', (iso: unknown) => escapeJson(thaiDate(unescapeJson(str(iso)), { style: 'short' })));
env.registerHelper('thaiMonthYear', (iso: unknown) => escapeJson(thaiMonthYear(unescapeJson(str(iso)))));
env.registerHelper('formatNumber', (v: unknown, decimals: unknown) => formatNumber(str(v), { decimals: isOptions(decimals) ? undefined : Number(decimals) }));
env.registerHelper('bahtText', (v: unknown) => bahtText(str(v)));
env.registerHelper('thaiDigits', (v: unknown) => applyNumerals(str(v), 'thai'));
env.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
env.registerHelper('inc', (a: unknown) => Number(a) + 1);
env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
env.registerHelper('join', (items: unknown, sep: unknown) => (Array.isArray(items) ? items.map(str).join(isOptions(sep) ? ' ' : str(sep)) : ''));
env.registerHelper('strings', (items: unknown) => (Array.isArray(items) ? items.map((i) => `"${str(i)}"`).join(', ') : ''));
env.registerHelper('json', (v: unknown) => JSON.stringify(v ?? null));

/**
 * Parts the shipped templates share ({{> signer}}, {{> contact-and-copies}}),
 * read once from one fixed folder. A template cannot name any other file.
 */
export function useBuiltinPartials(dir: string): void {
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    env.registerPartial(file.slice(0, -4), readFileSync(join(dir, file), 'utf8'));
  }
}

/** Splits the output into JSON objects, remembering the line each starts on. */
function scanObjects(out: string): { text: string; line: number }[] {
  const objects: { text: string; line: number }[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  let line = 1;
  let startLine = 1;
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') { inString = true; continue; }
    if (c === '{') { if (depth === 0) { start = i; startLine = line; } depth++; continue; }
    if (c === '}') {
      depth--;
      if (depth === 0) objects.push({ text: out.slice(start, i + 1), line: startLine });
      if (depth < 0) throw new TemplateError('unbalanced "}"', line, 'วงเล็บปีกกา } เกิน');
      continue;
    }
    if (depth === 0 && !/\s|,/.test(c)) throw new TemplateError(`unexpected text outside a block: "${out.slice(i, i + 30)}"`, line, 'มีข้อความอยู่นอกบล็อก');
  }
  if (depth !== 0) throw new TemplateError('a block is not closed with "}"', startLine, 'บล็อกไม่ได้ปิดด้วย }');
  return objects;
}

export type CompiledTemplate = (data: unknown) => DocumentModel;

export function compileTemplate(source: string, name = 'template'): CompiledTemplate {
  if (Buffer.byteLength(source) > TEMPLATE_MAX_BYTES) throw new TemplateError(`${name} is larger than ${TEMPLATE_MAX_BYTES} bytes`);
  let template: Handlebars.TemplateDelegate;
  try {
    // Precompile now so that syntax errors surface at load time with their line.
    env.precompile(source, { noEscape: true });
    template = env.compile(source, { noEscape: true, strict: false, knownHelpersOnly: false, preventIndent: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const line = /line (\d+)/.exec(message)?.[1];
    throw new TemplateError(message.replace(/^Parse error on line \d+:\n/, '').slice(0, 400), line ? Number(line) : undefined, 'ไวยากรณ์ของแม่แบบไม่ถูกต้อง');
  }
  return (data: unknown) => {
    const started = Date.now();
    let out: string;
    try {
      out = template(escapeData(data), {
        allowProtoPropertiesByDefault: false,
        allowProtoMethodsByDefault: false,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new TemplateError(`${name}: ${message.split('\n')[0]}`, undefined, 'แม่แบบทำงานผิดพลาด');
    }
    if (Date.now() - started > RENDER_TIME_LIMIT_MS) throw new TemplateError(`${name} took longer than ${RENDER_TIME_LIMIT_MS} ms`);
    const doc: Record<string, unknown> = {};
    const blocks: unknown[] = [];
    const lines: number[] = [];
    for (const obj of scanObjects(out)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(obj.text);
      } catch (err) {
        throw new TemplateError(`not valid JSON: ${(err as Error).message}`, obj.line, 'บล็อกไม่ใช่ JSON ที่ถูกต้อง');
      }
      if (parsed && typeof parsed === 'object' && 'document' in parsed) Object.assign(doc, (parsed as { document: object }).document);
      else { blocks.push(parsed); lines.push(obj.line); }
    }
    const model = { ...doc, blocks } as DocumentModelInput;
    const checked = DocumentModel.safeParse(model);
    if (checked.success) return checked.data;
    // Name the template line of the first invalid block.
    for (let i = 0; i < blocks.length; i++) {
      const result = Block.safeParse(blocks[i]);
      if (!result.success) {
        const issue = result.error.issues[0]!;
        throw new TemplateError(`${name}: block is not valid at ${issue.path.join('.') || 'its type'}: ${issue.message}`, lines[i], 'บล็อกไม่ถูกต้องตามแบบเอกสาร');
      }
    }
    throw new TemplateError(`${name}: ${z.prettifyError(checked.error)}`);
  };
}
