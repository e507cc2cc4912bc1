import type { FormDefinition } from './types.js';
import { externalLetter } from './external-letter/index.js';
import { memo } from './memo/index.js';
import { stampedLetter } from './stamped-letter/index.js';
import { announcement } from './announcement/index.js';
import { order } from './order/index.js';

/** Every form the service offers, one line each. */
export const CATALOG = [
  externalLetter,
  memo,
  stampedLetter,
  announcement,
  order,
] as unknown as FormDefinition[];
