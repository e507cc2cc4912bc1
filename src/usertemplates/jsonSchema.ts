import { createRequire } from 'node:module';
import type * as Recheck from 'recheck';
import { z } from 'zod';
import { IsoDate } from '../validation.js';

/**
 * The JSON Schema subset an uploaded template's data schema may use, turned
 * into zod so that uploaded forms validate, and report errors, exactly like the
 * shipped ones. A small converter rather than zod's experimental
 * `z.fromJSONSchema`: it knows Thai dates (`"format": "date"` accepts BE years
 * like every shipped form), makes objects strict, and rejects anything outside
 * the subset with the schema path instead of silently accepting any value.
 *
 * Accepted keywords:
 *   type: object   properties, required, additionalProperties (false = strict, the default)
 *   type: array    items, minItems, maxItems (at most and by default 1000)
 *   type: string   minLength, maxLength (at most and by default 20000), pattern
 *                  (at most 200 characters, refused if it can backtrack
 *                  catastrophically), enum, format: "date"
 *   type: number | integer   minimum, maximum
 *   type: boolean
 *   any node       description ("ไทย / English" labels the upload form's field), title, default, examples, $schema, $id
 */

export class SchemaError extends Error {
  constructor(readonly path: string, message: string, readonly th: string) {
    super(`${path || '(root)'}: ${message}`);
  }
}

