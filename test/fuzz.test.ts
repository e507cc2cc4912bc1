/**
 * Fuzzing every JSON endpoint with fast-check: 10,000 generated requests per
 * endpoint (arbitrary JSON, the form's own keys with wrong types, mutations of
 * the shipped examples, raw non-JSON bodies, wrong content types), sent to one
 * listening server over keep-alive connections, several at a time. Every
 * answer must be below 500, and every 4xx must be our error shape with Thai
 * and English and nothing of the internals (stack, path, library message).
 *
 *   FUZZ_SEED=123 FUZZ_RUNS=10000 npx vitest run test/fuzz.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const IN_FLIGHT = 8;
/** Generated in slices, so the huge strings of one slice are garbage before the next. */
const SLICE = 500;

const dataDir = mkdtempSync(join(tmpdir(), 'saraban-fuzz-'));
const EXAMPLES = new URL('../examples/', import.meta.url);

let server: Server;
let base: string;
let formIds: string[] = [];
let computeIds: string[] = [];
const examples = new Map<string, unknown[]>();

beforeAll(async () => {
  // Before the modules load: uploaded templates go to a scratch folder.
  process.env.SARABAN_DATA_DIR = dataDir;
  const { createApp } = await import('../src/http/app.js');
  const { listForms } = await import('../src/forms/registry.js');
  formIds = listForms().map((f) => f.id);
  computeIds = listForms().filter((f) => f.compute).map((f) => f.id);
  for (const id of formIds) {
    const dir = new URL(`${id}/`, EXAMPLES);
    if (!existsSync(dir)) continue;
    examples.set(id, readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'shared.json').map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown));
  }
  server = createServer(createApp({ renderQueue: { maxWaiting: 1000 } }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server?.closeAllConnections?.();
  rmSync(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- generated values

const THAI = 'กขคงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮะัาำิีึืุูเแโใไ่้๊๋์ๆฯ๐๑๒๓๔๕๖๗๘๙';
const weirdChar = fc.oneof(
  fc.constantFrom(...THAI.split('')),
  fc.constantFrom('😀', '👍🏽', '\u0000', '\u0007', '\u001b', '\u2028', '\ufeff', '\ufffd', '\ud800', '\u200b', '\u0e31\u0e31\u0e31', '"', '\\', '<', '&', '{{', '}}', '\n', '\t'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const weirdString = fc.oneof(
  fc.string({ unit: weirdChar, maxLength: 40 }),
  fc.constantFrom('', ' ', 'NaN', 'Infinity', '-Infinity', '-0', '1e308', '1e-400', '0x1F', '๑๒๓', '1,000.50', '2565-02-30', '31/02/2565', 'null', 'undefined', 'true', '[]', '{}', '../../etc/passwd', '%00', '__proto__', 'constructor'),
);
const weirdNumber = fc.oneof(
  fc.constantFrom(-0, 0, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, -1, 0.1, 2 ** 53, 1e21),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
/** A value of any JSON type, including the odd ones. */
const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: weirdString },
  { weight: 2, arbitrary: weirdNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const hugeString = fc.integer({ min: 100_000, max: 600_000 }).map((n) => 'ก'.repeat(n));
const deepNesting = fc.integer({ min: 100, max: 800 }).chain((depth) => fc.constantFrom('array', 'object').map((kind) => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}));

type Path = (string | number)[];
function paths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (at.length > 0) out.push(at);
  if (Array.isArray(value)) value.slice(0, 5).forEach((v, i) => paths(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}
function setAt(root: unknown, path: Path, value: unknown | typeof REMOVE): unknown {
  const copy = structuredClone(root);
  let at = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === REMOVE) { if (Array.isArray(at)) at.splice(Number(last), 1); else delete at[last]; } else at[last] = value;
  return copy;
}
const REMOVE = Symbol('remove');

/** One to three edits of a valid example: a field removed, its type changed, a huge string, deep nesting, odd text or numbers. */
function mutated(example: unknown): fc.Arbitrary<unknown> {
  const all = paths(example);
  if (all.length === 0) return fc.constant(example);
  const edit = fc.tuple(fc.constantFrom(...all), fc.oneof(
    { weight: 3, arbitrary: fc.constant<unknown>(REMOVE) },
    { weight: 6, arbitrary: weirdValue },
    { weight: 1, arbitrary: hugeString },
    { weight: 1, arbitrary: deepNesting },
  ));
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    let v = example;
    for (const [p, value] of edits) {
      try { v = setAt(v, p, value); } catch { /* an earlier edit removed the parent: skip */ }
    }
    return v;
  });
}

/** An object with the keys a form really has, each given a value of the wrong (or any) type. */
const realKeysWrongTypes = (example: unknown) => {
  const keys = example && typeof example === 'object' ? Object.keys(example) : ['x'];
  return fc.dictionary(fc.constantFrom(...keys, 'options', '__proto__', 'constructor'), weirdValue, { maxKeys: keys.length + 2 });
};

interface Req { path: string; contentType?: string; body?: string | Buffer }

/** Raw bodies: broken JSON, JSON with non-JSON numbers, other media types, nothing at all. */
const rawBodies = (path: string, example: unknown): fc.Arbitrary<Req> => {
  const text = JSON.stringify(example ?? {});
  return fc.oneof(
    fc.record({ path: fc.constant(path), contentType: fc.constant('application/json'), body: fc.oneof(
      fc.constantFrom('', '{', '{"a":', '[1,2', 'nul', '{"a": NaN}', '{"a": Infinity}', '{"a": 1e999}', '{"a": -0}', "{'a': 1}", '{"a":1,}', '\ufeff{}', '"\\ud800"', '{"__proto__": {"polluted": 1}}', `{"a": "${'\\'.repeat(5)}"}`),
      fc.string({ maxLength: 200 }),
      fc.nat({ max: Math.max(0, text.length - 1) }).map((n) => text.slice(0, n)),
      fc.constant(text.replace(/:\s*(\d+(\.\d+)?)/, ': 1e999')),
    ) }),
    fc.record({ path: fc.constant(path), contentType: fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'image/png', 'application/octet-stream'), body: fc.oneof(fc.constant(text), fc.string({ maxLength: 100 }), fc.constant('--x\r\nContent-Disposition: form-data; name="data"\r\n\r\n{}\r\n--x--\r\n')) }),
    fc.record({ path: fc.constant(path), contentType: fc.constant(undefined), body: fc.oneof(fc.constant(undefined), fc.constant(text)) }),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ path, contentType: 'application/json', body: Buffer.from(bytes) })),
  );
};

