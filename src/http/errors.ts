import type { ErrorRequestHandler } from 'express';
import { ValidationError, UnknownFormError } from '../forms/registry.js';
import { UnknownFontError } from '../fonts/registry.js';
import type { FieldError } from '../validation.js';
import { logger } from './ops.js';
import { PoolClosedError, RequestError, TaskMemoryError, TaskTimeoutError } from '../batch/taskErrors.js';
import { InputFileError } from '../input/errors.js';
import { inputFileStatus } from './uploadGuards.js';

/** Every error response has this shape: a code, a message in Thai and English, and the fields at fault. */
export interface ErrorBody {
  error: { code: string; th: string; en: string; fields?: FieldError[] };
}

export function errorBody(code: string, th: string, en: string, fields?: FieldError[]): ErrorBody {
  return { error: { code, th, en, ...(fields ? { fields } : {}) } };
}

interface HttpishError { type?: string; status?: number; statusCode?: number }

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  // Already answered (a render past its time limit that failed later): nothing more to tell the client.
  if (res.headersSent) {
    logger.warn({ err }, 'error after the response was sent');
    if (!res.writableEnded) res.destroy();
    return;
  }
  if (err instanceof ValidationError) {
    res.status(400).json(errorBody('invalid_input', 'ข้อมูลไม่ถูกต้อง กรุณาแก้ไขช่องที่ระบุ', 'the input is not valid: see fields', err.errors));
    return;
  }
  if (err instanceof TaskTimeoutError) {
    logger.warn({ limitMs: err.limitMs }, 'render time limit reached: its thread was stopped');
    res.status(503).setHeader('Retry-After', '5').json(errorBody('render_timeout',
      `การทำเอกสารใช้เวลาเกิน ${err.limitMs / 1000} วินาที (SARABAN_RENDER_TIMEOUT_MS) จึงหยุดไว้ กรุณาลดขนาดข้อมูลหรือลองใหม่ภายหลัง`,
      `rendering took longer than ${err.limitMs / 1000} s (SARABAN_RENDER_TIMEOUT_MS) and was stopped: send less data or try again later`));
    return;
  }
  if (err instanceof TaskMemoryError) {
    logger.warn({ limitMb: err.limitMb }, 'render memory limit reached: its thread was stopped');
    res.status(413).json(errorBody('too_large_to_render',
      `เอกสารนี้ต้องใช้หน่วยความจำเกิน ${err.limitMb} MB (SARABAN_WORKER_HEAP_MB) จึงทำไม่ได้ กรุณาลดขนาดข้อมูลหรือแบ่งเป็นหลายเอกสาร`,
      `this document needs more than ${err.limitMb} MB of memory (SARABAN_WORKER_HEAP_MB): send less data or split it`));
    return;
  }
  if (err instanceof RequestError) {
    res.status(err.status).json(errorBody(err.code, err.th, err.en, err.fields));
    return;
  }
  if (err instanceof InputFileError) {
    res.status(inputFileStatus(err.code)).json(errorBody(`file_${err.code}`, err.th, err.en, [{ path: 'file', th: err.th, en: err.en }]));
    return;
  }
  if (err instanceof PoolClosedError) {
    res.status(503).setHeader('Retry-After', '5').json(errorBody('shutting_down', 'ระบบกำลังปิดปรับปรุง กรุณาลองใหม่อีกครั้ง', 'the service is shutting down: try again'));
    return;
  }
  if (err instanceof UnknownFormError) {
    res.status(404).json(errorBody('unknown_form', `ไม่พบแบบฟอร์ม "${err.formId}"`, `no form "${err.formId}"`));
    return;
  }
  if (err instanceof UnknownFontError) {
    res.status(400).json(errorBody('unknown_font', `ไม่พบฟอนต์ "${err.font}" (มี: ${err.available.join(', ')})`, `no font "${err.font}" (available: ${err.available.join(', ')})`,
      [{ path: 'options.font', th: `ไม่พบฟอนต์ "${err.font}"`, en: `unknown font "${err.font}"` }]));
    return;
  }
  const e = err as HttpishError;
  if (e.type === 'entity.too.large' || e.status === 413 || (err as { code?: string }).code === 'LIMIT_FILE_SIZE') {
    const limit = (err as { limit?: unknown }).limit;
    const size = typeof limit === 'number' ? ` (${Math.round(limit / 1024)} KB, SARABAN_JSON_LIMIT)` : '';
    res.status(413).json(errorBody('too_large', `ข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด${size}`, `the request body is larger than the limit${size}`));
    return;
  }
  if (e.type === 'entity.parse.failed') {
    res.status(400).json(errorBody('invalid_json', 'ข้อมูลไม่ใช่ JSON ที่ถูกต้อง', 'the body is not valid JSON'));
    return;
  }
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    res.status(415).json(errorBody('unsupported_encoding', 'การเข้ารหัสตัวอักษรไม่รองรับ ใช้ UTF-8', 'unsupported encoding: send UTF-8'));
    return;
  }
  const status = e.status ?? e.statusCode;
  if (status && status >= 400 && status < 500) {
    res.status(status).json(errorBody('bad_request', 'คำขอไม่ถูกต้อง', 'bad request'));
    return;
  }
  // Unexpected: log it (with its stack) for the operator, tell the client nothing about the internals.
  logger.error({ err }, 'unexpected error');
  res.status(500).json(errorBody('internal', 'เกิดข้อผิดพลาดภายในระบบ กรุณาลองใหม่หรือแจ้งผู้ดูแลระบบ', 'internal error'));
};
