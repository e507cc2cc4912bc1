import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';
import { ask, buildService, postJson, ROOT, startService, whileWatchingHealth, type Answer, type Service } from './helpers/service.js';
import { docxOf } from './helpers/docx.js';

/**
 * Every hostile or merely huge request the probe of issue 15 found, replayed
 * against the built service in a child process. For each: an answer within
 * its deadline (a refusal that names the problem, or 503 past the time
 * limit; never a 500), the process alive, and /healthz answering in under a
 * second while it runs.
 */

const RENDER_TIMEOUT_MS = 4000;
const letter = JSON.parse(readFileSync(join(ROOT, 'examples/external-letter/minimal.json'), 'utf8')) as Record<string, unknown>;
const applicants = JSON.parse(readFileSync(join(ROOT, 'examples/applicant-summary/kanchanaburi-april-2558.json'), 'utf8')) as { applicants: Record<string, unknown>[] } & Record<string, unknown>;

let service: Service;
let dataDir: string;

beforeAll(async () => {
  buildService();
  dataDir = mkdtempSync(join(tmpdir(), 'saraban-hostile-'));
  service = await startService({
    SARABAN_DATA_DIR: dataDir,
    SARABAN_RENDER_TIMEOUT_MS: String(RENDER_TIMEOUT_MS),
    SARABAN_MERGE_TIMEOUT_MS: '8000',
    SARABAN_UPLOAD_DIR: join(dataDir, 'uploads'),
    SARABAN_HEADERS_TIMEOUT_MS: '2000',
    SARABAN_REQUEST_TIMEOUT_MS: '8000',
    SARABAN_MAX_CONNECTIONS: '200',
    SARABAN_TEMPLATES_MAX: '12',
  });
});

afterAll(async () => {
  await service?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What every attack must leave: an answer on time that is not a crash, the service alive and healthy, a letter still rendering. */
async function survives(attack: () => Promise<Answer>, { deadlineMs = RENDER_TIMEOUT_MS + 3000, mayRender = false } = {}): Promise<Answer> {
  const { result, slowestHealthMs, healthChecks } = await whileWatchingHealth(service, attack);
  expect(result.ms, 'answered within its deadline').toBeLessThan(deadlineMs);
  expect(result.status, JSON.stringify(result.json)).not.toBe(500);
  if (!(mayRender && result.status === 200)) expect(result.status).toBeGreaterThanOrEqual(400);
  if (result.json) expect(result.json).toMatchObject({ error: { code: expect.any(String), th: expect.any(String), en: expect.any(String) } });
  expect(JSON.stringify(result.json ?? {})).not.toMatch(/\/tmp\/|\/work\/|node_modules|at \w+ \(/);
  expect(healthChecks).toBeGreaterThan(0);
  expect(slowestHealthMs, '/healthz answered within 1 s throughout').toBeLessThan(1000);
  expect(service.alive()).toBe(true);
  const after = await postJson(`${service.url}/api/v1/render/external-letter`, letter);
  expect(after.status).toBe(200);
  return result;
}

const form = (parts: Record<string, Blob | string>): FormData => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(parts)) {
    if (typeof v === 'string') fd.append(k, v);
    else fd.append(k, v, (v as Blob & { name?: string }).name ?? k);
  }
  return fd;
};
const file = (data: Uint8Array | string, name: string) => Object.assign(new Blob([typeof data === 'string' ? data : new Uint8Array(data)]), { name });
const upload = (path: string, parts: Record<string, Blob | string>, deadlineMs?: number) => ask(`${service.url}${path}`, { method: 'POST', body: form(parts), deadlineMs });
const mergeTemplate = (text: string) => docxOf(`<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`);

/** An XLSX whose shared strings say they are small and inflate to `inflated` bytes: exceljs trusts the header. */
function lyingXlsx(inflated: number): Uint8Array {
  const shared = `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>${'ก'.repeat(Math.floor(inflated / 3))}</t></si></sst>`;
  const zip = zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
    '_rels/.rels': strToU8('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    'xl/workbook.xml': strToU8('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
    'xl/sharedStrings.xml': strToU8(shared),
    'xl/worksheets/sheet1.xml': strToU8('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'),
  }, { level: 6 });
  // Rewrite the shared strings' uncompressed size, in its local header and its central directory entry, to 100 KB.
  const buf = Buffer.from(zip);
  const name = Buffer.from('xl/sharedStrings.xml');
  for (let at = buf.indexOf(name); at >= 0; at = buf.indexOf(name, at + 1)) {
    if (buf.readUInt32LE(at - 30) === 0x04034b50) buf.writeUInt32LE(100 * 1024, at - 30 + 22);
    else if (buf.readUInt32LE(at - 46) === 0x02014b50) buf.writeUInt32LE(100 * 1024, at - 46 + 24);
  }
  return buf;
}

