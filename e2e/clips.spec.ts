// Clips in, frames out: built-in clips, generated WebM/MP4 and odd files load and sample; every
// bad file gets its own message in the error banner and the app still samples afterwards.
import { expect, test, type Page } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from './ui';
import { BAD, GOOD, makeTestClips } from '../scripts/test-clips';

const clips = makeTestClips(join(tmpdir(), 'clipscope-e2e-clips'));

async function upload(page: Page, ...names: (keyof typeof clips)[]) {
  await page.getByTestId('clip-input').setInputFiles(names.map((n) => clips[n]));
}

/** Wait until the strip shows `n` frames of the current clip. */
async function expectFrames(page: Page, n: number) {
  await expect(page.getByTestId('sample-status')).toContainText(`Sampled ${n} frame`, { timeout: 60_000 });
  await expect(page.getByTestId('frame-thumb')).toHaveCount(n);
}

/** x-centroid (thumb pixels) of the strongly red pixels of each frame thumbnail, or null. */
function redCentroids(page: Page): Promise<(number | null)[]> {
  return page.getByTestId('frame-thumb').locator('canvas').evaluateAll((canvases) =>
    (canvases as HTMLCanvasElement[]).map((c) => {
      const { data, width, height } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let sx = 0;
      let n = 0;
      for (let i = 0; i < width * height; i++) {
        const [r, g, b] = [data[4 * i], data[4 * i + 1], data[4 * i + 2]];
        if (r > 150 && g < 110 && b < 110) {
          sx += i % width;
          n++;
        }
      }
      return n ? sx / n + 0.5 : null;
    }),
  );
}

test('the sampled frames are the right frames: a square moving at 80 px/s is where it should be', async ({ page }) => {
  await openApp(page, '?frames=4&size=32&strategy=spread');
  await page.getByTestId('builtin-slide-right').click();
  await expectFrames(page, 4);
  // Spread over 75 frames: #9, #28, #46, #65. The square (x = 20 + 80·t, 40 px wide) in the centre
  // crop (native x 70…250, 180 px → 32 px): centre at (40 + 80·t − 70) · 32/180 for the middle two.
  await expect(page.getByTestId('frame-thumb').nth(1)).toContainText('1.12 s · #28');
  const xs = await redCentroids(page);
  const expected = (frame: number) => ((40 + (80 * frame) / 25 - 70) * 32) / 180;
  expect(xs[1]).toBeCloseTo(expected(28), 0);
  expect(xs[2]).toBeCloseTo(expected(46), 0);
  expect(xs[0]!).toBeLessThan(xs[1]!);
  expect(xs[2]!).toBeLessThan(xs[3]!);
});

