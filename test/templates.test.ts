import { afterEach, describe, expect, it, vi } from 'vitest';
import Handlebars from 'handlebars';
import { compileTemplate, MAX_BLOCK_DEPTH, MAX_INLINE_PARTIALS, MAX_PARTIAL_EXPANSION, RENDER_OUTPUT_LIMIT, RENDER_STEP_LIMIT, TemplateError } from '../src/templates/engine.js';

/** The error a call throws, to look at its line and message. */
function thrown(f: () => unknown): TemplateError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return e as TemplateError;
  }
  return expect.unreachable('no error thrown');
}

/** Milliseconds a call took, so a refusal is shown to be fast, not merely to happen. */
function timed(f: () => unknown): number {
  const started = performance.now();
  try { f(); } catch { /* the caller looks at the error */ }
  return performance.now() - started;
}

describe('template engine', () => {
  it('turns blocks into a document model and escapes any data safely', () => {
    const t = compileTemplate('{"document": {"title": "{{title}}"}}\n{"type": "paragraph", "text": "{{body}}"}\n{"type": "list", "items": [{{strings items}}]}');
    const model = t({ title: 'ชื่อ "เรื่อง"', body: 'บรรทัด\\1\n"2"', items: ['ก', 'ข "ค"'] });
    expect(model.title).toBe('ชื่อ "เรื่อง"');
    expect(model.blocks[0]).toEqual({ type: 'paragraph', text: 'บรรทัด\\1\n"2"' });
    expect(model.blocks[1]).toEqual({ type: 'list', items: ['ก', 'ข "ค"'] });
  });

  it('has Thai helpers', () => {
    const t = compileTemplate('{"type": "paragraph", "text": "{{thaiDate d}} | {{thaiDateEra d}} | {{thaiDateShort d}} | {{formatNumber n 2}} | {{bahtText n}}"}');
    expect(t({ d: '2022-02-17', n: '1000' }).blocks[0]).toEqual({ type: 'paragraph', text: '๑๗ กุมภาพันธ์ ๒๕๖๕ | ๑๗ กุมภาพันธ์ พ.ศ. ๒๕๖๕ | ๑๗ ก.พ. ๖๕ | ๑,๐๐๐.๐๐ | หนึ่งพันบาทถ้วน' });
  });

  it('reports a syntax error with its template line', () => {
    expect(() => compileTemplate('{"type": "paragraph", "text": "a"}\n{{#if x}}\n{"type": "paragraph", "text": "b"}')).toThrow(TemplateError);
  });

  it('reports an invalid block with the line it starts on', () => {
    const t = compileTemplate('{"type": "paragraph", "text": "a"}\n\n{"type": "paragrap", "text": "b"}');
    try {
      t({});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      expect((e as TemplateError).line).toBe(3);
    }
  });

  it('reports broken JSON and stray text with their lines', () => {
    expect(() => compileTemplate('{"type": "paragraph" "text": "a"}')({})).toThrow(/line 1/);
    expect(() => compileTemplate('{"type": "paragraph", "text": "a"}\nstray')({})).toThrow(/line 2/);
  });

  it('gives no access to prototypes, constructors or partials', () => {
    const t = compileTemplate('{"type": "paragraph", "text": "[{{constructor}}][{{__proto__}}][{{x.constructor.name}}]"}');
    expect(t({ x: {} }).blocks[0]).toEqual({ type: 'paragraph', text: '[][][]' });
    // Refused on compiling now, naming the line, instead of on the first render.
    const e = thrown(() => compileTemplate('{"type": "spacer", "height": "1cm"}\n{{> evil}}'));
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/partial "evil" does not exist/);
    expect(thrown(() => compileTemplate('{{> ../../package}}')).message).toMatch(/does not exist/);
    expect(thrown(() => compileTemplate('{{> (lookup . "name")}}')).message).toMatch(/named literally/);
  });

  it('refuses templates over the size limit', () => {
    expect(() => compileTemplate('x'.repeat(300 * 1024))).toThrow(/larger than/);
  });
});

