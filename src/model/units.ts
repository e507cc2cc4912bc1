import { z } from 'zod';

/** PDF points per centimetre. */
export const PT_PER_CM = 72 / 2.54;

export const cm = (n: number) => n * PT_PER_CM;

/**
 * A length in a template or request: a number of points, or a string with a
 * unit (`2.5cm`, `6pt`, `15mm`). Everything inside the model is in points.
 */
export const Length = z.union([
  z.number(),
  z.string().regex(/^(-?\d+(\.\d+)?\s*(pt|cm|mm)|0)$/, 'ความยาวต้องมีหน่วย pt, cm หรือ mm / a length needs a unit: pt, cm or mm'),
]).transform((v) => {
  if (typeof v === 'number') return v;
  if (v === '0') return 0;
  const m = /^(-?\d+(?:\.\d+)?)\s*(pt|cm|mm)$/.exec(v)!;
  const n = Number(m[1]);
  return m[2] === 'pt' ? n : m[2] === 'cm' ? cm(n) : cm(n / 10);
});
