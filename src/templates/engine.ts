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
 * add, inc, join, strings (an array as JSON string items), eq, json, and
 * Handlebars' if, unless, each, with, lookup (not log: a template writes
 * nothing but its output).
 *
 * Templates run sandboxed. On compiling: only the shipped partials
 * (templates/partials/) and inline partials the template defines, no
 * recursion, bounded nesting, partial depth and partial expansion, known
 * helpers only. On rendering, counted as the template runs (not after it
 * returns): a step budget, a time limit and an output limit. No prototype
 * access. Errors name the template line.
 */

export class TemplateError extends Error {
  constructor(message: string, readonly line?: number, readonly th?: string) {
    super(line ? `line ${line}: ${message}` : message);
  }
}

export const TEMPLATE_MAX_BYTES = 256 * 1024;
/** One render's work: every run of a template body (the main one, a block's, each iteration, a partial) and every helper call is a step. */
export const RENDER_STEP_LIMIT = 200_000;
export const RENDER_TIME_LIMIT_MS = 2000;
/** Characters one render may produce: the document, any block or partial within it, and all helper results together. */
export const RENDER_OUTPUT_LIMIT = 5 * 1024 * 1024;
/** Checked on compiling: inline partials a template defines, blocks within blocks, partials calling partials, and partial calls a template expands to. */
export const MAX_INLINE_PARTIALS = 50;
export const MAX_BLOCK_DEPTH = 12;
export const MAX_PARTIAL_DEPTH = 6;
export const MAX_PARTIAL_EXPANSION = 1000;

const env = Handlebars.create();

// Handlebars' log helper writes to the service's console (its access log): a template writes nothing but its output.
env.unregisterHelper('log');

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

/** A number a helper is given: short, and without an exponent that would make thousands of digits. */
function numberArg(helper: string, v: unknown): string {
  const text = unescapeJson(str(v)).trim();
  const exponent = /e([+-]?\d+)$/i.exec(text)?.[1];
  if (text.length > 64 || (exponent !== undefined && Math.abs(Number(exponent)) > 30)) {
    throw new TemplateError(`${helper}: the value "${text.slice(0, 20)}${text.length > 20 ? '...' : ''}" is out of range`, undefined, `${helper}: ค่าตัวเลขใหญ่หรือยาวเกินไป`);
  }
  return text;
}

function decimalsArg(v: unknown): number | undefined {
  if (isOptions(v)) return undefined;
  const n = Number(unescapeJson(str(v)));
  if (!Number.isInteger(n) || n < 0 || n > 10) {
    throw new TemplateError(`formatNumber: decimals must be a whole number from 0 to 10, not "${str(v).slice(0, 20)}"`, undefined, 'formatNumber: จำนวนตำแหน่งทศนิยมต้องเป็นจำนวนเต็ม 0 ถึง 10');
  }
  return n;
}

env.registerHelper('thaiDate', (iso: unknown) => escapeJson(thaiDate(unescapeJson(str(iso)))));
env.registerHelper('thaiDateEra', (iso: unknown) => escapeJson(thaiDate(unescapeJson(str(iso)), { era: true })));
env.registerHelper('thaiDateShort', (iso: unknown) => escapeJson(thaiDate(unescapeJson(str(iso)), { style: 'short' })));
env.registerHelper('thaiMonthYear', (iso: unknown) => escapeJson(thaiMonthYear(unescapeJson(str(iso)))));
env.registerHelper('formatNumber', (v: unknown, decimals: unknown) => {
  const places = decimalsArg(decimals);
  return formatNumber(numberArg('formatNumber', v), { decimals: places });
});
env.registerHelper('bahtText', (v: unknown) => bahtText(numberArg('bahtText', v)));
env.registerHelper('thaiDigits', (v: unknown) => applyNumerals(str(v), 'thai'));
env.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
env.registerHelper('inc', (a: unknown) => Number(a) + 1);
env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
env.registerHelper('join', (items: unknown, sep: unknown) => (Array.isArray(items) ? items.map(str).join(isOptions(sep) ? ' ' : str(sep)) : ''));
env.registerHelper('strings', (items: unknown) => (Array.isArray(items) ? items.map((i) => `"${str(i)}"`).join(', ') : ''));
env.registerHelper('json', (v: unknown) => JSON.stringify(v ?? null));