const jsonReq = (path: string, body: unknown): Req => ({ path, contentType: 'application/json', body: JSON.stringify(body) ?? 'null' });

const bogusId = fc.oneof(
  fc.constantFrom('nope', 'EXTERNAL-LETTER', '..', '%2e%2e%2fpackage.json', 'external-letter%00', 'constructor', '__proto__', 'toString', 'ก'.repeat(300)),
  // Lone surrogates cannot be put in a URL: sent as their replacement character.
  fc.string({ unit: weirdChar, minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(Buffer.from(s).toString())),
);

/** Requests for one form endpoint; `exampleWeight` (against 60 + 60 + 20) is how often a shipped example is sent mutated. */
function formRequests(ids: string[], pathOf: (id: string) => fc.Arbitrary<string>, exampleWeight: number): fc.Arbitrary<Req> {
  const idArb = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: bogusId });
  return idArb.chain((id) => {
    const own = examples.get(id) ?? [];
    const example = own.length ? fc.constantFrom(...own) : fc.constant<unknown>({});
    return pathOf(id).chain((path) => fc.oneof(
      { weight: 60, arbitrary: fc.jsonValue().map((v) => jsonReq(path, v)) },
      { weight: 60, arbitrary: example.chain(realKeysWrongTypes).map((v) => jsonReq(path, v)) },
      { weight: exampleWeight, arbitrary: example.chain(mutated).map((v) => jsonReq(path, v)) },
      { weight: 20, arbitrary: example.chain((e) => rawBodies(path, e)) },
    ));
  });
}

// ---------------------------------------------------------------- checks

