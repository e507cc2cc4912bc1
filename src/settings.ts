import { join } from 'node:path';
import { PROJECT_ROOT } from './fonts/registry.js';

/** Where batch jobs, their results and uploaded templates are kept (SARABAN_DATA_DIR). */
export const DATA_DIR = process.env.SARABAN_DATA_DIR ?? join(PROJECT_ROOT, 'data');

/** The largest JSON body any route accepts (SARABAN_JSON_LIMIT, in body-parser's units). */
export const JSON_LIMIT = process.env.SARABAN_JSON_LIMIT ?? '1mb';