describe('template engine limits (issue 15: no request can stop the service)', () => {
  afterEach(() => { vi.restoreAllMocks(); });
  const spacer = '{"type": "spacer", "height": "1cm"}';
  const hundreds = Array.from({ length: 1000 }, (_, i) => String(i));

  it('refuses inline partials that double at each of 17 levels on compiling, fast, naming the line', () => {
    // The reproduced attack: 865 bytes that ran for 14 minutes.
    let t = '{{#*inline "p0"}}{"type": "paragraph", "text": "x"}{{/inline}}\n';
    for (let i = 1; i <= 17; i++) t += `{{#*inline "p${i}"}}{{> p${i - 1}}}{{> p${i - 1}}}{{/inline}}\n`;
    t += '{{> p17}}\n';
    let e!: TemplateError;
    expect(timed(() => { e = thrown(() => compileTemplate(t)); })).toBeLessThan(2000);
    expect(e.line).toBe(19);
    expect(e.message).toMatch(/nests partials 18 deep/);
    // Six levels are within the depth, but four calls at each level expand to more than the calls allowed.
    let wide = '{{#*inline "q0"}}x{{/inline}}\n';
    for (let i = 1; i <= 5; i++) wide += `{{#*inline "q${i}"}}{{> q${i - 1}}}{{> q${i - 1}}}{{> q${i - 1}}}{{> q${i - 1}}}{{/inline}}\n`;
    wide += '{"type": "paragraph", "text": "{{> q5}}"}\n';
    const w = thrown(() => compileTemplate(wide));
    expect(w.message).toContain(`more than ${MAX_PARTIAL_EXPANSION}`);
    expect(w.line).toBe(7);
    // The nested form redefines one name inside itself: refused as a duplicate.
    let nested = 'x';
    for (let i = 1; i <= 17; i++) nested = `{{#*inline "a"}}${nested}{{/inline}}{{> a}}{{> a}}`;
    expect(thrown(() => compileTemplate(nested)).message).toMatch(/defined twice/);
  });

  it('compiles on loading, so the first render of a heavy template spends its time limit rendering only', () => {
    // Red-team finding: 4,000 #if lines compiled lazily inside the first render, on a cold thread past the 2 s limit.
    const source = Array.from({ length: 4000 }, (_, i) => `{{#if a${i}}}${spacer}{{/if}}`).join('\n');
    const compiler = (Handlebars as unknown as { JavaScriptCompiler: { prototype: { compile: () => unknown } } }).JavaScriptCompiler.prototype;
    const compile = vi.spyOn(compiler, 'compile');
    const template = compileTemplate(source, 'heavy');
    const atLoad = compile.mock.calls.length;
    expect(atLoad).toBeGreaterThan(0);
    expect(template({ a1: true, a3999: true }).blocks).toHaveLength(2);
    expect(compile.mock.calls.length).toBe(atLoad);
  });

  it('refuses recursive partials, too many inline partials and blocks nested too deep', () => {
    expect(thrown(() => compileTemplate('{{#*inline "a"}}{{> b}}{{/inline}}\n{{#*inline "b"}}{{> a}}{{/inline}}\n{{> a}}')).message).toMatch(/calls itself/);
    const many = Array.from({ length: MAX_INLINE_PARTIALS + 1 }, (_, i) => `{{#*inline "p${i}"}}x{{/inline}}`).join('\n');
    const e = thrown(() => compileTemplate(many));
    expect(e.line).toBe(MAX_INLINE_PARTIALS + 1);
    expect(e.message).toContain(`more than ${MAX_INLINE_PARTIALS} inline partials`);
    const deep = '{{#if a}}\n'.repeat(MAX_BLOCK_DEPTH + 1) + '{{/if}}'.repeat(MAX_BLOCK_DEPTH + 1);
    const d = thrown(() => compileTemplate(deep));
    expect(d.line).toBe(MAX_BLOCK_DEPTH + 1);
    expect(d.message).toContain(`nested more than ${MAX_BLOCK_DEPTH} deep`);
    // A long {{else if}} chain is one level, and inline partials and partial blocks still work.
    const chain = compileTemplate(`{{#if a}}${spacer}${'{{else if a}}x'.repeat(30)}{{else}}${spacer}{{/if}}`);
    expect(chain({ a: false }).blocks).toHaveLength(1);
    const box = compileTemplate('{{#*inline "box"}}{"type": "paragraph", "text": "[{{> @partial-block}}]"}{{/inline}}\n{{#> box}}{{name}}{{/box}}');
    expect(box({ name: 'ก' }).blocks[0]).toEqual({ type: 'paragraph', text: '[ก]' });
  });

  it('stops nested loops over the data after the step budget, in well under the time limit, naming the line', () => {
    // The reproduced attack: 1000^4 iterations took 2 GB and kept it.
    const t = compileTemplate(`{"type": "paragraph", "text": "\n{{#each @root.a}}\n{{#each @root.a}}\n{{#each @root.a}}\n{{#each @root.a}}x{{/each}}{{/each}}{{/each}}{{/each}}"}`);
    let e!: TemplateError;
    expect(timed(() => { e = thrown(() => t({ a: hundreds })); })).toBeLessThan(2000);
    expect(e.message).toContain(`stopped after ${RENDER_STEP_LIMIT} steps`);
    expect(e.line).toBe(5);
    // The same through sections ({{#a}}), which loop without the each helper.
    expect(thrown(() => compileTemplate('{{#a}}{{#@root.a}}{{#@root.a}}x{{/@root.a}}{{/@root.a}}{{/a}}')({ a: hundreds })).message).toContain('steps');
    // A loop the size of a real document is far from the budget.
    const rows = compileTemplate('{{#each a}}{"type": "paragraph", "text": "{{formatNumber this 2}} {{thaiDigits @index}}"}\n{{/each}}');
    expect(rows({ a: hundreds }).blocks).toHaveLength(1000);
  });

  it('stops a template that writes too much while it runs, from helpers, data or loops', () => {
    const big = 'ก'.repeat(20_000);
    const limit = `writes more than ${RENDER_OUTPUT_LIMIT} characters`;
    expect(thrown(() => compileTemplate('{"type": "paragraph", "text": "{{#each a}}{{json @root}}{{/each}}"}')({ a: hundreds, big })).message).toContain(limit);
    expect(thrown(() => compileTemplate('{"type": "paragraph", "text": "{{#each a}}{{@root.big}}{{@root.big}}{{/each}}"}')({ a: hundreds, big })).message).toContain(limit);
    expect(thrown(() => compileTemplate(`{"type": "paragraph", "text": "${'{{big}}'.repeat(300)}"}`)({ big })).message).toContain(limit);
  });

  it('stops a template that runs past the time limit at its next step', () => {
    const t = compileTemplate('{{#each a}}{"type": "paragraph", "text": "{{this}}"}\n{{/each}}');
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => (now += 500));
    expect(thrown(() => t({ a: hundreds })).message).toMatch(/took longer than 2000 ms/);
  });

  it('has no log helper: a template cannot write to the service log', () => {
    const forged = '{{log "{\\"path\\":\\"/api/v1/FORGED\\",\\"status\\":200}"}}';
    const e = thrown(() => compileTemplate(`${spacer}\n${forged}`));
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/"log" helper is not available/);
    expect(thrown(() => compileTemplate('{{#log}}x{{/log}}')).message).toMatch(/log/);
    expect(thrown(() => compileTemplate('{{json (log "x")}}')).message).toMatch(/log/);
    expect(thrown(() => compileTemplate('{{nosuch name}}')).message).toMatch(/unknown helper "nosuch"/);
  });

  it('bounds the arguments of formatNumber and bahtText, naming the helper', () => {
    // The reproduced attack: a billion decimals, stored, killed the service at every render.
    const literal = thrown(() => compileTemplate(`${spacer}\n{"type": "paragraph", "text": "{{formatNumber x 999999999}}"}`));
    expect(literal.line).toBe(2);
    expect(literal.message).toMatch(/formatNumber: decimals must be a whole number from 0 to 10/);
    expect(() => compileTemplate('{"type": "paragraph", "text": "{{formatNumber x 2.5}}"}')).toThrow(/formatNumber: decimals/);
    const t = compileTemplate('{"type": "paragraph", "text": "{{formatNumber x d}}"}\n{"type": "paragraph", "text": "{{bahtText x}}"}');
    for (const d of [999999999, -1, 11, 2.5, 'abc']) {
      const e = thrown(() => t({ x: '1', d }));
      expect(e.message).toMatch(/formatNumber: decimals must be a whole number from 0 to 10/);
      expect(e.line).toBe(1);
    }
    expect(thrown(() => t({ x: '1e999999999', d: 2 })).message).toMatch(/formatNumber: the value "1e999999999" is out of range/);
    expect(thrown(() => compileTemplate('{"type": "paragraph", "text": "{{bahtText x}}"}')({ x: 1e300 })).message).toMatch(/bahtText: the value .* is out of range/);
    expect(t({ x: '35220', d: 10 }).blocks).toEqual([{ type: 'paragraph', text: '๓๕,๒๒๐.๐๐๐๐๐๐๐๐๐๐' }, { type: 'paragraph', text: 'สามหมื่นห้าพันสองร้อยยี่สิบบาทถ้วน' }]);
  });
});
