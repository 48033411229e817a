// One memory budget, checked before anything is built: a link whose data would not fit is refused
// in words that name the knob to lower and a value that fits, nothing is generated, grabbed or
// sent (the worker's memory readout keeps 0 B of datasets and of sampled clips, the page's JS heap
// stays where it was), and the app goes on working: a small setting samples and trains afterwards.
import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { openApp } from './ui';

/** The page's JS heap in use (Chrome DevTools Protocol Performance.getMetrics, JSHeapUsedSize). */
async function heapBytes(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSHeapUsedSize')!.value;
}

/** Press the worker memory readout's Refresh and return its text (the first time, once it has answered; later, poll for a change). */
async function workerMemory(page: Page): Promise<string> {
  const readout = page.getByTestId('memory-use');
  await readout.getByRole('button', { name: 'Refresh' }).click();
  await expect(readout).not.toContainText('—');
  return (await readout.textContent()) ?? '';
}

/** What a refusal must leave: no dataset and no sampled clip in the worker, and the page's heap within 64 MiB of `before`. */
async function nothingBuilt(page: Page, cdp: CDPSession, before: number): Promise<void> {
  const text = await workerMemory(page);
  expect(text).toContain('0 B of datasets');
  expect(text).toContain('0 B of sampled clips');
  expect(text).toContain('0 runs with a model');
  expect((await heapBytes(cdp)) - before).toBeLessThan(64 * 2 ** 20);
}

test('a link whose dataset would not fit is refused before it is built; a small setting still trains', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { consoleErrors } = await openApp(page, '?family=conv3d&frames=128&size=256');
  const before = await heapBytes(cdp);

  // The dataset preview is refused on the page: 2 classes × (32 + 16) clips of 128 × 256 × 256 × 3 floats.
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText('Dataset:');
  await expect(banner).toContainText(
    'Will not fit: this setting needs about 9.0 GiB (dataset 9.0 GiB) but the working budget is 1.0 GiB.',
  );
  await expect(banner).toContainText(
    'To fit, lower the frame size to 80, or the frames (T) to 14.',
  );
  // The budget line is the worker's answer to the same question, the model included.
  await expect(page.getByTestId('budget-check')).toContainText('Will not fit:');
  await expect(page.getByTestId('budget-check')).toContainText('To fit, lower');

  // Training is refused the same way, and no run is made.
  await page.getByTestId('train-button').click();
  await expect(banner).toContainText('Training:');
  await expect(banner).toContainText('lower the frame size to 80');
  await expect(page.getByTestId('train-status')).toHaveText('idle');
  await expect(page.getByTestId('results-table').locator('tbody tr')).toHaveCount(0);
  await nothingBuilt(page, cdp, before);

  // Lower the knobs (the size first: every step on the way fits): the same app trains a small setting.
  await page.getByTestId('knob-size').fill('16');
  await page.getByLabel('Training clips / class').fill('8');
  await page.getByTestId('knob-frames').fill('4');
  await page.getByLabel('Epochs').fill('1');
  await expect(page.getByTestId('budget-check')).toContainText('fits');
  await expect(page.getByTestId('dataset-preview').locator('canvas')).toHaveCount(4);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('done', { timeout: 240_000 });
  // The run, and the single-frame baseline the app trains on the same data for its verdict.
  await expect(page.getByTestId('verdict')).not.toHaveAttribute('data-kind', 'pending', { timeout: 150_000 });
  await expect(page.getByTestId('results-table').locator('tbody tr')).toHaveCount(2);
  await expect(banner).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test('a link whose sample would not fit is refused before a frame is grabbed; the clip still samples with smaller knobs', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  // Small frames, so only the sample's frame count is over (16 chunks × 128 = 2,048 frames of one clip).
  const { consoleErrors } = await openApp(page, '?strategy=chunks&chunks=16&frames=128&size=8');
  const before = await heapBytes(cdp);

  await page.getByTestId('builtin-slide-right').click();
  await expect(page.getByTestId('clip-item')).toHaveCount(1);
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText(
    'the sample takes 2,048 frames of the clip (16 chunks × 128), more than the 512 one clip may keep.',
  );
  await expect(banner).toContainText('To fit, lower the frames (T) to 32, or the chunks (K) to 4.');
  await expect(page.getByTestId('sample-status')).toContainText('Sampling failed');
  await expect(page.getByTestId('frame-thumb')).toHaveCount(0);
  expect(await workerMemory(page)).toContain('0 B of sampled clips');
  expect((await heapBytes(cdp)) - before).toBeLessThan(64 * 2 ** 20);

  // The clip is still there and samples once the knobs fit: 2 chunks × 4 frames of 8 × 8 RGBA, 2 KiB.
  await page.getByTestId('knob-frames').fill('4');
  await page.getByTestId('knob-chunks').fill('2');
  await expect(page.getByTestId('sample-status')).toContainText('Sampled 8 frames', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('frame-thumb')).toHaveCount(8);
  await expect.poll(() => workerMemory(page)).toContain('2.0 KiB of sampled clips');
  expect(consoleErrors).toEqual([]);
});
