import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { decimalText } from '../../validation.js';

/**
 * The working-time rules of seed 002 (ก.จ. ก.ท. ก.อบต. letter of 10 March 2564,
 * item 7) shared by the PPR and the rank-qualification check: academic years,
 * hours as exact decimals, and the yearly thresholds.
 */

/** A non-negative amount with at most two decimals (hours, days), kept as a decimal string. */
export const DecimalAmount = decimalText({
  places: 2,
  message: 'ต้องเป็นจำนวนไม่ติดลบ มีทศนิยมได้ไม่เกิน ๒ ตำแหน่ง เช่น 2 หรือ 1.5 / must be a non-negative number with at most 2 decimals, e.g. 2 or 1.5',
}).transform((text) => new Decimal(text).toFixed());

export const TeachingLevel = z.enum(['early-childhood', 'primary-up'])
  .describe('ระดับที่สอน: early-childhood ปฐมวัย, primary-up ประถมศึกษาขึ้นไป / level taught');
export type TeachingLevel = z.infer<typeof TeachingLevel>;

export const LEVEL_TH: Record<TeachingLevel, string> = { 'early-childhood': 'ปฐมวัย', 'primary-up': 'ประถมศึกษาขึ้นไป' };

/** Seed 002, item 7, criterion 2: every one of the last five years. */
export const THRESHOLDS = {
  workingHours: new Decimal(800),
  plcHours: new Decimal(50),
  weeklyTeaching: { 'early-childhood': new Decimal(6), 'primary-up': new Decimal(12) } as Record<TeachingLevel, Decimal>,
};

/**
 * Weeks of an academic year over which teaching hours are averaged: the basic
 * education core curriculum (B.E. 2551) allots time on 40 weeks a year, two
 * semesters of 20 weeks (one hour a week = 40 hours a year). Seed 002 gives the
 * minimum per week but no week count.
 */
export const TEACHING_WEEKS = 40;

/**
 * Academic year N (Buddhist era) runs 16 May N to 15 May N+1, as the
 * Ministry of Education's school-term regulation sets it. Seed 002 speaks of
 * ปีการศึกษา without giving its dates.
 */
export const ACADEMIC_YEAR_START = { month: 5, day: 16 };

export interface AcademicYearRange { year: number; from: string; to: string }

/** The first and last day (ISO, CE) of academic year `year` (Buddhist era). */
export function academicYearRange(year: number): AcademicYearRange {
  const ce = year - 543;
  const mm = String(ACADEMIC_YEAR_START.month).padStart(2, '0');
  const startDay = ACADEMIC_YEAR_START.day;
  return { year, from: `${ce}-${mm}-${String(startDay).padStart(2, '0')}`, to: `${ce + 1}-${mm}-${String(startDay - 1).padStart(2, '0')}` };
}

/** The academic year (Buddhist era) an ISO date falls in. */
export function academicYearOf(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const beforeStart = m < ACADEMIC_YEAR_START.month || (m === ACADEMIC_YEAR_START.month && d < ACADEMIC_YEAR_START.day);
  return y + 543 - (beforeStart ? 1 : 0);
}

export interface YearFigures {
  workingHours: Decimal;
  plcHours: Decimal;
  weeklyTeaching: Decimal;
}

export interface ThresholdCheck {
  id: 'working-hours' | 'plc-hours' | 'teaching-load';
  value: string;
  minimum: string;
  met: boolean;
  /** How much is missing, '0' when met. */
  shortfall: string;
}

/** One year's figures against the three thresholds; exact, no rounding before the comparison. */
export function checkYear(level: TeachingLevel, figures: YearFigures): ThresholdCheck[] {
  const one = (id: ThresholdCheck['id'], value: Decimal, minimum: Decimal): ThresholdCheck => ({
    id, value: value.toFixed(), minimum: minimum.toFixed(), met: value.gte(minimum), shortfall: Decimal.max(0, minimum.minus(value)).toFixed(),
  });
  return [
    one('working-hours', figures.workingHours, THRESHOLDS.workingHours),
    one('plc-hours', figures.plcHours, THRESHOLDS.plcHours),
    one('teaching-load', figures.weeklyTeaching, THRESHOLDS.weeklyTeaching[level]),
  ];
}

/**
 * Two decimals for print, rounded down: 11.999 h/week prints 11.99, never
 * 12.00 beside a "not met".
 */
export function twoDecimalsDown(value: Decimal.Value): string {
  return new Decimal(value).toFixed(2, Decimal.ROUND_DOWN);
}
