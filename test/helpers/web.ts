import { chromium, type Browser } from 'playwright-core';
import type { AddressInfo } from 'node:net';

const CHROMIUM = process.env.SARABAN_CHROMIUM ?? '/usr/bin/chromium';

export interface WebApp {
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The app on an ephemeral port and Debian's Chromium to drive it. `env` is
 * set before the app is imported, so its data folder and the settings its
 * render threads read (a signing certificate) are the test's.
 */
export async function openWebApp(env: Record<string, string>): Promise<WebApp> {
  Object.assign(process.env, env);
  const { createApp } = await import('../../src/http/app.js');
  const server = createApp().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  return {
    base,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
