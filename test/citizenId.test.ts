import { describe, expect, it } from 'vitest';
import { citizenIdCheckDigit, citizenIdDigits, citizenIdProblem, formatCitizenId, isValidCitizenId } from '../src/thai/citizenId.js';

describe('Thai citizen ID check digit', () => {
  it('is (11 - sum mod 11) mod 10 of the weighted first twelve digits', () => {
    // 1×13 + 1×12 + 0×11 + 1×10 + 7×9 + 0×8 + 0×7 + 2×6 + 3×5 + 0×4 + 7×3 + 0×2 = 146; 146 mod 11 = 3; 11 − 3 = 8
    expect(citizenIdCheckDigit('110170023070')).toBe(8);
    // 3×13 + 5×12 + 0×11 + 9×10 + 9×9 + 0×8 + 0×7 + 1×6 + 2×5 + 3×4 + 4×3 + 5×2 = 320; mod 11 = 1; 11 − 1 = 10 → 0
    expect(citizenIdCheckDigit('350990012345')).toBe(0);
    // 1×11 = 11; mod 11 = 0; 11 − 0 = 11 → 1
    expect(citizenIdCheckDigit('001000000000')).toBe(1);
  });

  it('accepts a valid ID however it is written: plain, dashed, spaced, in Thai digits', () => {
    for (const written of ['1101700230708', '1-1017-00230-70-8', '1 1017 00230 70 8', '๑-๑๐๑๗-๐๐๒๓๐-๗๐-๘', '3509900123450', '0010000000001']) {
      expect(isValidCitizenId(written), written).toBe(true);
    }
  });

  it('rejects a wrong check digit, a mistyped digit, swapped neighbours and wrong lengths', () => {
    expect(citizenIdProblem('1101700230707')).toBe('check-digit');
    expect(citizenIdProblem('1101700230608')).toBe('check-digit'); // 7 typed as 6
    expect(citizenIdProblem('1101700320708')).toBe('check-digit'); // 2 and 3 swapped
    expect(citizenIdProblem('110170023070')).toBe('length');
    expect(citizenIdProblem('11017002307089')).toBe('length');
    expect(citizenIdProblem('11017OO230708')).toBe('length');
    expect(isValidCitizenId('')).toBe(false);
  });

  it('prints the card grouping and reads Thai digits', () => {
    expect(formatCitizenId('1101700230708')).toBe('1-1017-00230-70-8');
    expect(citizenIdDigits('๓-๕๐๙๙-๐๐๑๒๓-๔๕-๐')).toBe('3509900123450');
    expect(() => formatCitizenId('12345')).toThrow(RangeError);
    expect(() => citizenIdCheckDigit('12')).toThrow(RangeError);
  });
});
