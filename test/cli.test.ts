import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('renders every example to PDF and DOCX, format from the extension or --format', () => {
    const dir = tempDir();
    for (const form of ['external-letter', 'memo', 'stamped-letter', 'announcement', 'order']) {
      const examples = join(root, 'examples', form);
      for (const file of execFileSync('ls', [examples], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.json'))) {
        const pdf = join(dir, `${form}-${file}.pdf`);
        expect(cli(['render', form, join(examples, file), '-o', pdf]).status, `${form}/${file}`).toBe(0);
        expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
        const docx = join(dir, `${form}-${file}.out`);
        expect(cli(['render', form, join(examples, file), '-o', docx, '--format', 'docx']).status).toBe(0);
        expect(readFileSync(docx).subarray(0, 2).toString()).toBe('PK');
      }
    }
  });

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
});