const MAX_DEPTH = 8;
const PATTERN_MAX_LENGTH = 200;
const MAX_NODES = 500;
const COMMON = new Set(['type', 'description', 'title', 'default', 'examples', '$schema', '$id']);
const ALLOWED: Record<string, Set<string>> = {
  object: new Set([...COMMON, 'properties', 'required', 'additionalProperties']),
  array: new Set([...COMMON, 'items', 'minItems', 'maxItems']),
  string: new Set([...COMMON, 'minLength', 'maxLength', 'pattern', 'enum', 'format']),
  number: new Set([...COMMON, 'minimum', 'maximum']),
  integer: new Set([...COMMON, 'minimum', 'maximum']),
  boolean: new Set(COMMON),
};
/** Strings have a length cap even when the schema gives none: a template's data is a document, not a dump. */
const DEFAULT_MAX_LENGTH = 20_000;
const DEFAULT_MAX_ITEMS = 1_000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (node: Json, key: string, path: string): number | undefined => {
  const v = node[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new SchemaError(path, `${key} must be a number`, `${key} ต้องเป็นตัวเลข`);
  return v;
};

/** The time all the patterns of one schema may take to be shown safe. */
const PATTERN_CHECK_MS = 3000;
const verdicts = new Map<string, 'safe' | 'vulnerable'>();
let recheck: typeof Recheck | undefined;

/**
 * Refuses a pattern that can backtrack catastrophically (`^(a+)+$`, `^(a|a)*$`)
 * or polynomially (`^.*a.*a.*$`) on some input: the data of a form is matched
 * against it on every render, and a match cannot be stopped once it runs.
 * recheck (its pure JavaScript checker, in this thread, synchronously) proves a
 * pattern safe or finds an attack string; one it cannot decide in time is
 * refused too. Loaded on the first pattern: a schema without one costs nothing.
 */
function checkBacktracking(pattern: string, where: string, deadline: number): void {
  let verdict = verdicts.get(pattern);
  if (!verdict) {
    recheck ??= createRequire(import.meta.url)('recheck') as typeof Recheck;
    const timeout = deadline - Date.now();
    // recheck's checkSync reads its backend from the environment on each call:
    // "pure" keeps it in this thread, where the default would start a helper
    // thread running a native binary.
    const backend = process.env.RECHECK_SYNC_BACKEND;
    process.env.RECHECK_SYNC_BACKEND = 'pure';
    let result: Recheck.Diagnostics | undefined;
    try {
      result = timeout > 0 ? recheck.checkSync(pattern, 'u', { timeout }) : undefined;
    } finally {
      if (backend === undefined) delete process.env.RECHECK_SYNC_BACKEND;
      else process.env.RECHECK_SYNC_BACKEND = backend;
    }
    if (!result || result.status === 'unknown') {
      throw new SchemaError(where, `"pattern" could not be shown safe from catastrophic backtracking within ${PATTERN_CHECK_MS} ms: write a simpler pattern`, `ตรวจไม่ได้ภายในเวลาที่กำหนดว่า "pattern" ปลอดภัยจากการย้อนรอยแบบทวีคูณ โปรดเขียนรูปแบบให้ง่ายลง`);
    }
    verdict = result.status;
    if (verdicts.size >= 1000) verdicts.clear();
    verdicts.set(pattern, verdict);
  }
  if (verdict === 'vulnerable') {
    throw new SchemaError(where, '"pattern" can backtrack catastrophically (nested or overlapping repetition such as (a+)+ or (a|a)*): a long value would stall the service; write it without repetition inside repetition', '"pattern" อาจย้อนรอยแบบทวีคูณ (มีการซ้ำซ้อนในการซ้ำ เช่น (a+)+ หรือ (a|a)*) ข้อมูลยาว ๆ จะทำให้ระบบค้าง โปรดเขียนรูปแบบใหม่');
  }
}

/**
 * The zod schema of an uploaded JSON Schema. `checkPatterns: false` skips the
 * backtracking analysis of patterns, for a schema this process or another
 * already accepted (a render thread registering an upload the service checked).
 */
export function zodFromJsonSchema(schema: unknown, { checkPatterns = true }: { checkPatterns?: boolean } = {}): z.ZodObject {
  let nodes = 0;
  const deadline = Date.now() + PATTERN_CHECK_MS;
  const convert = (node: unknown, path: string, depth: number): z.ZodType => {
    if (++nodes > MAX_NODES) throw new SchemaError(path, `more than ${MAX_NODES} schema nodes`, `โครงสร้างข้อมูลมีมากกว่า ${MAX_NODES} ส่วน`);
    if (depth > MAX_DEPTH) throw new SchemaError(path, `nested deeper than ${MAX_DEPTH} levels`, `ซ้อนกันลึกเกิน ${MAX_DEPTH} ชั้น`);
    if (!isObject(node)) throw new SchemaError(path, 'must be a JSON Schema object', 'ต้องเป็นออบเจกต์ JSON Schema');
    const type = node.type;
    // Own keys only: "constructor" or "toString" as a type must not find Object's members.
    if (typeof type !== 'string' || !Object.hasOwn(ALLOWED, type)) {
      throw new SchemaError(path, `"type" must be one of ${Object.keys(ALLOWED).join(', ')}`, `ต้องระบุ "type" เป็น ${Object.keys(ALLOWED).join(', ')}`);
    }
    const unknown = Object.keys(node).filter((k) => !ALLOWED[type]!.has(k));
    if (unknown.length) throw new SchemaError(path, `keyword(s) not supported for ${type}: ${unknown.join(', ')}`, `ไม่รองรับคีย์เวิร์ด ${unknown.join(', ')} สำหรับ ${type}`);
    const description = typeof node.description === 'string' ? node.description : undefined;
    const describe = <T extends z.ZodType>(s: T): T => (description ? s.describe(description) : s);

    switch (type) {
      case 'object': {
        const properties = node.properties ?? {};
        if (!isObject(properties)) throw new SchemaError(path, '"properties" must be an object', '"properties" ต้องเป็นออบเจกต์');
        const required = node.required ?? [];
        if (!Array.isArray(required) || !required.every((r) => typeof r === 'string' && Object.hasOwn(properties, r))) {
          throw new SchemaError(path, '"required" must list names of "properties"', '"required" ต้องเป็นรายชื่อช่องที่อยู่ใน "properties"');
        }
        const shape: Record<string, z.ZodType> = {};
        for (const [key, sub] of Object.entries(properties)) {
          if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key)) throw new SchemaError(`${path}.${key}`, 'property names are letters, digits and _', 'ชื่อช่องต้องเป็นอักษรอังกฤษ ตัวเลข หรือ _');
          const child = convert(sub, path ? `${path}.${key}` : key, depth + 1);
          shape[key] = required.includes(key) ? child : child.optional();
        }
        const object = z.object(shape);
        return describe(node.additionalProperties === true ? object.loose() : object.strict());
      }
      case 'array': {
        if (node.items === undefined) throw new SchemaError(path, 'an array needs "items"', 'รายการต้องระบุ "items"');
        let s = z.array(convert(node.items, `${path}[]`, depth + 1));
        const min = num(node, 'minItems', path);
        if (min !== undefined) s = s.min(min);
        s = s.max(Math.min(num(node, 'maxItems', path) ?? DEFAULT_MAX_ITEMS, DEFAULT_MAX_ITEMS));
        return describe(s);
      }
      case 'string': {
        if (node.enum !== undefined) {
          if (!Array.isArray(node.enum) || node.enum.length === 0 || !node.enum.every((v) => typeof v === 'string')) {
            throw new SchemaError(path, '"enum" must be a list of strings', '"enum" ต้องเป็นรายการข้อความ');
          }
          return describe(z.enum(node.enum as [string, ...string[]]));
        }
        if (node.format === 'date') return describe(IsoDate);
        if (node.format !== undefined) throw new SchemaError(path, 'the only supported format is "date"', 'รองรับเฉพาะ format "date"');
        let s = z.string().trim();
        const min = num(node, 'minLength', path);
        if (min !== undefined) s = s.min(min);
        s = s.max(Math.min(num(node, 'maxLength', path) ?? DEFAULT_MAX_LENGTH, DEFAULT_MAX_LENGTH));
        if (node.pattern !== undefined) {
          const where = path ? `${path}.pattern` : 'pattern';
          if (typeof node.pattern !== 'string' || node.pattern.length > PATTERN_MAX_LENGTH) throw new SchemaError(where, `"pattern" must be a regular expression of at most ${PATTERN_MAX_LENGTH} characters`, `"pattern" ต้องเป็นนิพจน์ปกติไม่เกิน ${PATTERN_MAX_LENGTH} ตัวอักษร`);
          let re: RegExp;
          try { re = new RegExp(node.pattern, 'u'); } catch { throw new SchemaError(where, '"pattern" is not a valid regular expression', '"pattern" ไม่ใช่นิพจน์ปกติที่ถูกต้อง'); }
          if (checkPatterns) checkBacktracking(node.pattern, where, deadline);
          s = s.regex(re, { message: `รูปแบบไม่ถูกต้อง / does not match the pattern ${node.pattern}` });
        }
        return describe(s);
      }
      case 'number':
      case 'integer': {
        let s = type === 'integer' ? z.number().int() : z.number();
        const min = num(node, 'minimum', path);
        const max = num(node, 'maximum', path);
        if (min !== undefined) s = s.min(min);
        if (max !== undefined) s = s.max(max);
        return describe(s);
      }
      default:
        return describe(z.boolean());
    }
  };
  if (!isObject(schema) || schema.type !== 'object') throw new SchemaError('', 'the schema of a form\'s data must be {"type": "object", ...}', 'โครงสร้างข้อมูลของแบบฟอร์มต้องเป็น {"type": "object", ...}');
  return convert(schema, '', 0) as z.ZodObject;
}
