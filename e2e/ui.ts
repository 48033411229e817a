// A small helper that reads like a user: open the app, wait for the runtime, collect errors.
import { expect, type ConsoleMessage, type Page } from '@playwright/test';

export interface Opened {
  consoleErrors: string[];
}

/** Console messages that are not our app's errors: Chromium's own GPU noise on SwiftShader. */
const BENIGN = [/Automatic fallback to software WebGL has been deprecated/i, /GPU stall due to ReadPixels/i, /favicon/i];

export async function openApp(page: Page, query = ''): Promise<Opened> {
  const consoleErrors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' && !BENIGN.some((r) => r.test(m.text()))) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.goto(`/${query}`);
  await expect(page.getByRole('heading', { name: /Clipscope/ })).toBeVisible();
  await expect(page.getByTestId('backend-badge')).not.toHaveText(/starting/, { timeout: 120_000 });
  return { consoleErrors };
}
