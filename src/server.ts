import { createApp } from './http/app.js';
import { fontRegistry } from './fonts/registry.js';

const port = Number(process.env.PORT ?? 3000);
// Fonts are read at start-up, not on the first request.
fontRegistry();
const server = createApp().listen(port, () => {
  console.log(`saraban listening on http://localhost:${port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