/** What a template may call with arguments: the helpers above and Handlebars' own, less log. */
const HELPERS = new Set(Object.keys(env.helpers).filter((h) => h !== 'helperMissing' && h !== 'blockHelperMissing'));

// --- The budget of one render, counted while the template runs. ---

interface Budget { name: string; steps: number; helperChars: number; deadline: number; line?: number }
/** The render in progress: rendering is synchronous, so one at a time per thread. */
let budget: Budget | undefined;

function stopped(b: Budget, message: string, th: string): TemplateError {
  return new TemplateError(`${b.name}: ${message}`, b.line, th);
}

function step(line?: number): void {
  const b = budget;
  if (!b) return;
  if (line) b.line = line;
  if (++b.steps > RENDER_STEP_LIMIT) {
    throw stopped(b, `stopped after ${RENDER_STEP_LIMIT} steps (block runs, loop iterations, partials and helper calls): a loop or partial repeats too often`, `แม่แบบทำงานเกิน ${RENDER_STEP_LIMIT} ขั้น (วนซ้ำหรือเรียกแม่แบบย่อยมากเกินไป)`);
  }
  if (Date.now() > b.deadline) {
    throw stopped(b, `took longer than ${RENDER_TIME_LIMIT_MS} ms`, `แม่แบบทำงานนานเกิน ${RENDER_TIME_LIMIT_MS} มิลลิวินาที`);
  }
}

function tooLong(b: Budget): TemplateError {
  return stopped(b, `writes more than ${RENDER_OUTPUT_LIMIT} characters`, `แม่แบบเขียนข้อความยาวเกิน ${RENDER_OUTPUT_LIMIT} ตัวอักษร`);
}

function output<T>(out: T): T {
  const b = budget;
  if (b && typeof out === 'string' && out.length > RENDER_OUTPUT_LIMIT) throw tooLong(b);
  return out;
}

type Program = ((...args: unknown[]) => unknown) & Record<string, unknown>;

/** A block's body as its helper calls it: what the calls of one helper produce together is bounded (an #each's iterations). */
function accumulating(fn: Program, total: { chars: number }): Program {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const out = fn.apply(this, args);
    if (typeof out === 'string' && budget && (total.chars += out.length) > RENDER_OUTPUT_LIMIT) throw tooLong(budget);
    return out;
  } as Program;
  return Object.assign(wrapped, fn);
}

/** Every helper (each, if, with, unless, lookup, blockHelperMissing and ours) is a step, and its result counts to the output. */
function meteredHelper(helper: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1];
    const block = isOptions(options) && typeof options.fn === 'function';
    step(isOptions(options) ? (options as { loc?: hbs.AST.SourceLocation }).loc?.start.line : undefined);
    if (block) {
      const total = { chars: 0 };
      options.fn = accumulating(options.fn as unknown as Program, total) as unknown as Options['fn'];
      if (typeof options.inverse === 'function') options.inverse = accumulating(options.inverse as unknown as Program, total) as unknown as Options['inverse'];
    }
    const out = helper.apply(this, args);
    // What a plain helper returns is new text (a block's is made of its bodies' output, counted there).
    if (!block && typeof out === 'string' && budget && (budget.helperChars += out.length) > RENDER_OUTPUT_LIMIT) throw tooLong(budget);
    return output(out);
  };
}
for (const [name, helper] of Object.entries(env.helpers)) env.helpers[name] = meteredHelper(helper as (...args: unknown[]) => unknown);

// The hook: every compiled spec passes through env.template, and wrapping its program functions meters every body run (main, block, iteration, inline or shipped partial) during execution, where invokePartial would see partials only.
const vmTemplate = env.template.bind(env);
env.template = ((spec: Record<string, unknown>) => {
  for (const key of Object.keys(spec)) {
    const fn = spec[key];
    if ((key === 'main' || /^\d+$/.test(key)) && typeof fn === 'function') {
      spec[key] = function (this: unknown, ...args: unknown[]) {
        step();
        return output((fn as Program).apply(this, args));
      };
    }
  }
  return vmTemplate(spec);
}) as typeof env.template;

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