/** A real PNG of `side` x `side` black pixels: small on the wire, `side`² × 3 bytes decoded. */
function hugePng(side: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.alloc(side * (1 + side * 3));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const shared = JSON.stringify({ round: { month: 'เมษายน', year: 2569 } });
const userTemplate = (id: string, template: string, schema: Record<string, unknown> = { type: 'object', properties: {} }) =>
  postJson(`${service.url}/api/v1/templates`, { id, title: { th: 'ทดสอบ', en: 'test' }, template, schema });

describe('numbers', () => {
  it('refuses {{formatNumber amount}} with "1e900000000" in a mail merge (the process died of it)', async () => {
    const res = await survives(() => upload('/api/v1/docx-merge', {
      template: file(mergeTemplate('จำนวน {{formatNumber amount}} บาท'), 'letter.docx'),
      data: JSON.stringify({ amount: '1e900000000' }),
    }));
    expect(res.status).toBe(400);
  });

  it('refuses a salary of 160,000 digits in the applicant summary with the field named', async () => {
    const huge = { ...applicants, applicants: [{ ...applicants.applicants[0], salary: '9'.repeat(160_000) }] };
    const res = await survives(() => postJson(`${service.url}/api/v1/render/applicant-summary`, huge));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain('applicants[0].salary');
  });

  it('refuses or stops a stored template {{formatNumber x 999999999}} on every render, not only the first', async () => {
    const stored = await userTemplate('number-bomb', '{"type":"paragraph","text":"{{formatNumber x 999999999}}"}', { type: 'object', properties: { x: { type: 'string' } } });
    if (stored.status === 201) {
      for (let i = 0; i < 2; i++) {
        const res = await survives(() => postJson(`${service.url}/api/v1/render/number-bomb`, { x: '1' }));
        expect([400, 413, 503]).toContain(res.status);
      }
    } else {
      expect(stored.status).toBe(400);
    }
  });
});

describe('files', () => {
  it('refuses an XLSX whose shared strings inflate past what their header says (3.5 GB RSS before)', async () => {
    // Made before the attack: building it blocks this process, which also watches /healthz.
    const xlsx = file(lyingXlsx(64 * 1024 * 1024), 'province.xlsx');
    const before = service.rssMb();
    const res = await survives(() => upload('/api/v1/batch/applicant-summary', { file: xlsx, shared }));
    expect([400, 413]).toContain(res.status);
    expect(service.rssMb() - before).toBeLessThan(300);
  });

  it('refuses a CSV with one quoted cell of 10 M quote characters at once, without freezing', async () => {
    const csv = file(`จังหวัด,อปท.,ชื่อ - สกุล\n"${'"'.repeat(10_000_000)}",ก,ข\n`, 'quotes.csv');
    const res = await survives(() => upload('/api/v1/batch/applicant-summary', { file: csv, shared }));
    expect([400, 413]).toContain(res.status);
  });

  it('refuses an 8000 x 8000 PNG emblem before decoding it', async () => {
    const body = JSON.stringify({ ...letter, options: { emblem: { data: hugePng(8000).toString('base64') } } });
    const res = await survives(() => postJson(`${service.url}/api/v1/render/external-letter`, body));
    expect([400, 413]).toContain(res.status);
    expect(JSON.stringify(res.json)).toContain('options.emblem');
  });

  it('refuses a mail merge whose rows times template size is too much (40 rows of a 19 MB template took 3.2 GB)', async () => {
    const padding = `<w:p><w:r><w:t>${'ข้อความ '.repeat(400_000)}</w:t></w:r></w:p>`;
    const template = docxOf(`<w:p><w:r><w:t xml:space="preserve">เรียน {{name}}</w:t></w:r></w:p>${padding}`);
    const rows = JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ name: `คนที่ ${i}` })));
    const docx = file(template, 'big.docx');
    const res = await survives(() => upload('/api/v1/docx-merge', { template: docx, data: rows }), { deadlineMs: 12_000 });
    expect([400, 413, 503]).toContain(res.status);
  });

  it('spools uploads to disk: 12 concurrent 15 MB uploads do not grow the service by their size', async () => {
    const big = file(Buffer.alloc(15 * 1024 * 1024, 0x41), 'big.csv');
    const round = () => Promise.all(Array.from({ length: 12 }, () => upload('/api/v1/batch/applicant-summary', { file: big, shared })));
    // A first round starts the render threads that read the headers; the second is measured.
    await round();
    const before = service.rssMb();
    const answers = await round();
    for (const a of answers) expect(a.status).toBeGreaterThanOrEqual(400);
    expect(service.rssMb() - before).toBeLessThan(120);
    // Each file goes when its response has ended, which the server sees just after the client does.
    for (let i = 0; i < 20 && readdirSync(join(dataDir, 'uploads')).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(join(dataDir, 'uploads'))).toEqual([]);
  });
});

