import type { FormDefinition } from './types.js';
import { externalLetter } from './external-letter/index.js';
import { memo } from './memo/index.js';
import { stampedLetter } from './stamped-letter/index.js';
import { announcement } from './announcement/index.js';
import { order } from './order/index.js';
import { applicantSummary } from './applicant-summary/index.js';
import { applicantFees } from './applicant-fees/index.js';
import { submissionCover } from './submission-cover/index.js';
import { submissionSchedule } from './submission-schedule/index.js';
import { salaryIncrementList } from './salary-increment-list/index.js';
import { salaryIncrementSummary } from './salary-increment-summary/index.js';
import { permanentEmployeeQuota } from './permanent-employee-quota/index.js';
import { governmentEmployeeScore } from './government-employee-score/index.js';
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
  applicantSummary,
  applicantFees,
  submissionCover,
  submissionSchedule,
  salaryIncrementList,
  salaryIncrementSummary,
  permanentEmployeeQuota,
  governmentEmployeeScore,
  ppr,
  rankQualification,
  esaDirectorData,
  esaDirectorReport,
  esaDirectorEvaluation,
] as unknown as FormDefinition[];
