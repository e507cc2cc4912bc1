import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The Debian tools the tests use. `npm test` installs them when it can (root
 * with apt-get); otherwise it fails with the command to run. It never skips:
 * a test that silently does not run hides a defect.
 */
const TOOLS: { command: string; pkg: string }[] = [
  { command: 'pdftotext', pkg: 'poppler-utils' },
  { command: 'pdftoppm', pkg: 'poppler-utils' },
  { command: 'soffice', pkg: 'libreoffice-writer-nogui' },
  // A second Thai font, to check that page geometry does not depend on the font.
  { command: '/usr/share/fonts/truetype/tlwg/Laksaman.ttf', pkg: 'fonts-tlwg-laksaman-ttf' },
  // The browser the end-to-end tests drive (test/e2e/, with playwright-core).
  { command: 'chromium', pkg: 'chromium' },
  // Signed PDFs (test/archive.test.ts): a throwaway CA made with openssl, trusted by pdfsig through an NSS database.
  { command: 'pdfsig', pkg: 'poppler-utils' },
  { command: 'openssl', pkg: 'openssl' },
  { command: 'certutil', pkg: 'libnss3-tools' },
  // The Redis that two service instances share batch jobs through (test/scaleout.test.ts).
  { command: 'redis-server', pkg: 'redis-server' },
];

const has = (cmd: string) => (cmd.startsWith('/') ? existsSync(cmd) : spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0);

export default function setup(): void {
  let missing = TOOLS.filter((t) => !has(t.command));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((t) => t.pkg))];
  const isRoot = process.getuid?.() === 0;
  if (isRoot && has('apt-get')) {
    console.log(`installing ${pkgs.join(' ')} for the tests (apt-get)`);
    execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs.join(' ')} >/dev/null`], { stdio: 'inherit' });
    missing = TOOLS.filter((t) => !has(t.command));
  }
  if (missing.length > 0) {
    throw new Error(`the tests need ${missing.map((t) => t.command).join(', ')}: run  sudo apt-get install -y ${[...new Set(missing.map((t) => t.pkg))].join(' ')}`);
  }
}
