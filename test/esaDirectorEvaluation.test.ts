import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixed, roundHalfUp } from '../src/arith/decimal.js';
import { buildDocument, computeForm, getForm, ValidationError } from '../src/forms/registry.js';
import { bandOf, levelFromPercent, type EsaDirectorScores } from '../src/forms/esa-director-evaluation/compute.js';
import { renderDocument } from '../src/render/index.js';
import { toThaiDigits } from '../src/thai/numerals.js';
import { pdftotext } from './helpers/pdf.js';
import { unzip } from './helpers/zip.js';
import { validationErrors } from './helpers/forms.js';

const EXAMPLES = new URL('../examples/esa-director-evaluation/', import.meta.url).pathname;
const form = getForm('esa-director-evaluation')!;
const example = (file: string) => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));
const compute = (input: unknown) => computeForm(form, input) as EsaDirectorScores;


/** `count` levels (1-4) adding up to `total`: as many 4s as fit, the rest 1s, one level in between. */
function levelsSumming(total: number, count: number): number[] {
  if (total < count || total > 4 * count) throw new Error(`no ${count} levels add up to ${total}`);
  const levels = Array(count).fill(1) as number[];
  let rest = total - count;
  for (let i = 0; i < count && rest > 0; i++) {
    const add = Math.min(3, rest);
    levels[i]! += add;
    rest -= add;
  }
  return levels;
}

interface Column { part1: number; part1Count?: number; part2: [number, number, number]; c2level: number; c3: number }

/**
 * A complete input whose supervisor column is given by raw totals: part 1's
 * raw total over `part1Count` items, part 2's three levels, component 2's
 * level, component 3's raw total. The self column is fixed (all 4s, 100.00),
 * so every supervisor figure below also shows the columns are independent.
 */
function input(sup: Column, extra: Record<string, unknown> = {}) {
  const n = sup.part1Count ?? 15;
  const p1 = levelsSumming(sup.part1, n);
  const c3 = levelsSumming(sup.c3, 10);
  const texts = n === 15 ? {} : null;
  return {
    variant: 'expert', round: 1, fiscalYear: 2565,
    evaluee: { name: 'นายทดสอบ ระบบ', position: 'ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา', salary: '70000', unit: 'สพป.ทดสอบ' },
    evaluator: { name: 'นายผู้ประเมิน ทดสอบ', position: 'เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน' },
    component1: {
      part1: { items: p1.map((level, i) => ({ ...(texts ?? { no: `${i + 1}`, text: `รายการทางการข้อที่ ${i + 1}` }), self: 4, supervisor: level })) },
      part2: {
        method: { self: 4, supervisor: sup.part2[0] },
        quantitative: { self: 4, supervisor: sup.part2[1] },
        qualitative: { self: 4, supervisor: sup.part2[2] },
      },
    },
    component2: { self: { level: 5 }, supervisor: { level: sup.c2level } },
    component3: { items: c3.map((level) => ({ self: 4, supervisor: level })) },
    ...extra,
  };
}

describe('decimal helpers', () => {
  it('round half up, exactly, where binary floating point would not', () => {
    expect((1.005).toFixed(2)).toBe('1.00'); // the float trap the helpers avoid
    expect(fixed('1.005')).toBe('1.01');
    expect(fixed('16.625')).toBe('16.63'); // half up, not half to even (16.62)
    expect(fixed('-0.005')).toBe('-0.01');
    expect(roundHalfUp('59.994').toFixed(2)).toBe('59.99');
    expect(roundHalfUp('59.995').toFixed(2)).toBe('60.00');
  });
});

