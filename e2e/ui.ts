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

/** Click a built-in clip and wait until the sampling explorer has sampled its `frames` frames. */
export async function sampleBuiltin(page: Page, id: string, frames: number): Promise<void> {
  await page.getByTestId(`builtin-${id}`).click();
  await expect(page.getByTestId('clip-item').last()).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('sample-status')).toContainText(`Sampled ${frames} frame`, { timeout: 60_000 });
}

/** Two own classes from four built-in clips (sideways: slide-right, split-apart; vertical: fall-down, rise-portrait). */
export async function addFourOwnClips(page: Page, frames: number): Promise<void> {
  const own = page.getByTestId('own-classes');
  const plan: [string, number][] = [
    ['slide-right', 0],
    ['split-apart', 0],
    ['fall-down', 1],
    ['rise-portrait', 1],
  ];
  for (const [id, cls] of plan) {
    await sampleBuiltin(page, id, frames);
    await own.getByRole('button', { name: 'Add sampled clip' }).nth(cls).click();
  }
}
