import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { pdftotext, stripSpace, tempDir } from './helpers/pdf.js';

const root = new URL('..', import.meta.url).pathname;
const cli = (args: string[]) => spawnSync('node', [join(root, 'bin/saraban.js'), ...args], { encoding: 'utf8', cwd: root });

describe('saraban CLI', () => {
  beforeAll(() => {
    // The bin runs the compiled code, as after `npm ci`.
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' });
  });

  it('lists the forms', () => {
    const r = cli(['forms']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('external-letter');
    expect(r.stdout).toContain('หนังสือภายนอก');
  });

  it('renders the examples of two forms to PDF and DOCX, format from the extension or --format', () => {
    const dir = tempDir();
    for (const form of ['external-letter', 'esa-director-evaluation']) {
      const file = readdirSync(join(root, 'examples', form)).filter((f) => f.endsWith('.json') && f !== 'shared.json')[0]!;
      const pdf = join(dir, `${form}.pdf`);
      expect(cli(['render', form, join(root, 'examples', form, file), '-o', pdf]).status, form).toBe(0);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      const docx = join(dir, `${form}.out`);
      expect(cli(['render', form, join(root, 'examples', form, file), '-o', docx, '--format', 'docx']).status).toBe(0);
      expect(readFileSync(docx).subarray(0, 2).toString()).toBe('PK');
    }
  });

  it('renders an example of every form to PDF and DOCX (the CLI code in this process: a process per file is too slow)', async () => {
    const { main } = await import('../src/cli.js');
    const dir = tempDir();
    const forms = readdirSync(join(root, 'examples')).filter((f) => f !== 'batch');
    expect(forms.length).toBeGreaterThanOrEqual(18);
    for (const form of forms) {
      const file = readdirSync(join(root, 'examples', form)).filter((f) => f.endsWith('.json') && f !== 'shared.json')[0]!;
      for (const format of ['pdf', 'docx']) {
        const out = join(dir, `${form}.${format}`);
        await main(['render', form, join(root, 'examples', form, file), '-o', out]);
        expect(readFileSync(out).subarray(0, 2).toString(), `${form} ${format}`).toBe(format === 'pdf' ? '%P' : 'PK');
      }
    }
  }, 240_000);

  it('reports invalid data in Thai and English, exits non-zero, and writes no file', () => {
    const dir = tempDir();
    const data = join(dir, 'bad.json');
    writeFileSync(data, JSON.stringify({ number: 'x' }));
    const out = join(dir, 'out.pdf');
    const r = cli(['render', 'external-letter', data, '-o', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('subject');
    expect(r.stderr).toContain('ต้องกรอกข้อมูลนี้');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.part`)).toBe(false);
  });

  it('renders the OBEC letter with its text intact', () => {
    const dir = tempDir();
    const out = join(dir, 'obec.pdf');
    expect(cli(['render', 'external-letter', join(root, 'examples/external-letter/obec-salary-increment-2565.json'), '-o', out]).status).toBe(0);
    const text = stripSpace(pdftotext(readFileSync(out)));
    expect(text).toContain('ด่วนที่สุด');
    expect(text).toContain('ศธ๐๔๐๐๙/ว๑๐๗๕');
    expect(text).toContain('(นายเทอดชาติชัยพงษ์)');
  });

  it('prints the computed scores as JSON, the same the API returns', () => {
    const example = join(root, 'examples/esa-director-evaluation/expert-round1-2565.json');
    const r = cli(['compute', 'esa-director-evaluation', example]);
    expect(r.status, r.stderr).toBe(0);
    const computed = JSON.parse(r.stdout);
    expect(computed.supervisor.total).toMatch(/^\d+\.\d\d$/);
    expect(computed.supervisor.band.th).toBeTruthy();
    const dir = tempDir();
    const bad = join(dir, 'bad.json');
    const data = JSON.parse(readFileSync(example, 'utf8'));
    data.component3.items[4].supervisor = 5;
    writeFileSync(bad, JSON.stringify(data));
    const b = cli(['compute', 'esa-director-evaluation', bad]);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('component3.items[4].supervisor');
  });

  it('runs a batch from the compiled build: worker threads, progress on stderr, the merged PDF written whole', () => {
    const dir = tempDir();
    const shared = join(dir, 'shared.json');
    writeFileSync(shared, JSON.stringify({ round: { month: 'เมษายน', year: 2569 } }));
    const out = join(dir, 'province.pdf');
    // A V8 option on the command line, as operators set one: worker threads refuse such options, so the pool must not pass them on.
    const r = spawnSync('node', ['--max-old-space-size=1024', join(root, 'bin/saraban.js'), 'batch', 'applicant-summary', join(root, 'examples/batch/applicants-chainat.csv'), '--shared', shared, '-o', out], { encoding: 'utf8', cwd: root });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/documents, \d+ pages, \d+ rows/);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    expect(existsSync(`${out}.part`)).toBe(false);
  });

  it('prints one form\'s fields and the headers its batch files may use; an unknown id fails', () => {
    const r = cli(['forms', 'applicant-summary']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('แบบสรุปรายชื่อผู้ยื่นคำขอเลื่อนวิทยฐานะ');
    expect(r.stdout).toMatch(/name \*: ชื่อ - สกุล \| ชื่อ-สกุล/);
    expect(r.stdout).toMatch(/salary \*: .*เงินเดือน \(บาท\)/);
    expect(r.stdout).toContain('examples/applicant-summary/shared.json');
    expect(cli(['forms', 'submission-schedule']).stdout).toContain('17/02/2565');
    const bad = cli(['forms', 'no-such-form']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('no-such-form');
  });

  it('runs a shipped sample with its shared.json, and maps an unknown header with --map key=Header or --map map.json', () => {
    const dir = tempDir();
    const sample = join(root, 'examples/applicant-summary/sample.csv');
    const shared = join(root, 'examples/applicant-summary/shared.json');
    const ok = cli(['batch', 'applicant-summary', sample, '--shared', shared, '-o', join(dir, 'a.zip')]);
    expect(ok.status, ok.stderr).toBe(0);
    // The sample's totals row is reported once as skipped, not as a bad row.
    expect(ok.stderr).toMatch(/แถว\/row \d+: แถวรวมยอด/);
    expect(ok.stderr).not.toContain('bad rows left out');
    // The same file with a name header no list knows: refused, then taken with the mapping.
    const odd = join(dir, 'odd.csv');
    writeFileSync(odd, iconv.encode(iconv.decode(readFileSync(sample), 'windows874').replace('ชื่อ - สกุล', 'ครูผู้ขอ'), 'windows874'));
    const refused = cli(['batch', 'applicant-summary', odd, '--shared', shared, '-o', join(dir, 'b.zip')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('"ครูผู้ขอ"');
    const mapped = cli(['batch', 'applicant-summary', odd, '--shared', shared, '--map', 'name=ครูผู้ขอ', '-o', join(dir, 'c.zip')]);
    expect(mapped.status, mapped.stderr).toBe(0);
    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify({ name: 'ครูผู้ขอ' }));
    expect(cli(['batch', 'applicant-summary', odd, '--shared', shared, '--map', map, '-o', join(dir, 'd.zip')]).status).toBe(0);
    const wrong = cli(['batch', 'applicant-summary', odd, '--shared', shared, '--map', 'teacher=ครูผู้ขอ', '-o', join(dir, 'e.zip')]);
    expect(wrong.stderr).toContain('teacher');
  });
});