// --- What a template may contain, checked on compiling. ---

type Node = hbs.AST.Node & Record<string, unknown>;
const lineOf = (node: { loc?: hbs.AST.SourceLocation }) => node.loc?.start.line;
const refuse = (node: { loc?: hbs.AST.SourceLocation }, message: string, th: string): never => { throw new TemplateError(message, lineOf(node), th); };

interface PartialCall { name: string; line?: number }

/**
 * Walks the template's syntax tree: only known helpers (never log), only the
 * inline decorator, partials named literally and either shipped or defined
 * in the template, blocks nested at most MAX_BLOCK_DEPTH deep, at most
 * MAX_INLINE_PARTIALS inline partials; then follows the partial calls: no
 * recursion, at most MAX_PARTIAL_DEPTH deep, at most MAX_PARTIAL_EXPANSION
 * calls in all when every partial is expanded.
 */
function checkTemplate(ast: hbs.AST.Program): void {
  const inline = new Map<string, number | undefined>();
  const calls = new Map<string, PartialCall[]>([['', []]]);
  const partialRefs: (PartialCall & { node: Node })[] = [];

  const helperCall = (node: Node, path: unknown, params: unknown[], hash: unknown) => {
    const p = path as hbs.AST.PathExpression;
    if (p?.type !== 'PathExpression') return;
    if (p.original === 'log') refuse(node, 'the "log" helper is not available: a template writes nothing but its document', 'ใช้ log ไม่ได้: แม่แบบเขียนได้เฉพาะเนื้อหาของเอกสาร ไม่เขียนลงบันทึกของระบบ');
    const pairs = (hash as hbs.AST.Hash | undefined)?.pairs ?? [];
    const simple = !p.data && p.depth === 0 && p.parts.length === 1 && !/^(this\b|\.)/.test(p.original);
    if (simple && (params.length > 0 || pairs.length > 0) && !HELPERS.has(p.original)) {
      refuse(node, `unknown helper "${p.original.slice(0, 40)}": the helpers are ${[...HELPERS].join(', ')}`, `ไม่มีตัวช่วย (helper) ชื่อ "${p.original.slice(0, 40)}"`);
    }
    // Decimals written in the template are checked now, not on the first render.
    const decimals = params[1] as hbs.AST.NumberLiteral | hbs.AST.StringLiteral | undefined;
    if (simple && p.original === 'formatNumber' && (decimals?.type === 'NumberLiteral' || decimals?.type === 'StringLiteral')) {
      try { decimalsArg(decimals.value); } catch (err) { throw new TemplateError((err as TemplateError).message, lineOf(node), (err as TemplateError).th); }
    }
  };
  const expressions = (list: unknown[], hash: unknown) => {
    for (const e of [...list, ...((hash as hbs.AST.Hash | undefined)?.pairs ?? []).map((pair) => pair.value)]) {
      const sub = e as Node;
      if (sub?.type === 'SubExpression') {
        helperCall(sub, sub.path, sub.params as unknown[], sub.hash);
        expressions(sub.params as unknown[], sub.hash);
      }
    }
  };
  const partialName = (node: Node): string => {
    const name = node.name as Node;
    if (name.type === 'PathExpression') return (name as unknown as hbs.AST.PathExpression).original;
    if (name.type === 'StringLiteral') return (name as unknown as hbs.AST.StringLiteral).value;
    return refuse(node, 'a partial must be named literally ({{> signer}}), not computed', 'ต้องระบุชื่อแม่แบบย่อยตรง ๆ เช่น {{> signer}}');
  };

  const walk = (body: hbs.AST.Statement[], depth: number, owner: string) => {
    for (const statement of body) {
      const node = statement as Node;
      switch (node.type) {
        case 'MustacheStatement':
          helperCall(node, node.path, node.params as unknown[], node.hash);
          expressions(node.params as unknown[], node.hash);
          break;
        case 'Decorator':
          refuse(node, 'decorators ({{* ...}}) are not available', 'ใช้ decorator ({{* ...}}) ไม่ได้');
          break;
        case 'BlockStatement':
        case 'DecoratorBlock':
        case 'PartialBlockStatement': {
          const inner = depth + 1;
          if (inner > MAX_BLOCK_DEPTH) refuse(node, `blocks nested more than ${MAX_BLOCK_DEPTH} deep`, `บล็อกซ้อนกันลึกเกิน ${MAX_BLOCK_DEPTH} ชั้น`);
          let bodyOwner = owner;
          if (node.type === 'BlockStatement') {
            helperCall(node, node.path, node.params as unknown[], node.hash);
            expressions(node.params as unknown[], node.hash);
          } else if (node.type === 'DecoratorBlock') {
            const path = node.path as hbs.AST.PathExpression;
            const [first] = node.params as Node[];
            if (path.original !== 'inline' || first?.type !== 'StringLiteral') {
              refuse(node, 'the only decorator is {{#*inline "name"}}', 'ใช้ได้เฉพาะ {{#*inline "ชื่อ"}}');
            }
            const name = (first as unknown as hbs.AST.StringLiteral).value;
            if (inline.has(name)) refuse(node, `inline partial "${name.slice(0, 40)}" is defined twice (first on line ${inline.get(name)})`, `แม่แบบย่อย "${name.slice(0, 40)}" ถูกกำหนดซ้ำ`);
            if (inline.size >= MAX_INLINE_PARTIALS) refuse(node, `more than ${MAX_INLINE_PARTIALS} inline partials`, `แม่แบบย่อย (inline) เกิน ${MAX_INLINE_PARTIALS} ชิ้น`);
            inline.set(name, lineOf(node));
            calls.set(name, []);
            bodyOwner = name;
          } else {
            const name = partialName(node);
            partialRefs.push({ name, line: lineOf(node), node });
            calls.get(owner)!.push({ name, line: lineOf(node) });
            expressions(node.params as unknown[], node.hash);
          }
          const program = node.program as hbs.AST.Program | undefined;
          const inverse = node.inverse as (hbs.AST.Program & { chained?: boolean }) | undefined;
          if (program) walk(program.body, inner, bodyOwner);
          // {{else if}} is a block within the else: the same level, not one deeper.
          if (inverse) walk(inverse.body, inverse.chained ? depth : inner, bodyOwner);
          break;
        }
        case 'PartialStatement': {
          const name = partialName(node);
          partialRefs.push({ name, line: lineOf(node), node });
          calls.get(owner)!.push({ name, line: lineOf(node) });
          expressions(node.params as unknown[], node.hash);
          break;
        }
        default:
          break;
      }
    }
  };
  walk(ast.body, 0, '');

  const shipped = (name: string) => Object.hasOwn(env.partials, name);
  for (const ref of partialRefs) {
    if (ref.name !== '@partial-block' && !inline.has(ref.name) && !shipped(ref.name)) {
      refuse(ref.node, `partial "${ref.name.slice(0, 60)}" does not exist: the partials are ${Object.keys(env.partials).join(', ') || 'none'} and those the template defines with {{#*inline}}`, `ไม่มีแม่แบบย่อยชื่อ "${ref.name.slice(0, 60)}"`);
    }
  }

  // Partials calling partials: depth and total calls once all are expanded, without running anything.
  const depthOf = new Map<string, number>();
  const expansionOf = new Map<string, number>();
  const visiting = new Set<string>();
  const follow = (name: string, call: PartialCall): void => {
    if (!inline.has(name) || depthOf.has(name)) return;
    if (visiting.has(name)) {
      throw new TemplateError(`partial "${name.slice(0, 60)}" calls itself: recursive partials are not allowed`, call.line, `แม่แบบย่อย "${name.slice(0, 60)}" เรียกตัวเองซ้ำ ซึ่งไม่อนุญาต`);
    }
    visiting.add(name);
    let depth = 0;
    let expansion = 0;
    for (const c of calls.get(name)!) {
      follow(c.name, c);
      depth = Math.max(depth, depthOf.get(c.name) ?? (c.name === '@partial-block' ? 0 : 1));
      expansion = Math.min(MAX_PARTIAL_EXPANSION + 1, expansion + 1 + (expansionOf.get(c.name) ?? 0));
    }
    visiting.delete(name);
    depthOf.set(name, depth + 1);
    expansionOf.set(name, expansion);
  };
  let total = 0;
  for (const call of calls.get('')!) {
    follow(call.name, call);
    const depth = depthOf.get(call.name) ?? 1;
    if (depth > MAX_PARTIAL_DEPTH) {
      throw new TemplateError(`{{> ${call.name.slice(0, 60)}}} nests partials ${depth} deep (partials calling partials); at most ${MAX_PARTIAL_DEPTH}`, call.line, `แม่แบบย่อยเรียกต่อกันลึกเกิน ${MAX_PARTIAL_DEPTH} ชั้น`);
    }
    total += 1 + (expansionOf.get(call.name) ?? 0);
    if (total > MAX_PARTIAL_EXPANSION) {
      throw new TemplateError(`{{> ${call.name.slice(0, 60)}}} brings the partial calls to more than ${MAX_PARTIAL_EXPANSION} (partials calling partials)`, call.line, `การเรียกแม่แบบย่อยรวมกันเกิน ${MAX_PARTIAL_EXPANSION} ครั้ง`);
    }
  }
  // Inline partials only ever called from other inline partials are checked too.
  for (const [name] of inline) follow(name, { name, line: inline.get(name) });
}