describe('bands', () => {
  it('are read from the printed (two-decimal, half-up) total', () => {
    const cases: [string, string][] = [
      ['59.99', 'ปรับปรุง'], ['60.00', 'พอใช้'], ['69.99', 'พอใช้'], ['70.00', 'ดี'],
      ['79.99', 'ดี'], ['80.00', 'ดีมาก'], ['89.99', 'ดีมาก'], ['90.00', 'ดีเด่น'],
      ['0', 'ปรับปรุง'], ['100', 'ดีเด่น'], ['89.994', 'ดีมาก'], ['89.995', 'ดีเด่น'],
    ];
    for (const [total, band] of cases) expect(bandOf(total).th, total).toBe(band);
  });

  // Each x.00 boundary through real levels, default list of 15 items (raw x 60 / 60 = raw):
  // part 1 raw R, part 2 levels 2/2/2 (10 + 5 + 5 = 20, x 20 / 40 = 10.00), component 2 level 5 (10.00),
  // component 3 all 4s (40 / 4 = 10.00): total = R + 30.
  it.each([
    [30, '60.00', 'พอใช้'],
    [40, '70.00', 'ดี'],
    [50, '80.00', 'ดีมาก'],
    [60, '90.00', 'ดีเด่น'],
  ])('part 1 raw %i gives the boundary %s (%s) through levels', (raw, total, band) => {
    const r = compute(input({ part1: raw, part2: [2, 2, 2], c2level: 5, c3: 40 }));
    expect(r.supervisor.total).toBe(total);
    expect(r.supervisor.band.th).toBe(band);
    expect(r.band.th).toBe(band);
    expect(r.self.total).toBe('100.00');
    expect(r.self.band.th).toBe('ดีเด่น');
  });

  // The x.99 side: with 15 items every total is a multiple of 0.25, so x.99 needs an item count
  // whose conversion leaves .24: a year's official list of 17 items, raw R gives R x 60 / 68
  // = 15R / 17, e.g. 32 -> 28.2353 -> 28.24. Then component 2 level 5 (10.00) and component 3
  // raw 37 (9.25) add .25, and part 2 closes the gap:
  //   59.99 = 28.24 (raw 32) + 12.50 (levels 2/3/3: 10 + 7.5 + 7.5 = 25) + 10.00 + 9.25
  //   69.99 = 43.24 (raw 49: 735/17 = 43.235) + 7.50 (levels 1/2/2: 5 + 5 + 5 = 15) + 10.00 + 9.25
  //   79.99 = 43.24 (raw 49) + 17.50 (levels 4/3/3: 20 + 7.5 + 7.5 = 35) + 10.00 + 9.25
  //   89.99 = 58.24 (raw 66: 990/17 = 58.235) + 12.50 (levels 2/3/3) + 10.00 + 9.25
  it.each([
    [32, [2, 3, 3], '28.24', '59.99', 'ปรับปรุง'],
    [49, [1, 2, 2], '43.24', '69.99', 'พอใช้'],
    [49, [4, 3, 3], '43.24', '79.99', 'ดี'],
    [66, [2, 3, 3], '58.24', '89.99', 'ดีมาก'],
  ] as const)('17 official items, raw %i and part 2 levels %j reach %s -> %s (%s)', (raw, part2, part1Score, total, band) => {
    const r = compute(input({ part1: raw, part1Count: 17, part2: [...part2], c2level: 5, c3: 37 }));
    expect(r.supervisor.component1.part1).toEqual({ itemCount: 17, total: fixed(raw), maximum: '68.00', score: part1Score });
    expect(r.supervisor.total).toBe(total);
    expect(r.supervisor.band.th).toBe(band);
  });

  it('puts the nearest totals of the default list on either side of each boundary', () => {
    // 59.75 = 30 + 10 + 10 + 9.75 (component 3 raw 39): the closest a 15-item list gets below 60.00.
    const below = compute(input({ part1: 30, part2: [2, 2, 2], c2level: 5, c3: 39 }));
    expect([below.supervisor.total, below.supervisor.band.th]).toEqual(['59.75', 'ปรับปรุง']);
    const above = compute(input({ part1: 39, part2: [2, 2, 2], c2level: 5, c3: 40 }));
    expect([above.supervisor.total, above.supervisor.band.th]).toEqual(['69.00', 'พอใช้']);
  });
});