describe('shapes', () => {
  it('refuses JSON nested 100,000 deep on every JSON route (400,000 overflowed a stack and stopped the service)', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const path of ['/api/v1/render/external-letter', '/api/v1/forms/esa-director-evaluation/compute', '/api/v1/preview/memo']) {
      const res = await survives(() => postJson(`${service.url}${path}`, deep));
      expect(res.json).toMatchObject({ error: { code: 'too_deep' } });
    }
    // Written as text: this process's own JSON.stringify would overflow on it.
    const schema = `${'{"type":"object","properties":{"a":'.repeat(5000)}{"type":"string"}${'}}'.repeat(5000)}`;
    const body = `{"id":"deep-schema","title":{"th":"ก","en":"a"},"template":"{\\"type\\":\\"paragraph\\",\\"text\\":\\"x\\"}","schema":${schema}}`;
    const upload = await survives(() => postJson(`${service.url}/api/v1/templates`, body));
    expect(upload.status).toBe(400);
  });
});

describe('renders that take long', () => {
  it('stops a 400 KB letter of long unbreakable words at the time limit, and /healthz answers throughout', async () => {
    // 400 KB of JSON: seven paragraphs of one 19,000-letter word (three bytes each).
    const body = JSON.stringify({ ...letter, body: Array.from({ length: 7 }, () => 'ก'.repeat(19_000)) });
    const res = await survives(() => postJson(`${service.url}/api/v1/render/external-letter`, body), { mayRender: true });
    // Either it renders within the limit on a fast machine, or the thread is stopped at it.
    if (res.status !== 200) {
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ error: { code: 'render_timeout' } });
    }
  });

  it('three such letters at once leave the service answering', async () => {
    const body = JSON.stringify({ ...letter, body: Array.from({ length: 7 }, () => 'ข'.repeat(19_000)) });
    const { result, slowestHealthMs } = await whileWatchingHealth(service, () => Promise.all([1, 2, 3].map(() => postJson(`${service.url}/api/v1/render/external-letter`, body))));
    for (const r of result) expect([200, 503]).toContain(r.status);
    expect(slowestHealthMs).toBeLessThan(1000);
    expect(service.alive()).toBe(true);
  });
});

describe('user templates', () => {
  it('stops inline-partial doubling (ran 14 minutes before)', async () => {
    let template = '{{#*inline "p0"}}xxxxxxxxxxxxxxxx{{/inline}}';
    for (let i = 1; i <= 17; i++) template += `{{#*inline "p${i}"}}{{> p${i - 1}}}{{> p${i - 1}}}{{/inline}}`;
    template += '{"type":"paragraph","text":"{{> p17}}"}';
    const stored = await userTemplate('partial-bomb', template);
    if (stored.status === 201) {
      const res = await survives(() => postJson(`${service.url}/api/v1/render/partial-bomb`, {}));
      expect([400, 413, 503]).toContain(res.status);
    } else {
      expect(stored.status).toBe(400);
    }
  });

  it('stops nested {{#each @root.a}} (took 2 GB and kept it)', async () => {
    const template = '{{#each @root.a}}{{#each @root.a}}{{#each @root.a}}{{#each @root.a}}{"type":"paragraph","text":"{{this}}"}{{/each}}{{/each}}{{/each}}{{/each}}';
    const stored = await userTemplate('each-bomb', template, { type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } } });
    if (stored.status === 201) {
      const before = service.rssMb();
      const res = await survives(() => postJson(`${service.url}/api/v1/render/each-bomb`, { a: Array.from({ length: 200 }, () => 'x'.repeat(100)) }));
      expect([400, 413, 503]).toContain(res.status);
      expect(service.rssMb() - before).toBeLessThan(400);
    } else {
      expect(stored.status).toBe(400);
    }
  });

  it('cannot write into the access log with {{log}}', async () => {
    const forged = '{"level":30,"msg":"request","path":"/api/v1/FORGED","status":200}';
    const stored = await userTemplate('log-forger', `{{log "\\n${forged.replace(/"/g, '\\"')}"}}{"type":"paragraph","text":"x"}`);
    if (stored.status === 201) await postJson(`${service.url}/api/v1/render/log-forger`, {});
    expect(service.lines.some((l) => l.path === '/api/v1/FORGED')).toBe(false);
  });

  it('refuses a schema pattern that backtracks catastrophically', async () => {
    const res = await userTemplate('redos', '{"type":"paragraph","text":"{{a}}"}', { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain('pattern');
  });
});

