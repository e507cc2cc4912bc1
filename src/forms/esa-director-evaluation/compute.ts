import { dec, Decimal, fixed, roundHalfUp, sum } from '../../arith/decimal.js';
import { ValidationError, type FieldError } from '../../validation.js';
import type { EsaDirectorEvaluation } from './schema.js';
import ITEMS from './items.json' with { type: 'json' };

/**
 * The arithmetic of the ESA-director evaluation (seed 004, 10/1 and 10/2),
 * exact in decimal.js, for the self and supervisor columns independently.
 *
 * Rounding rule: the forms print two decimals. A printed score is its exact
 * value rounded half up to two decimals, once, where it is printed; a sum on
 * the form adds the printed values (so the paper always adds up). Only
 * component 1 part 1 (raw x 60 / (4 x n)) can need rounding; every other
 * conversion is exact in two decimals (x 20 / 40 of multiples of 2.5 gives
 * multiples of 1.25; total / 4 gives quarters; level x 2 is whole).
 */

export type Side = 'self' | 'supervisor';
export const SIDES: readonly Side[] = ['self', 'supervisor'];

export const DEFAULT_ITEMS = ITEMS;

/** Full marks printed on the forms. */
export const FULL = { part1: 60, part2: 20, component1: 80, component2: 10, component3: 10, total: 100 } as const;
/** Component 2: คะแนนที่ได้ = ระดับการประเมิน x ค่าน้ำหนัก. */
export const COMPONENT2_WEIGHT = 2;

export const BANDS = [
  { id: 'excellent', th: 'ดีเด่น', min: '90.00', range: 'ร้อยละ 90.00 ขึ้นไป' },
  { id: 'very-good', th: 'ดีมาก', min: '80.00', range: 'ร้อยละ 80.00 - 89.99' },
  { id: 'good', th: 'ดี', min: '70.00', range: 'ร้อยละ 70.00 - 79.99' },
  { id: 'fair', th: 'พอใช้', min: '60.00', range: 'ร้อยละ 60.00 - 69.99' },
  { id: 'improve', th: 'ปรับปรุง', min: '0.00', range: 'ร้อยละ 59.99 ลงมา' },
] as const;
export type Band = (typeof BANDS)[number];

/**
 * The band of a total as the form prints it: the total is first rounded half
 * up to two decimals (89.995 prints 90.00 and is ดีเด่น), then placed.
 */
export function bandOf(total: Decimal.Value): Band {
  const printed = roundHalfUp(total);
  return BANDS.find((b) => printed.greaterThanOrEqualTo(b.min)) ?? BANDS[BANDS.length - 1]!;
}

/**
 * Component 2 level from the percentage of assigned work completed. The form
 * prints ranges to two decimals (<= 19.99, 20.00-39.99, ...); a percentage
 * written with more decimals is placed by the lower bounds, so 19.995 is
 * still level 1 (below 20.00).
 */
export function levelFromPercent(percent: Decimal.Value): 1 | 2 | 3 | 4 | 5 {
  const p = dec(percent);
  if (p.lessThan(20)) return 1;
  if (p.lessThan(40)) return 2;
  if (p.lessThan(60)) return 3;
  if (p.lessThan(80)) return 4;
  return 5;
}

/** Part 2 points of a level: 20/15/10/5 on the 20-point item, 10/7.5/5/2.5 on a 10-point item. */
export function challengePoints(level: number, fullMarks: 10 | 20): Decimal {
  return dec(level).times(fullMarks).dividedBy(4);
}

export interface Part1Item { no: string; text: string; self: number; supervisor: number }
export interface Area { no: string; text: string }

/**
 * Component 1 part 1's item list: the request's texts when it gives them (the
 * year's official list), else the default list of items.json by position. A
 * list without texts must have exactly as many items as the default list, so
 * that a short list never borrows the wrong texts silently.
 */
export function resolvePart1(data: EsaDirectorEvaluation): { items: Part1Item[]; areas: Area[] } {
  const given = data.component1.part1.items;
  const defaults = ITEMS.component1Part1.items;
  const errors: FieldError[] = [];
  if (given.some((i) => i.text === undefined) && given.length !== defaults.length) {
    errors.push({
      path: 'component1.part1.items',
      th: `รายการที่ไม่ระบุข้อความจะใช้รายการเริ่มต้น ซึ่งมี ${defaults.length} ข้อ: ส่งให้ครบ ${defaults.length} ข้อ หรือระบุข้อความ (text) ทุกข้อ`,
      en: `items without text take the default list, which has ${defaults.length} items: send ${defaults.length} items or give every item its text`,
    });
  }
  if (errors.length) throw new ValidationError(errors);
  const items = given.map((item, i) => ({
    no: item.no ?? (item.text === undefined ? defaults[i]!.no : String(i + 1)),
    text: item.text ?? defaults[i]!.text,
    self: item.self,
    supervisor: item.supervisor,
  }));
  const areas = data.component1.part1.areas ?? ITEMS.component1Part1.areas.map(({ no, text }) => ({ no, text }));
  return { items, areas };
}