describe('conversions', () => {
  it('part 1: raw x 60 / (4 x n), rounded half up to two decimals', () => {
    const at = (raw: number, n: number) => compute(input({ part1: raw, part1Count: n, part2: [4, 4, 4], c2level: 5, c3: 40 })).supervisor.component1.part1;
    expect(at(53, 15)).toMatchObject({ total: '53.00', maximum: '60.00', score: '53.00' });
    expect(at(11, 8).score).toBe('20.63'); // 660 / 32 = 20.625: half up (half-even would print 20.62)
    expect(at(20, 13).score).toBe('23.08'); // 1200 / 52 = 23.0769...
    expect(at(13, 13).score).toBe('15.00'); // all level 1
    expect(at(52, 13).score).toBe('60.00'); // all level 4
  });

  it('part 2: 20/15/10/5 and 10/7.5/5/2.5 by level, total x 20 / 40', () => {
    const part2 = (levels: [number, number, number]) => compute(input({ part1: 60, part2: levels, c2level: 5, c3: 40 })).supervisor.component1.part2;
    expect(part2([4, 4, 4])).toMatchObject({ method: { level: 4, score: '20.00' }, quantitative: { score: '10.00' }, total: '40.00', score: '20.00' });
    expect(part2([3, 3, 3])).toMatchObject({ method: { score: '15.00' }, quantitative: { score: '7.50' }, total: '30.00', score: '15.00' });
    expect(part2([2, 1, 2])).toMatchObject({ method: { score: '10.00' }, quantitative: { score: '2.50' }, qualitative: { score: '5.00' }, total: '17.50', score: '8.75' });
    expect(part2([1, 1, 1])).toMatchObject({ total: '10.00', score: '5.00' });
  });

  it('component 1 is part 1 + part 2 of the printed values', () => {
    const r = compute(input({ part1: 20, part1Count: 13, part2: [3, 3, 2], c2level: 5, c3: 40 }));
    expect(r.supervisor.component1.part1.score).toBe('23.08');
    expect(r.supervisor.component1.part2.score).toBe('13.75'); // (15 + 7.5 + 5) x 20 / 40
    expect(r.supervisor.component1.score).toBe('36.83');
  });

  it('component 2: level from the percentage at each threshold, score = level x 2', () => {
    const cases: [string, number][] = [
      ['0', 1], ['19.99', 1], ['19.995', 1], ['20.00', 2], ['39.99', 2], ['40', 3],
      ['59.99', 3], ['60.00', 4], ['79.99', 4], ['80.00', 5], ['100', 5],
    ];
    for (const [percent, level] of cases) {
      expect(levelFromPercent(percent), percent).toBe(level);
      const r = compute({ ...input({ part1: 60, part2: [4, 4, 4], c2level: 5, c3: 40 }), component2: { self: { percent }, supervisor: { level: 3 } } });
      expect(r.self.component2, percent).toMatchObject({ level, weight: 2, score: fixed(level * 2) });
      expect(r.supervisor.component2).toEqual({ percent: null, level: 3, weight: 2, score: '6.00' });
    }
    // A percentage with more decimals than the form prints is printed as given, never rounded into the next range.
    const r = compute({ ...input({ part1: 60, part2: [4, 4, 4], c2level: 5, c3: 40 }), component2: { self: { percent: '19.995' }, supervisor: { percent: 80 } } });
    expect(r.self.component2.percent).toBe('19.995');
    expect(r.supervisor.component2.percent).toBe('80.00');
  });

  it('component 3: total / 4', () => {
    const c3 = (raw: number) => compute(input({ part1: 60, part2: [4, 4, 4], c2level: 5, c3: raw })).supervisor.component3;
    expect(c3(40)).toEqual({ total: '40.00', score: '10.00' });
    expect(c3(37)).toEqual({ total: '37.00', score: '9.25' });
    expect(c3(10)).toEqual({ total: '10.00', score: '2.50' });
  });

  it('returns every number as a string with two decimals, levels and counts as integers', () => {
    const r = compute(example('expert-round1-2565.json'));
    const walk = (value: unknown, path: string): void => {
      if (typeof value === 'number') expect(['level', 'weight', 'itemCount', 'number', 'fiscalYear'], path).toContain(path.split('.').pop());
      else if (typeof value === 'string' && /^-?\d/.test(value) && !/^\d{4}-\d{2}-\d{2}$/.test(value) && !path.endsWith('totalDays')) expect(value, path).toMatch(/^\d+\.\d{2}$/);
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
    };
    walk(r, '');
    expect(r.self.total).toBe('96.75');
    expect(r.supervisor.total).toBe('86.50');
    expect([r.self.band.th, r.supervisor.band.th, r.band.th]).toEqual(['ดีเด่น', 'ดีมาก', 'ดีมาก']);
    expect(r.round).toEqual({ number: 1, fiscalYear: 2565, from: '2021-10-01', to: '2022-03-31' });
    expect(r.leave.totalDays).toBe('5.5');
  });

  it('takes the fiscal year in either era and dates round 2 within it', () => {
    const base = input({ part1: 60, part2: [4, 4, 4], c2level: 5, c3: 40 });
    expect(compute({ ...base, round: 2, fiscalYear: 2022 }).round).toEqual({ number: 2, fiscalYear: 2565, from: '2022-04-01', to: '2022-09-30' });
  });
});