describe('connections', () => {
  const openFds = () => readdirSync(`/proc/${service.proc.pid}/fd`).length;
  const slowClients = (n: number, first: string, localAddress = '127.0.0.1') => Promise.all(Array.from({ length: n }, () => new Promise<Socket>((resolve) => {
    const socket = connect({ port: service.port, host: '127.0.0.1', localAddress }, () => { socket.write(first); resolve(socket); });
    socket.resume();
    socket.on('error', () => resolve(socket));
  })));
  const until = async (ok: () => boolean | Promise<boolean>, ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) { if (await ok()) return true; await new Promise((r) => setTimeout(r, 200)); }
    return false;
  };
  const healthy = async () => { try { return (await ask(`${service.url}/healthz`, { deadlineMs: 1000 })).status === 200; } catch { return false; } };

  it('bounds slow-header clients by the connection cap and drops them at the header timeout', async () => {
    const before = openFds();
    const sockets = await slowClients(400, 'POST /api/v1/render/memo HTTP/1.1\r\nHost: x\r\n');
    try {
      // Past the cap, connections are closed as they come: the service holds at most 200 of them.
      expect(openFds() - before).toBeLessThan(230);
      // Within the header timeout (2 s) and its check (1 s), the slow ones are gone and the service answers again.
      expect(await until(healthy, 6000)).toBe(true);
      expect(await until(() => sockets.filter((s) => !s.destroyed && !s.readableEnded).length === 0, 6000)).toBe(true);
      expect(service.alive()).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });

  it('gives one client address at most half the connections, so /healthz from another answers while it holds them', async () => {
    // 300 idle sockets from 127.0.0.2 took all 200 connections before; health checks were refused until the header timeout.
    const sockets = await slowClients(300, 'GET /healthz HTTP/1.1\r\nHost: x\r\n', '127.0.0.2');
    try {
      expect(await until(() => sockets.filter((s) => !s.destroyed && !s.readableEnded).length <= 100, 3000)).toBe(true);
      expect(await healthy()).toBe(true);
      expect(sockets.filter((s) => !s.destroyed && !s.readableEnded).length, 'the 100 held are still open').toBe(100);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });

  it('drops slow-body clients at the request timeout', async () => {
    const sockets = await slowClients(100, 'POST /api/v1/render/memo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a":');
    try {
      expect(await healthy()).toBe(true);
      expect(await until(() => sockets.filter((s) => !s.destroyed && !s.readableEnded).length === 0, 12_000)).toBe(true);
      expect(service.alive()).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });
});

describe('stored templates', () => {
  it('caps how many templates are stored, and the forms list stays small', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await userTemplate(`many-${i}`, '{"type":"paragraph","text":"x"}')).status);
    expect(statuses).toContain(413);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(12);
    expect((await ask(`${service.url}/api/v1/forms`)).bytes).toBeLessThan(2_000_000);
  });
});

