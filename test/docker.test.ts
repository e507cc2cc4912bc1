import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Docker cannot run on the build machines: check what can be checked without
 * it. Everything the image copies exists, it runs as a non-root user with a
 * health check, and its start command is the one `npm start` runs (tested by
 * the server tests in operations.test.ts).
 */
const root = new URL('..', import.meta.url).pathname;
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

describe('Dockerfile', () => {
  it('copies only files that exist in the repository or the build stage', () => {
    const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1));
    expect(copies.length).toBeGreaterThan(5);
    for (const source of copies) expect(existsSync(join(root, source)), source).toBe(true);
    // What the build stage copies out is what `npm run build` writes.
    expect(dockerfile).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(readFileSync(join(root, 'tsconfig.json'), 'utf8')).toMatch(/"outDir": "dist"/);
  });

  it('runs as a non-root user, with a health check on readiness, the fonts, and the start command of npm start', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\/readyz/m);
    expect(dockerfile).toMatch(/^COPY fonts \.\/fonts$/m);
    const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start as string;
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd.join(' ')).toBe(start);
    expect(existsSync(join(root, 'fonts', 'Sarabun-Regular.ttf'))).toBe(true);
  });
});