describe('years and counts as a clerk types them', () => {
  it('reads ๒๕๖๕, " 2565 " and ๒ as the numbers they are, and refuses what is no whole number at its field', () => {
    const typed = example('expert-round1-2565.json');
    typed.fiscalYear = '๒๕๖๕';
    typed.leave = { sick: { times: '๒', days: '๓' }, personal: { times: ' 1 ', days: '1' } };
    const numbers = example('expert-round1-2565.json');
    numbers.leave = { sick: { times: 2, days: '3' }, personal: { times: 1, days: '1' } };
    expect(compute(typed)).toEqual(compute(numbers));
    expect(compute(typed).round.fiscalYear).toBe(2565);

    const bad = example('expert-round1-2565.json');
    bad.fiscalYear = '๒๕๖x';
    bad.leave = { sick: { times: '1.5', days: '1' } };
    const errors = validationErrors(() => compute(bad));
    expect(errors.map((e) => e.path).sort()).toEqual(['fiscalYear', 'leave.sick.times']);
    expect(errors[0]!.th).toMatch(/[\u0e00-\u0e7f]/);
    expect(errors[0]!.en).toMatch(/[a-z]/);
  });
});

describe('rejections name the item', () => {
  const ok = () => input({ part1: 50, part2: [3, 3, 3], c2level: 4, c3: 35 });

  it('levels out of range, missing levels and missing items', () => {
    const data = ok();
    data.component3.items[4]!.supervisor = 5;
    data.component1.part1.items[3]!.self = 0;
    (data.component1.part2.method as { self?: number }).self = undefined;
    data.component1.part2.quantitative.supervisor = 2.5;
    const errors = validationErrors(() => compute(data));
    expect(errors.map((e) => e.path).sort()).toEqual([
      'component1.part1.items[3].self',
      'component1.part2.method.self',
      'component1.part2.quantitative.supervisor',
      'component3.items[4].supervisor',
    ]);
    for (const e of errors) {
      expect(e.th).toMatch(/[\u0e00-\u0e7f]/);
      expect(e.en).toMatch(/[a-z]/);
    }
    expect(errors.find((e) => e.path === 'component3.items[4].supervisor')!.en).toContain('1 to 4');

    const nine = ok();
    nine.component3.items.pop();
    expect(validationErrors(() => compute(nine)).map((e) => e.path)).toEqual(['component3.items']);
  });

  it('percentages outside 0-100, and a component 2 with neither percentage nor level', () => {
    const over = { ...ok(), component2: { self: { percent: '100.01' }, supervisor: { percent: -1 } } };
    expect(validationErrors(() => compute(over)).map((e) => e.path).sort()).toEqual(['component2.self.percent', 'component2.supervisor.percent']);
    const none = { ...ok(), component2: { self: {}, supervisor: { level: 6 } } };
    expect(validationErrors(() => compute(none)).map((e) => e.path).sort()).toEqual(['component2.self.level', 'component2.supervisor.level']);
  });

  it('a level that contradicts its percentage', () => {
    const data = { ...ok(), component2: { self: { percent: '79.99', level: 5 }, supervisor: { percent: '80', level: 5 } } };
    const errors = validationErrors(() => compute(data));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'component2.self.level' });
    expect(errors[0]!.en).toContain('level 4');
  });

  it('a short list without texts, which would borrow the default texts', () => {
    const data = ok();
    data.component1.part1.items.pop();
    const errors = validationErrors(() => compute(data));
    expect(errors.map((e) => e.path)).toEqual(['component1.part1.items']);
    expect(errors[0]!.en).toContain('15');
  });

  it('never throws anything but ValidationError for bad input', () => {
    expect(validationErrors(() => buildDocument(form, { ...ok(), variant: 'senior' })).map((e) => e.path)).toEqual(['variant']);
  });
});

