import { defineForm } from '../types.js';
import { buildEsaDirectorEvaluation } from './build.js';
import { computeEsaDirectorEvaluation } from './compute.js';
import { esaDirectorEvaluationSchema } from './schema.js';

/** แบบประเมินผลการปฏิบัติงาน ผอ.สพท. (seed 004, เอกสารหมายเลข 10/1 and 10/2), one form with a variant. */
export const esaDirectorEvaluation = defineForm({
  id: 'esa-director-evaluation',
  title: { th: 'แบบประเมินผลการปฏิบัติงาน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา', en: 'ESA director performance evaluation' },
  schema: esaDirectorEvaluationSchema,
  compute: computeEsaDirectorEvaluation,
  build: buildEsaDirectorEvaluation,
});
