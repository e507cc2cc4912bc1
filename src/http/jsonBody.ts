import express, { type Request, type RequestHandler, type Response } from 'express';
import { JSON_LIMIT } from '../settings.js';
import { errorBody } from './errors.js';

/** Deeper than any form's data (the deepest nests six levels): past it, data is an attack or a mistake. */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `limit` arrays and objects; walked without recursion. */
export function nestedDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

export const tooDeep = () => errorBody('too_deep',
  `ข้อมูล JSON ซ้อนกันเกิน ${MAX_JSON_DEPTH} ชั้น ตรวจรูปแบบข้อมูล`,
  `the JSON nests deeper than ${MAX_JSON_DEPTH} levels: check the data's shape`);

/** A route's JSON body: within SARABAN_JSON_LIMIT, and no deeper than MAX_JSON_DEPTH (a 1 MB body of `[[[[…` would otherwise overflow a stack later). */
export function jsonBody(limit: string = JSON_LIMIT): RequestHandler[] {
  return [
    express.json({ limit, strict: false }),
    (req, res, next) => {
      if (req.is('application/json') && nestedDeeperThan(req.body)) { res.status(400).json(tooDeep()); return; }
      next();
    },
  ];
}

/** A request without a body, or with an empty one: the data is missing, whatever type was or was not claimed. */
export const bodyless = (req: Request): boolean => !req.headers['transfer-encoding'] && (req.headers['content-length'] ?? '0') === '0';

export const missingBody = (res: Response): void => {
  res.status(400).json(errorBody('missing_data', 'ไม่มีข้อมูลในคำขอ ส่งข้อมูลเป็น JSON', 'the request has no body: send the data as JSON'));
};
