#!/usr/bin/env node
// Runs the compiled CLI (built by `npm ci` through the prepare script).
import { main } from '../dist/src/cli.js';

// `saraban forms | head`: the reader left, which is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
