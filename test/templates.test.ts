import { describe, expect, it } from 'vitest';
import { compileTemplate, TemplateError } from '../src/templates/engine.js';

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
    expect(() => compileTemplate('{{> evil}}')({})).toThrow(TemplateError);
  });

  it('refuses templates over the size limit', () => {
    expect(() => compileTemplate('x'.repeat(300 * 1024))).toThrow(/larger than/);
  });
});
