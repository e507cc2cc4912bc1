import type { FormDefinition } from './types.js';
import { externalLetter } from './external-letter/index.js';
import { memo } from './memo/index.js';
import { stampedLetter } from './stamped-letter/index.js';
import { announcement } from './announcement/index.js';
import { order } from './order/index.js';
import { ppr } from './ppr/index.js';
import { rankQualification } from './rank-qualification/index.js';
import { esaDirectorData } from './esa-director-data/index.js';
import { esaDirectorReport } from './esa-director-report/index.js';
import { esaDirectorEvaluation } from './esa-director-evaluation/index.js';

/** Every form the service offers, one line each. */
export const CATALOG = [
  externalLetter,
  memo,
  stampedLetter,
  announcement,
  order,
  ppr,
  rankQualification,
  esaDirectorData,
  esaDirectorReport,
  esaDirectorEvaluation,
] as unknown as FormDefinition[];