/** What must never reach a client: a stack frame, a file path, a library's error name. */
const LEAK = /\/work\/|node_modules|\n\s+at |\bat [\w.<>]+ \(|\bError: |\bTypeError\b|\bRangeError\b|SyntaxError|file:\/\//;

interface Failure { status: number; body: string; request: string }

async function send(r: Req): Promise<{ status: number; failure?: Failure }> {
  const headers: Record<string, string> = {};
  if (r.contentType) headers['content-type'] = r.contentType;
  const res = await fetch(base + r.path, { method: 'POST', headers, body: r.body as BodyInit | undefined });
  const text = Buffer.from(await res.arrayBuffer());
  const describe = () => {
    const body = String(r.body ?? '');
    return `${r.path} ${r.contentType ?? '(no type)'} ${body.length > 600 ? `${body.slice(0, 300)} … ${body.slice(-300)}` : body}`;
  };
  const failure = (): { status: number; failure: Failure } => ({ status: res.status, failure: { status: res.status, body: text.toString('utf8').slice(0, 500), request: describe() } });
  if (res.status >= 500) return failure();
  if (res.status >= 400) {
    let body: { error?: { code?: unknown; th?: unknown; en?: unknown } } | undefined;
    try { body = JSON.parse(text.toString('utf8')) as typeof body; } catch { /* reported below */ }
    const e = body?.error;
    const ok = typeof e?.code === 'string' && e.code !== '' && typeof e.th === 'string' && /[\u0e00-\u0e7f]/.test(e.th) && typeof e.en === 'string' && e.en.trim() !== '';
    if (!ok || LEAK.test(text.toString('utf8'))) return failure();
  }
  return { status: res.status };
}

/** Sends `RUNS` requests drawn from `arb`, IN_FLIGHT at a time; returns the failures and the status counts. */
async function fuzz(name: string, arb: fc.Arbitrary<Req>): Promise<{ failures: Failure[]; statuses: Record<number, number>; ms: number }> {
  const failures: Failure[] = [];
  const statuses: Record<number, number> = {};
  const started = performance.now();
  let generating = 0;
  for (let done = 0; done < RUNS; done += SLICE) {
    const t = performance.now();
    const reqs = fc.sample(arb, { seed: SEED + done, numRuns: Math.min(SLICE, RUNS - done) });
    generating += performance.now() - t;
    let next = 0;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < reqs.length) {
        const r = reqs[next++]!;
        const { status, failure } = await send(r).catch((e: Error) => ({ status: 0, failure: { status: 0, body: `request failed: ${e.message}`, request: r.path } }));
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (failure && failures.length < 10) failures.push(failure);
      }
    }));
  }
  const ms = performance.now() - started;
  console.log(`fuzz ${name}: ${RUNS} requests in ${(ms / 1000).toFixed(1)} s, of which generating them ${(generating / 1000).toFixed(1)} s (seed ${SEED}); statuses ${JSON.stringify(statuses)}`);
  return { failures, statuses, ms };
}

const expectClean = (r: { failures: Failure[] }) => {
  expect(r.failures, `seed ${SEED}: ${JSON.stringify(r.failures, null, 1)}`).toEqual([]);
};

describe(`fuzzing the JSON endpoints (${RUNS} requests each, seed ${SEED})`, { timeout: 600_000 }, () => {
  it('POST /api/v1/render/{formId}: never 5xx, every 4xx structured', async () => {
    const format = fc.constantFrom('', '?format=pdf', '?format=docx', '?format=PDF', '?format=xml', '?format=pdf&format=docx', '?format[]=pdf');
    expectClean(await fuzz('render', formRequests(formIds, (id) => format.map((q) => `/api/v1/render/${id}${q}`), 10)));
  });

  it('POST /api/v1/forms/{formId}/compute: never 5xx, every 4xx structured', async () => {
    expectClean(await fuzz('compute', formRequests([...computeIds, ...formIds.slice(0, 3)], (id) => fc.constant(`/api/v1/forms/${id}/compute`), 60)));
  });

  it('POST /api/v1/preview/{formId}: never 5xx, every 4xx structured (valid bodies rare: each runs pdftoppm)', async () => {
    const page = fc.constantFrom('', '?page=2', '?page=-1', '?page=abc', '?page=99999999999999999999');
    expectClean(await fuzz('preview', formRequests(formIds, (id) => page.map((q) => `/api/v1/preview/${id}${q}`), 1)));
  });

  it('POST /api/v1/templates: never 5xx, every 4xx structured', async () => {
    const read = (name: string) => readFileSync(new URL(`../docs/examples/work-certificate/${name}`, import.meta.url), 'utf8');
    const valid = { id: 'fuzz-template', title: { th: 'หนังสือรับรอง', en: 'Certificate' }, template: read('template.hbs'), schema: JSON.parse(read('schema.json')) as unknown };
    const path = '/api/v1/templates';
    const arb = fc.oneof(
      { weight: 3, arbitrary: fc.jsonValue().map((v) => jsonReq(path, v)) },
      { weight: 3, arbitrary: realKeysWrongTypes(valid).map((v) => jsonReq(path, v)) },
      { weight: 3, arbitrary: mutated(valid).map((v) => jsonReq(path, v)) },
      { weight: 1, arbitrary: fc.record({ schema: deepNesting, id: fc.constant('deep-schema'), title: fc.constant(valid.title), template: fc.constant(valid.template) }).map((v) => jsonReq(path, v)) },
      { weight: 1, arbitrary: rawBodies(path, valid) },
    );
    expectClean(await fuzz('templates', arb));
  });
});
