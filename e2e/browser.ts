// Which Chromium the e2e suite and the benchmark drive, and with which flags.
// Order: $CHROMIUM_PATH, Playwright's own installed browser, Debian's /usr/bin/chromium.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // SwiftShader's Vulkan is what gives WebGPU on a machine without a GPU.
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
];

export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    /* Playwright has no browser of its own here */
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error(
    'No Chromium found. Set CHROMIUM_PATH, or install one: `sudo apt-get install -y chromium` (Debian/Ubuntu) ' +
      'or `npx playwright install chromium` where downloads are allowed.',
  );
}
