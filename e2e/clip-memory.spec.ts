// A removed clip's frames are freed in the worker: sample two built-in clips, read the worker's
// memory readout (bytes of sampled clips kept), remove one clip in the clip list and see the
// worker's stored bytes fall by exactly that clip's frames, then to zero with the other.
import { expect, test, type Page } from '@playwright/test';
import { openApp, sampleBuiltin } from './ui';

const FRAMES = 8;
const SIZE = 32;
/** One sampled clip in the worker's store: T × H × W × RGBA bytes. */
const CLIP_BYTES = FRAMES * SIZE * SIZE * 4;

const UNITS: Record<string, number> = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30 };

/** Press the readout's Refresh and read "… <n> <unit> of sampled clips" back as bytes. */
async function clipBytes(page: Page): Promise<number> {
  const readout = page.getByTestId('memory-use');
  const before = await readout.textContent();
  await readout.getByRole('button', { name: 'Refresh' }).click();
  if (before?.includes('—')) await expect(readout).not.toContainText('—');
  const text = (await readout.textContent()) ?? '';
  const m = /([\d.]+) (B|KiB|MiB|GiB) of sampled clips/.exec(text);
  if (!m) throw new Error(`No sampled-clip bytes in the memory readout: "${text}"`);
  return Math.round(Number(m[1]) * UNITS[m[2]]);
}

test('removing a clip frees its sampled frames in the worker', async ({ page }) => {
  const { consoleErrors } = await openApp(page, `?frames=${FRAMES}&size=${SIZE}`);
  await sampleBuiltin(page, 'slide-right', FRAMES);
  await sampleBuiltin(page, 'fall-down', FRAMES);
  await expect.poll(() => clipBytes(page)).toBe(2 * CLIP_BYTES);

  await page.getByRole('button', { name: 'Remove slide-right.webm' }).click();
  await expect(page.getByTestId('clip-item')).toHaveCount(1);
  await expect.poll(() => clipBytes(page)).toBe(CLIP_BYTES);

  await page.getByTestId('clip-remove').click();
  await expect(page.getByTestId('clip-item')).toHaveCount(0);
  await expect(page.getByTestId('clip-status')).toHaveText('No clip loaded yet.');
  await expect.poll(() => clipBytes(page)).toBe(0);

  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});
