export * from './numerals.js';
export * from './number.js';
export * from './date.js';
export * from './baht.js';
export * from './segment.js';