describe('the rendered form', () => {
  let layout: string[];
  let docx: string;
  beforeAll(async () => {
    const built = buildDocument(form, example('expert-round1-2565.json'));
    layout = pdftotext(await renderDocument(built.model, 'pdf', built.options), ['-layout']).split('\n');
    docx = unzip(await renderDocument(built.model, 'docx', built.options)).get('word/document.xml')!.toString('utf8');
  }, 60_000);

  const line = (re: RegExp) => {
    const found = layout.filter((l) => re.test(l));
    expect(found.length, String(re)).toBeGreaterThan(0);
    return found;
  };
  const th = (s: string) => toThaiDigits(s).replace(/\./g, '\\.');

  it('prints the summary table: full marks, self and supervisor scores in their cells, in Thai numerals', () => {
    expect(line(/^\s*องค์ประกอบที่ ๑ การประเมินประสิทธิภาพและ\s{5,}/)[0]).toMatch(new RegExp(`${th('80')}\\s+${th('76.75')}\\s+${th('69.25')}\\s*$`));
    expect(line(/^\s*องค์ประกอบที่ ๒ การประเมินการมีส่วนร่วมใน/)[0]).toMatch(new RegExp(`${th('10')}\\s+${th('10.00')}\\s+${th('8.00')}\\s*$`));
    expect(line(/^\s*องค์ประกอบที่ ๓ การประเมินการปฏิบัติตน/)[0]).toMatch(new RegExp(`${th('10')}\\s+${th('10.00')}\\s+${th('9.25')}\\s*$`));
    expect(line(/^\s*คะแนนรวม\s+๑๐๐\s/)[0]).toMatch(new RegExp(`${th('96.75')}\\s+${th('86.50')}\\s*$`));
  });

  it('heads part 1 with the seed\'s wording and breaks component 2\'s weight and score headers between words', () => {
    line(/^\s*ส่วนที่ ๑ : ข้อมูลของผู้ขอรับการประเมิน\s*$/);
    // Each header word on a line of its own, in both sides' columns (side by side in the text).
    line(/ระดับการประเมิน\s+ค่า\s+คะแนน\s+ระดับการประเมิน\s+ค่า\s+คะแนน\s*$/);
    line(/\(ก\)\s+น้ำหนัก\s+ที่ได้\s+\(ก\)\s+น้ำหนัก\s+ที่ได้\s*$/);
    line(/\(ข\)\s+\(ก x ข\)\s+.*\(ข\)\s+\(ก x ข\)\s*$/);
  });

  it('ticks the supervisor\'s band and the round', () => {
    const ticked = line(/☑/);
    expect(ticked.some((l) => /☑ ดีมาก \(ร้อยละ ๘๐\.๐๐ - ๘๙\.๙๙\)/.test(l))).toBe(true);
    expect(ticked.some((l) => /ดีเด่น/.test(l))).toBe(false);
    expect(ticked.some((l) => /☑ ครั้งที่ ๑ \(๑ ตุลาคม ๒๕๖๔ - ๓๑ มีนาคม ๒๕๖๕\)/.test(l))).toBe(true);
  });

  it('prints each conversion with its numbers', () => {
    line(/การคำนวณ: ผู้รับการประเมิน ๕๘\.๐๐ x ๖๐ \/ ๖๐ = ๕๘\.๐๐ ผู้บังคับบัญชา ๕๓\.๐๐ x ๖๐ \/ ๖๐ = ๕๓\.๐๐/);
    line(/การคำนวณ: ผู้รับการประเมิน ๓๗\.๕๐ x ๒๐ \/ ๔๐ = ๑๘\.๗๕ ผู้บังคับบัญชา ๓๒\.๕๐ x ๒๐ \/ ๔๐ = ๑๖\.๒๕/);
    line(/การคำนวณ: ผู้รับการประเมิน ๕ x ๒ = ๑๐\.๐๐ ผู้บังคับบัญชา ๔ x ๒ = ๘\.๐๐/);
    line(/การคำนวณ: ผู้รับการประเมิน ๔๐\.๐๐ \/ ๔ = ๑๐\.๐๐ ผู้บังคับบัญชา ๓๗\.๐๐ \/ ๔ = ๙\.๒๕/);
    line(/คะแนนประเมิน = \(คะแนนรวม x ๒๐\) \/ ๔๐/);
    // Part 1's formula stands whole on its own line, as the others do (it used to break inside its parentheses).
    line(/^\s*คะแนนประเมิน = \(คะแนนรวม x ๖๐\) \/ \(๔ x ๑๕\)\s*$/);
    // The converted rows of the component tables carry both columns' scores.
    expect(line(/^\s*แปลงคะแนนรวมเป็นคะแนนระดับความสำเร็จในการพัฒนางานตาม\s/)[0]).toMatch(/๕๘\.๐๐\s+๕๓\.๐๐\s*$/);
    expect(line(/^\s*แปลงคะแนนรวมเป็นคะแนนระดับความสำเร็จในการพัฒนา\s/)[0]).toMatch(/๑๘\.๗๕\s+๑๖\.๒๕\s*$/);
    expect(line(/^\s*แปลงคะแนนรวมเป็นคะแนนการประเมินการปฏิบัติตน/)[0]).toMatch(/๑๐\.๐๐\s+๙\.๒๕\s*$/);
  });

  it('ticks levels with ✓ in the level cells, self before supervisor', () => {
    // Component 2: self level 5 then weight 2 and score; supervisor level 4, then 2 and 8.00.
    expect(line(/ความสำเร็จของงานที่ได้รับมอบ/)[0]).toMatch(/✓\s+๒\s+๑๐\.๐๐\s+✓\s+๒\s+๘\.๐๐\s*$/);
    // Component 3 item 3: self 4, supervisor 3; item 1: both 4. The gap after the supervisor's tick is the empty level-4 cell.
    const item1 = line(/^\s*๑\s+ยึดมั่นในสถาบันหลัก/)[0]!;
    const item3 = line(/^\s*๓\s+มีความกล้าคิด/)[0]!;
    expect(item1.match(/✓/g)).toHaveLength(2);
    expect(item3.match(/✓/g)).toHaveLength(2);
    expect(item3.lastIndexOf('✓')).toBeLessThan(item1.lastIndexOf('✓'));
    expect(item3.indexOf('✓')).toBe(item1.indexOf('✓'));
  });

  it('puts the same numbers in the DOCX', () => {
    for (const n of ['96.75', '86.50', '69.25', '76.75', '18.75', '16.25', '9.25']) expect(docx, n).toContain(toThaiDigits(n));
    expect(docx).toContain('✓');
    expect(docx).toContain('☑ ดีมาก');
  });
});