test('built-in clips load, sample T frames, and the arithmetic follows the knobs', async ({ page }, info) => {
  const { consoleErrors } = await openApp(page, '?frames=8&size=32&stride=2&strategy=uniform');
  await expect(page.getByTestId('tensor-reference')).toHaveText('64 × 224 × 224 × 3 = 9,633,792 numbers ≈ 9.6 million');

  await page.getByTestId('builtin-slide-right').click();
  await expectFrames(page, 8);
  await expect(page.getByTestId('clip-meta')).toContainText('3 s · 320 × 180 · 25 fps · 75 frames · vp9 · webm');
  await expect(page.getByTestId('tensor-shape')).toHaveText('8 × 32 × 32 × 3 = 24,576 numbers');
  await expect(page.getByTestId('tensor-clip')).toHaveText('3 s at 25 fps = 75 frames × 180 × 320 × 3 = 12,960,000 numbers');
  await expect(page.getByTestId('frame-thumb').nth(1)).toContainText('0.08 s · #2');
  await expect(page.getByTestId('sample-tick')).toHaveCount(8);

  // Knobs are live: T, size, strategy, K.
  await page.getByTestId('knob-frames').fill('16');
  await page.getByTestId('knob-size').fill('64');
  await expectFrames(page, 16);
  await expect(page.getByTestId('tensor-shape')).toHaveText('16 × 64 × 64 × 3 = 196,608 numbers');
  await expect(page.getByTestId('tensor-batch')).toHaveText('Batch of 8: 8 × 16 × 64 × 64 × 3 = 1,572,864 numbers (6.0 MiB as float32)');
  await expect(page).toHaveURL(/frames=16/);

  await page.getByTestId('knob-strategy').selectOption('chunks');
  await page.getByTestId('knob-frames').fill('4');
  await expectFrames(page, 12);
  await expect(page.getByTestId('tensor-shape')).toHaveText('3 × 4 × 64 × 64 × 3 = 147,456 numbers');

  // A short window: 8 frames × stride 16 spans 113 frames > 75, so the last frame repeats and the UI says so.
  await page.getByTestId('knob-strategy').selectOption('uniform');
  await page.getByTestId('knob-size').fill('32');
  await page.getByTestId('knob-frames').fill('8');
  await page.getByTestId('knob-stride').fill('16');
  await expectFrames(page, 8);
  await expect(page.getByTestId('sample-note')).toHaveText('The clip has 75 frames, fewer than the window of 113: 3 sampled frames repeated the last frame.');
  await page.getByTestId('knob-short-clip').selectOption('loop');
  await expect(page.getByTestId('sample-note')).toContainText('3 sampled frames looped back to the start');
  await expect(page.getByTestId('frame-thumb').nth(5)).toContainText('0.20 s · #5'); // frame 5·16 = 80 → 80 mod 75

  const others = ['fall-down', 'split-apart', 'rise-portrait', 'test-card'];
  for (const [i, id] of others.entries()) {
    await page.getByTestId(`builtin-${id}`).click();
    await expect(page.getByTestId('clip-item')).toHaveCount(i + 2);
    await expect(page.getByTestId('clip-item').last()).toHaveAttribute('aria-pressed', 'true');
    await expectFrames(page, 8);
  }
  await expect(page.getByTestId('clip-meta').nth(3)).toContainText('180 × 320');
  await page.screenshot({ path: info.outputPath('clips-builtin.png'), fullPage: true });
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test('generated WebM and MP4 clips (odd ones too) load with the right metadata and sample', async ({ page }) => {
  await openApp(page, '?frames=6&size=24&stride=1&strategy=spread');
  const expectMeta = async (name: keyof typeof GOOD, text: string) => {
    await upload(page, name);
    await expect(page.getByTestId('clip-item').last()).toContainText(name);
    await expect(page.getByTestId('clip-meta').last()).toContainText(text);
    await expectFrames(page, 6);
    await expect(page.getByTestId('tensor-shape')).toHaveText('6 × 24 × 24 × 3 = 10,368 numbers');
  };
  await expectMeta('good.webm', '2 s · 160 × 120 · 15 fps (estimated) · 30 frames · vp9');
  await expect(page.getByTestId('tensor-clip')).toHaveText('2 s at 15 fps = 30 frames × 120 × 160 × 3 = 1,728,000 numbers');
  await expectMeta('good.mp4', '2 s · 160 × 120 · 25 fps (estimated) · 50 frames · h264');
  await expectMeta('portrait.mp4', '90 × 160');
  await expectMeta('rotated.mp4', '120 × 160'); // 160×120 encoded, rotated 90° by metadata
  await expectMeta('vfr.mp4', 'fps (variable)');
  await expectMeta('with-audio.mp4', '25 fps');
  await expectMeta('animated.gif', '1.2 s · 80 × 60 · 10 fps · 12 frames · gif');
  await expectMeta('4k.mp4', '3840 × 2160');
  await expectMeta('hour-long.mp4', '1 h · 64 × 36 · 1 fps (estimated) · 3,600 frames');
  await expect(page.getByTestId('tensor-clip')).toHaveText('1 h at 1 fps = 3,600 frames × 36 × 64 × 3 = 24,883,200 numbers');
  await expect(page.getByTestId('frame-thumb').last()).toContainText('3300.00 s');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test('every bad file gets its own message, costs nothing, and a good clip still samples', async ({ page }, info) => {
  await openApp(page, '?frames=4&size=16&stride=1');
  await upload(page, 'good.webm');
  await expectFrames(page, 4);
  for (const [name, message] of Object.entries(BAD) as [keyof typeof BAD, string][]) {
    await upload(page, name);
    const banner = page.getByTestId('error-banner');
    await expect(banner, name).toContainText(`“${name}”`);
    await expect(banner, name).toContainText(message);
    await expect(page.getByTestId('clip-item')).toHaveCount(1); // nothing added
    await expect(page.getByTestId('frame-thumb')).toHaveCount(4); // previous sample intact
    await expect(page.getByTestId('tensor-shape')).toHaveText('4 × 16 × 16 × 3 = 3,072 numbers');
  }
  await page.screenshot({ path: info.outputPath('clips-bad-file.png'), fullPage: true });
  // Several at once: the good one loads, the bad one is reported.
  await upload(page, 'notes.txt', 'good.mp4');
  await expect(page.getByTestId('error-banner')).toContainText('is a text file, not a video');
  await expect(page.getByTestId('clip-item')).toHaveCount(2);
  await page.getByTestId('knob-frames').fill('5');
  await expectFrames(page, 5);
  await expect(page.getByTestId('tensor-shape')).toHaveText('5 × 16 × 16 × 3 = 3,840 numbers');
});
