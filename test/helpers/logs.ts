import { logger, redirectLogs } from '../../src/http/ops.js';

/** Log lines written while `fn` runs (at level info, whatever the test run's level), parsed. */
export async function logsOf<T>(fn: () => T | Promise<T>): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const raw: string[] = [];
  const level = logger.level;
  logger.level = 'info';
  const restore = redirectLogs((l) => raw.push(l));
  try {
    const result = await fn();
    return { result, lines: raw.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
  } finally {
    restore();
    logger.level = level;
  }
}