export type CompiledTemplate = (data: unknown) => DocumentModel;

const syntaxError = (err: unknown): TemplateError => {
  const message = err instanceof Error ? err.message : String(err);
  const line = /line (\d+)/.exec(message)?.[1];
  return new TemplateError(message.replace(/^Parse error on line \d+:\n/, '').slice(0, 400), line ? Number(line) : undefined, 'ไวยากรณ์ของแม่แบบไม่ถูกต้อง');
};

/** Handlebars' two compiler stages (untyped in its declarations), the pair env.compile runs lazily. */
interface HandlebarsCompilers {
  Compiler: new () => { compile(ast: hbs.AST.Program, options: object): unknown };
  JavaScriptCompiler: new () => { compile(environment: unknown, options: object, context: undefined, asObject: true): TemplateSpecification };
}

export function compileTemplate(source: string, name = 'template'): CompiledTemplate {
  if (Buffer.byteLength(source) > TEMPLATE_MAX_BYTES) throw new TemplateError(`${name} is larger than ${TEMPLATE_MAX_BYTES} bytes`);
  let ast: hbs.AST.Program;
  try {
    ast = env.parse(source);
  } catch (err) {
    throw syntaxError(err);
  }
  checkTemplate(ast);
  let template: Handlebars.TemplateDelegate;
  try {
    // Compiled now rather than on first use (as env.compile would): errors surface at load time with
    // their line, and a render's time limit counts rendering only, never a cold thread's compile.
    const options = { noEscape: true, strict: false, knownHelpersOnly: false, preventIndent: true, data: true };
    const compiler = env as unknown as HandlebarsCompilers;
    template = env.template(new compiler.JavaScriptCompiler().compile(new compiler.Compiler().compile(ast, options), options, undefined, true));
  } catch (err) {
    throw syntaxError(err);
  }
  return (data: unknown) => {
    const outer = budget;
    budget = { name, steps: 0, helperChars: 0, deadline: Date.now() + RENDER_TIME_LIMIT_MS };
    let out: string;
    try {
      out = output(template(escapeData(data), {
        allowProtoPropertiesByDefault: false,
        allowProtoMethodsByDefault: false,
      }));
    } catch (err) {
      // A helper's refusal is placed at the line of the helper call.
      if (err instanceof TemplateError) throw err.line || !budget.line ? err : new TemplateError(`${name}: ${err.message}`, budget.line, err.th);
      if (err instanceof RangeError && /string length/i.test(err.message)) throw tooLong(budget);
      const message = err instanceof Error ? err.message : String(err);
      throw new TemplateError(`${name}: ${message.split('\n')[0]}`, budget.line, 'แม่แบบทำงานผิดพลาด');
    } finally {
      budget = outer;
    }
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