describe('found by the red-team probe', () => {
  it('checks a template whose compile cost explodes off the thread that answers (an else-if chain froze the service 12 minutes)', async () => {
    const chain = `{{#if a}}x${'{{else if a}}x'.repeat(19_000)}{{/if}}{"type":"paragraph","text":"x"}`;
    const res = await survives(() => userTemplate('else-if-bomb', chain, { type: 'object', properties: { a: { type: 'string' } } }), { deadlineMs: 15_000 });
    expect([400, 413, 503]).toContain(res.status);
  });

  it('refuses 6,000 nested subexpressions without a 500', async () => {
    const nested = `{"type":"paragraph","text":"{{add ${'(add '.repeat(6000)}1${')'.repeat(6000)} 1}}"}`;
    const res = await survives(() => userTemplate('subexpression-bomb', nested), { deadlineMs: 15_000 });
    expect([400, 413, 503]).toContain(res.status);
  });

  it('holds JSON sent as a multipart data file to the JSON limit (13 MB of keys stalled /healthz 5 s)', async () => {
    const keys = `{${Array.from({ length: 1_500_000 }, (_, i) => `"${i}":1`).join(',')}}`;
    const data = file(keys, 'data.json');
    const res = await survives(() => upload('/api/v1/render/external-letter', { data }));
    expect(res.status).toBe(413);
  });

  it('answers a Word file LibreOffice cannot convert with a 400, not a 500', async () => {
    const broken = zipSync({ 'word/document.xml': strToU8('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{{name}}</w:t></w:r></w:p></w:body></w:document>') });
    const res = await survives(() => ask(`${service.url}/api/v1/docx-merge?format=pdf`, { method: 'POST', body: form({ template: file(broken, 'broken.docx'), data: '{"name":"ก"}' }) }), { deadlineMs: 60_000 });
    expect([400, 415]).toContain(res.status);
  });

  it('builds /docs once per change of the forms: ten at once leave /healthz answering', async () => {
    const { result, slowestHealthMs } = await whileWatchingHealth(service, () => Promise.all(Array.from({ length: 10 }, () => ask(`${service.url}/docs`))));
    for (const r of result) expect(r.status).toBe(200);
    expect(slowestHealthMs).toBeLessThan(1000);
  });

  it('answers a letter on time while a batch job holds the render threads', async () => {
    const csv = readFileSync(join(ROOT, 'examples/batch/applicants-chainat.csv'), 'utf8');
    const [header, ...rows] = csv.split(/\r?\n/).filter(Boolean);
    const big = file([header, ...Array.from({ length: 300 }, () => rows).flat()].join('\n'), 'province.csv');
    const submitted = await upload('/api/v1/batch/applicant-summary', { file: big, shared, groupBy: 'province', output: 'pdf' });
    expect(submitted.status).toBe(202);
    const id = submitted.json!.id as string;
    // Wait until its documents are on the threads.
    for (let i = 0; i < 200; i++) {
      const job = (await ask(`${service.url}/api/v1/jobs/${id}`)).json as { state: string; progress: { rows: number } };
      if (job.state === 'running' && job.progress.rows > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const res = await postJson(`${service.url}/api/v1/render/external-letter`, letter, RENDER_TIMEOUT_MS + 3000);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(RENDER_TIMEOUT_MS);
    await ask(`${service.url}/api/v1/jobs/${id}`, { method: 'DELETE' });
  });
});

describe('the data folder', () => {
  it('answers a done job whose result file is gone with JSON, and stays up', async () => {
    const csv = readFileSync(join(ROOT, 'examples/batch/applicants-chainat.csv'));
    const submitted = await upload('/api/v1/batch/applicant-summary', { file: file(csv, 'chainat.csv'), output: 'pdf', shared });
    expect(submitted.status).toBe(202);
    const id = submitted.json!.id as string;
    let state = '';
    for (let i = 0; i < 300 && state !== 'done' && state !== 'failed'; i++) {
      state = (await ask(`${service.url}/api/v1/jobs/${id}`)).json!.state as string;
      if (state !== 'done') await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe('done');
    rmSync(join(dataDir, 'jobs', id, 'result'));
    const res = await survives(() => ask(`${service.url}/api/v1/jobs/${id}/result`));
    expect([404, 410]).toContain(res.status);
  });

  it('a second instance on the same data folder refuses to start and the first keeps its jobs', async () => {
    const second = startService({ SARABAN_DATA_DIR: dataDir });
    await expect(second).rejects.toThrow(/SARABAN_DATA_DIR/);
    expect(service.alive()).toBe(true);
    expect(readdirSync(join(dataDir, 'jobs')).length).toBeGreaterThan(0);
  });

  it('starts past an empty job.json (a crash mid-write) and quarantines it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'saraban-corrupt-'));
    try {
      mkdirSync(join(dir, 'jobs', '00000000-0000-4000-8000-000000000000'), { recursive: true });
      writeFileSync(join(dir, 'jobs', '00000000-0000-4000-8000-000000000000', 'job.json'), '');
      const other = await startService({ SARABAN_DATA_DIR: dir });
      try {
        expect((await ask(`${other.url}/healthz`)).status).toBe(200);
        expect((await ask(`${other.url}/api/v1/jobs/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
      } finally {
        await other.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('/readyz shows no file path', async () => {
    const res = await ask(`${service.url}/readyz`);
    expect(JSON.stringify(res.json)).not.toContain(dataDir);
  });
});