export interface ColumnScores {
  component1: {
    part1: { itemCount: number; total: string; maximum: string; score: string };
    part2: { method: { level: number; score: string }; quantitative: { level: number; score: string }; qualitative: { level: number; score: string }; total: string; score: string };
    score: string;
  };
  component2: { percent: string | null; level: number; weight: number; score: string };
  component3: { total: string; score: string };
  total: string;
  band: { id: Band['id']; th: string };
}

export interface EsaDirectorScores {
  variant: EsaDirectorEvaluation['variant'];
  round: { number: 1 | 2; fiscalYear: number; from: string; to: string };
  leave: { totalDays: string };
  self: ColumnScores;
  supervisor: ColumnScores;
  /** The result the form ticks in part 3: the band of the supervisor's total. */
  band: { id: Band['id']; th: string };
}

/** The evaluation round's dates (CE ISO) from the fiscal year (BE or CE). */
export function roundDates(round: 1 | 2, fiscalYear: number): { fiscalYear: number; from: string; to: string } {
  const ce = fiscalYear >= 2400 ? fiscalYear - 543 : fiscalYear;
  return round === 1
    ? { fiscalYear: ce + 543, from: `${ce - 1}-10-01`, to: `${ce}-03-31` }
    : { fiscalYear: ce + 543, from: `${ce}-04-01`, to: `${ce}-09-30` };
}

function column(data: EsaDirectorEvaluation, items: Part1Item[], side: Side): ColumnScores {
  // Component 1 part 1: raw x 60 / (4 x n), rounded where printed.
  const rawPart1 = sum(items.map((i) => i[side]));
  const part1Score = roundHalfUp(rawPart1.times(FULL.part1).dividedBy(4 * items.length));

  // Component 1 part 2: points by level, total x 20 / 40.
  const p2 = data.component1.part2;
  const method = challengePoints(p2.method[side], 20);
  const quantitative = challengePoints(p2.quantitative[side], 10);
  const qualitative = challengePoints(p2.qualitative[side], 10);
  const part2Total = method.plus(quantitative).plus(qualitative);
  const part2Score = roundHalfUp(part2Total.times(20).dividedBy(40));

  // Component 2: level (given, or from the percentage) x weight 2.
  const c2 = data.component2[side];
  const level2 = c2.level ?? levelFromPercent(c2.percent!);
  const component2Score = dec(level2).times(COMPONENT2_WEIGHT);

  // Component 3: total of ten items / 4.
  const raw3 = sum(data.component3.items.map((i) => i[side]));
  const component3Score = roundHalfUp(raw3.dividedBy(4));

  const component1Score = part1Score.plus(part2Score);
  const total = component1Score.plus(component2Score).plus(component3Score);
  const band = bandOf(total);
  return {
    component1: {
      part1: { itemCount: items.length, total: fixed(rawPart1), maximum: fixed(4 * items.length), score: fixed(part1Score) },
      part2: {
        method: { level: p2.method[side], score: fixed(method) },
        quantitative: { level: p2.quantitative[side], score: fixed(quantitative) },
        qualitative: { level: p2.qualitative[side], score: fixed(qualitative) },
        total: fixed(part2Total),
        score: fixed(part2Score),
      },
      score: fixed(component1Score),
    },
    component2: { percent: c2.percent === undefined ? null : percentText(c2.percent), level: level2, weight: COMPONENT2_WEIGHT, score: fixed(component2Score) },
    component3: { total: fixed(raw3), score: fixed(component3Score) },
    total: fixed(total),
    band: { id: band.id, th: band.th },
  };
}

/** A percentage as printed: two decimals, or all of them when more were given (19.995 must not print 20.00). */
function percentText(percent: string): string {
  const d = dec(percent);
  return d.decimalPlaces() <= 2 ? fixed(d) : d.toFixed();
}

/** A level given beside a percentage must be the percentage's level. */
function checkComponent2(data: EsaDirectorEvaluation): void {
  const errors: FieldError[] = [];
  for (const side of SIDES) {
    const { level, percent } = data.component2[side];
    if (level === undefined || percent === undefined) continue;
    const derived = levelFromPercent(percent);
    if (derived !== level) {
      errors.push({
        path: `component2.${side}.level`,
        th: `ระดับ ${level} ไม่ตรงกับร้อยละ ${percent} ซึ่งเป็นระดับ ${derived}`,
        en: `level ${level} does not match ${percent} percent, which is level ${derived}`,
      });
    }
  }
  if (errors.length) throw new ValidationError(errors);
}

export function computeEsaDirectorEvaluation(data: EsaDirectorEvaluation): EsaDirectorScores {
  const { items } = resolvePart1(data);
  checkComponent2(data);
  const self = column(data, items, 'self');
  const supervisor = column(data, items, 'supervisor');
  const leave = data.leave;
  return {
    variant: data.variant,
    round: { number: data.round, ...roundDates(data.round, data.fiscalYear) },
    leave: { totalDays: sum([leave.sick.days, leave.personal.days, leave.other.days]).toFixed() },
    self,
    supervisor,
    band: supervisor.band,
  };
}
