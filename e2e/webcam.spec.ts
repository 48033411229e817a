// Webcam recording with Chromium's fake camera (a test pattern), permission granted without a
// prompt: the recording (MediaRecorder WebM, whose duration is unknown until its end is read)
// loads and samples like an upload.
import { expect, test } from '@playwright/test';
import { openApp } from './ui';
import { CHROMIUM_ARGS, findChromium } from './browser';

test.use({ launchOptions: { executablePath: findChromium(), args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] } });

test('a webcam recording loads like an upload', async ({ page }) => {
  await openApp(page, '?frames=4&size=16&strategy=spread');
  await page.getByTestId('webcam-record').click();
  await expect(page.getByTestId('webcam-record')).toContainText('Recording');
  await expect(page.getByTestId('clip-item')).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('clip-item')).toContainText('webcam-');
  await expect(page.getByTestId('clip-meta')).toContainText('webcam');
  await expect(page.getByTestId('sample-status')).toContainText('Sampled 4 frames', { timeout: 60_000 });
  await expect(page.getByTestId('frame-thumb')).toHaveCount(4);
  await expect(page.getByTestId('tensor-shape')).toHaveText('4 × 16 × 16 × 3 = 3,072 numbers');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});