describe('variants and the official item list', () => {
  it('prints the rank line of each variant', () => {
    const title = (variant: string) => JSON.stringify(buildDocument(form, { ...example('expert-round1-2565.json'), variant }).model.blocks.slice(0, 3));
    expect(title('expert')).toContain('วิทยฐานะผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาเชี่ยวชาญ');
    expect(title('expert')).toContain('เอกสารหมายเลข 10/1');
    expect(title('not-expert')).toContain('ยังไม่มีวิทยฐานะผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาเชี่ยวชาญ');
    expect(title('not-expert')).toContain('เอกสารหมายเลข 10/2');
  });

  it('uses the request\'s item texts instead of the default list, and prints n in the conversion', async () => {
    const data = input({ part1: 32, part1Count: 17, part2: [2, 3, 3], c2level: 5, c3: 37 });
    const built = buildDocument(form, data);
    const text = pdftotext(await renderDocument(built.model, 'pdf', built.options), ['-layout']);
    expect(text).toContain('รายการทางการข้อที่ ๑๗');
    expect(text).not.toContain('พัฒนาระบบประกันคุณภาพการศึกษา');
    expect(text).toMatch(/ผู้บังคับบัญชา ๓๒\.๐๐ x ๖๐ \/ ๖๘ = ๒๘\.๒๔/);
    expect(text).toMatch(/^\s*คะแนนรวม\s+๑๐๐\s+๑๐๐\.๐๐\s+๕๙\.๙๙\s*$/m);
  }, 60_000);

  it('the refused-acknowledgement example ticks the refusal and names the witness', async () => {
    const built = buildDocument(form, example('not-expert-round2-2565-refused.json'));
    const text = pdftotext(await renderDocument(built.model, 'pdf', built.options), ['-layout']);
    expect(text).toMatch(/☑ ได้แจ้งผลการประเมินเมื่อวันที่ ๑๐ ตุลาคม ๒๕๖๕ แล้ว/);
    expect(text).toMatch(/☐ ได้แจ้งผลการประเมินและผู้รับการประเมินได้ลงนามรับทราบแล้ว/);
    expect(text).toContain('(นางวันดี พยานงาน)');
    expect(text).toMatch(/☑ ดี \(ร้อยละ ๗๐\.๐๐ - ๗๙\.๙๙\)/);
    expect(text).toMatch(/☑ ครั้งที่ ๒ \(๑ เมษายน ๒๕๖๕ - ๓๐ กันยายน ๒๕๖๕\)/);
  }, 60_000);
});

describe('component 2 percentage that is not a number', () => {
  it('is a field error, not a crash of the refinement that compares it with 100', () => {
    const example = JSON.parse(readFileSync(join(new URL('..', import.meta.url).pathname, 'examples/esa-director-evaluation/expert-round1-2565.json'), 'utf8')) as { component2: { self: Record<string, unknown> } } & Record<string, unknown>;
    const input = { ...example, component2: { ...example.component2, self: { percent: 'ก'.repeat(100) } } };
    const form = getForm('esa-director-evaluation')!;
    expect(() => computeForm(form, input)).toThrow(ValidationError);
    try { computeForm(form, input); } catch (e) {
      expect((e as ValidationError).errors.map((x) => x.path)).toContain('component2.self.percent');
    }
  });
});
