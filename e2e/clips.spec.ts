// Clips in, frames out: built-in clips, generated WebM/MP4 and odd files load and sample; every
// bad file gets its own message in the error banner and the app still samples afterwards.
import { expect, test, type Page } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from './ui';
import { AV1, BAD, CUT_FASTSTART, FAST_PATH, GOOD, av1Encoder, makeAv1Clips, makeFastPathClips, makeTestClips } from '../scripts/test-clips';
import type { PathComparison } from '../src/bench/sampling-bench';
import type { SamplingConfig } from '../src/data/sampling';

const clips = makeTestClips(join(tmpdir(), 'clipscope-e2e-clips'));
const fastPathClips = makeFastPathClips(join(tmpdir(), 'clipscope-e2e-clips'));

async function upload(page: Page, ...names: (keyof typeof clips)[]) {
  await page.getByTestId('clip-input').setInputFiles(names.map((n) => clips[n]));
}

/** The status line's name for each decode path. */
const [FAST, SEEK, GIF] = ['(WebCodecs: each keyframe group decoded once)', '(seek + draw each)', '(ImageDecoder: GIF frames)'];

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
  // The worker got the same frames: its optical flow sees the square moving right (80 px/s native).
  await expect(page.getByTestId('flow-mean')).toContainText('px/s', { timeout: 120_000 });
  const flow = /dx=\s*([-+−\d.]+).*dy=\s*([-+−\d.]+)/.exec((await page.getByTestId('flow-mean').textContent()) ?? '');
  expect(flow, 'flow-mean text').not.toBeNull();
  const [dx, dy] = [Number(flow![1].replace('−', '-')), Number(flow![2].replace('−', '-'))];
  expect(dx).toBeGreaterThan(0);
  expect(Math.abs(dy)).toBeLessThan(dx);

  // Dropping a file on the drop zone loads it like the picker.
  await page.getByTestId('clip-drop-zone').evaluate(async (zone) => {
    const blob = await (await fetch('/clips/split-apart.webm')).blob();
    const dt = new DataTransfer();
    dt.items.add(new File([blob], 'dropped.webm', { type: 'video/webm' }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect(page.getByTestId('clip-item').last()).toContainText('dropped.webm');
  await expect(page.getByTestId('frame-thumb').first()).toContainText('#');
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
  // The status line names the decode path: WebCodecs for MP4s the fast path covers, seeking otherwise.
  const expectMeta = async (name: keyof typeof GOOD, text: string, path: string) => {
    await upload(page, name);
    await expect(page.getByTestId('clip-item').last()).toContainText(name);
    await expect(page.getByTestId('clip-meta').last()).toContainText(text);
    await expectFrames(page, 6);
    await expect(page.getByTestId('tensor-shape')).toHaveText('6 × 24 × 24 × 3 = 10,368 numbers');
    await expect(page.getByTestId('sample-status'), name).toContainText(path);
  };
  await expectMeta('good.webm', '2 s · 160 × 120 · 15 fps (estimated) · 30 frames · vp9', SEEK);
  await expect(page.getByTestId('tensor-clip')).toHaveText('2 s at 15 fps = 30 frames × 120 × 160 × 3 = 1,728,000 numbers');
  await expectMeta('good.mp4', '2 s · 160 × 120 · 25 fps (estimated) · 50 frames · h264', FAST);
  await expectMeta('portrait.mp4', '90 × 160', FAST);
  await expectMeta('rotated.mp4', '120 × 160', SEEK); // 160×120 encoded, rotated 90° by metadata: left to the <video>
  await expectMeta('vfr.mp4', 'fps (variable)', SEEK); // Chromium picks VFR frames by average duration: left to it
  await expectMeta('with-audio.mp4', '25 fps', FAST);
  await expectMeta('animated.gif', '1.2 s · 80 × 60 · 10 fps · 12 frames · gif', GIF);
  await expectMeta('4k.mp4', '3840 × 2160', FAST);
  await expectMeta('hour-long.mp4', '1 h · 64 × 36 · 1 fps (estimated) · 3,600 frames', FAST);
  await expect(page.getByTestId('tensor-clip')).toHaveText('1 h at 1 fps = 3,600 frames × 36 × 64 × 3 = 24,883,200 numbers');
  await expect(page.getByTestId('frame-thumb').last()).toContainText('3300.00 s');
  // Matroska (H.264): the hint advertises MKV.
  await expectMeta('h264.mkv', '2 s · 160 × 120 · 15 fps (estimated) · 30 frames · h264 · matroska', SEEK);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test('containers: a 30-minute MP4 with audio and its index at the end samples; a cut file samples what is left; a hostile index is refused at once', async ({ page }) => {
  await openApp(page, '?frames=6&size=24&stride=1&strategy=spread');
  // Phone style: the index (moov) sits after the media and is larger than the 256 KiB the sniff reads at the end.
  await upload(page, 'phone-30min.mp4');
  await expect(page.getByTestId('clip-meta').last()).toContainText('30 min · 64 × 36 · 1 fps (estimated) · 1,800 frames · h264');
  await expectFrames(page, 6);
  await expect(page.getByTestId('sample-status')).toContainText(FAST);
  await expect(page.getByTestId('frame-thumb').last()).toContainText('1650.00 s');

  // Index first, file cut at 60%: it loads with a notice, and only the part that is left is sampled.
  await upload(page, CUT_FASTSTART.name);
  await expect(page.getByTestId('notices')).toContainText(`“${CUT_FASTSTART.name}” is cut at 60% (`);
  await expect(page.getByTestId('notices')).toContainText('the last part of the clip is missing. Its first 6.0 s (of 10.0 s) are sampled');
  await expect(page.getByTestId('clip-meta').last()).toContainText('5.96 s · 160 × 120 · 25 fps (estimated) · 149 frames');
  await expectFrames(page, 6);
  await expect(page.getByTestId('sample-status')).toContainText(FAST);
  await expect(page.getByTestId('frame-thumb').last()).toContainText('#136');

  // A few hundred bytes claiming ten million frames: refused from its index, in well under the 8 s a seek would wait.
  const t0 = Date.now();
  await upload(page, 'hostile-index.mp4');
  await expect(page.getByTestId('error-banner')).toContainText('“hostile-index.mp4” has an index that cannot be trusted: it lists 10,000,000 samples in a video track', { timeout: 5_000 });
  expect(Date.now() - t0).toBeLessThan(5_000);
  await expect(page.getByTestId('clip-item')).toHaveCount(2);
  await expect(page.getByTestId('frame-thumb')).toHaveCount(6);
});

test('AV1 in WebM and in MP4 load and sample (the hint advertises AV1)', async ({ page }) => {
  const encoder = av1Encoder();
  test.skip(encoder === null, 'this ffmpeg has no AV1 encoder (libaom-av1 or libsvtav1), so there is no AV1 clip to load');
  const av1 = makeAv1Clips(join(tmpdir(), 'clipscope-e2e-clips'))!;
  await openApp(page, '?frames=6&size=24&stride=1&strategy=spread');
  for (const name of Object.keys(AV1) as (keyof typeof AV1)[]) {
    await page.getByTestId('clip-input').setInputFiles(av1[name]);
    await expect(page.getByTestId('clip-item').last()).toContainText(name);
    await expect(page.getByTestId('clip-meta').last()).toContainText(`2 s · 160 × 120 · 15 fps (estimated) · 30 frames · av1 · ${name.endsWith('.mp4') ? 'mp4' : 'webm'}`);
    await expectFrames(page, 6);
    await expect(page.getByTestId('sample-status'), name).toContainText(name.endsWith('.mp4') ? FAST : SEEK);
  }
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

/**
 * The WebCodecs fast path (src/data/mp4-decoder.ts) against the seek path, pixel by pixel, on the
 * benchmark page: each plan grabbed both ways at 64², every frame's largest RGB difference within
 * TOLERANCE. The two paths differ by colour-conversion rounding only (measured: at most 2 levels);
 * a frame off by one differs by 100–255 levels on clips whose frames all differ (the sliding bars,
 * the test card), which the test checks too, so the tolerance would catch it.
 */
const TOLERANCE = 4;
const fileUrl = (path: string) => `/e2e-clip/${encodeURIComponent(path)}`;
const PLANS: Partial<SamplingConfig>[] = [
  { strategy: 'dense', denseCap: 64 },
  { strategy: 'spread', numFrames: 16 },
];

async function openBench(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/e2e-clip/**', (route) => route.fulfill({ path: decodeURIComponent(new URL(route.request().url()).pathname.slice('/e2e-clip/'.length)) }));
  await page.goto('/bench.html');
  await page.waitForFunction(() => window.__clipscopeBench !== undefined);
  return errors;
}

function comparePaths(page: Page, url: string, plans: Partial<SamplingConfig>[], size = 64): Promise<PathComparison[]> {
  return page.evaluate(([u, p, s, tol]) => window.__clipscopeBench!.samplingPaths(u, p, s, tol), [url, plans, size, TOLERANCE] as const);
}

/** One line per frame over the tolerance: frame number, difference, which seek frame it matched. */
const describeMismatch = (c: PathComparison) =>
  c.maxDiff
    .map((m, j) => (m > TOLERANCE ? `row ${j} (#${c.frameIdx[j]}): max ${m}, mean ${c.meanDiff[j].toFixed(2)}, seek frame matches default row ${j + c.seekMatchesOffset[j]}` : null))
    .filter(Boolean)
    .join('\n');

test('the WebCodecs fast path samples MP4s frame-exactly as the seek path does', async ({ page }, info) => {
  test.setTimeout(600_000);
  const errors = await openBench(page);
  const cases: [string, string, Partial<SamplingConfig>[], number?][] = [
    ...(['fall-down', 'rise-portrait', 'test-card'] as const).map((id): [string, string, Partial<SamplingConfig>[]] => [`${id}.mp4`, `/clips/${id}.mp4`, PLANS]),
    ...(['good.mp4', 'portrait.mp4', 'with-audio.mp4'] as const).map((n): [string, string, Partial<SamplingConfig>[]] => [n, fileUrl(clips[n]), PLANS]),
    ['hour-long.mp4', fileUrl(clips['hour-long.mp4']), [{ strategy: 'spread', numFrames: 16 }]],
    ...(Object.keys(FAST_PATH) as (keyof typeof FAST_PATH)[]).filter((n) => FAST_PATH[n].fallback === null).map((n): [string, string, Partial<SamplingConfig>[]] => [n, fileUrl(fastPathClips[n]), PLANS]),
    // Rows out of order and repeated (looped windows, overlapping chunks): each row still gets its frame.
    ['bars-bframes.mp4 (loop, chunks)', fileUrl(fastPathClips['bars-bframes.mp4']), [{ strategy: 'uniform', numFrames: 16, stride: 5, start: 20, shortClip: 'loop' }, { strategy: 'chunks', numFrames: 8, stride: 3, chunks: 4 }]],
    // 50 frames × 400 px is taller than one canvas may be: each frame is read back as it is drawn.
    ['bars-bframes.mp4 (400², per-frame read-back)', fileUrl(fastPathClips['bars-bframes.mp4']), [{ strategy: 'dense', denseCap: 50 }], 400],
  ];
  for (const [name, url, plans, size] of cases) {
    for (const c of await comparePaths(page, url, plans, size)) {
      const what = `${name}, ${c.config.strategy} (${c.numFrames} frames)`;
      expect(c.ran, `${what}: ${c.fallbackReason}`).toBe('webcodecs');
      expect(Math.max(...c.maxDiff), `${what}:\n${describeMismatch(c)}`).toBeLessThanOrEqual(TOLERANCE);
      if (c.rechecked.length) info.annotations.push({ type: 'seek path re-asked', description: `${what}: rows ${c.rechecked.join(', ')} (stale frame on the first seek)` });
      // Where every frame differs from the next, an off-by-one frame is far over the tolerance.
      // (Not the clips that start late: their first frame shows from 0 until it starts.)
      if (/^(bars-bframes|bars-no-bframes|bars\.mov|card-|test-card)/.test(name)) {
        const next = c.nextFrameMaxDiff.filter((x): x is number => x !== null);
        expect(next.length, what).toBeGreaterThan(0);
        expect(Math.min(...next), `${what}: the frame one later differs by only ${Math.min(...next)}`).toBeGreaterThan(25 * TOLERANCE);
      }
    }
  }
  expect(errors).toEqual([]);
});

test('what the fast path does not cover falls back to seeking, and cancelling a decode does not break it', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = await openBench(page);
  const fallbacks: [string, string, RegExp][] = [
    ['good.webm', fileUrl(clips['good.webm']), /not an MP4 \(webm\)/],
    ['slide-right.webm', '/clips/slide-right.webm', /not an MP4 \(webm\)/],
    ['rotated.mp4', fileUrl(clips['rotated.mp4']), /rotation/],
    ['vfr.mp4', fileUrl(clips['vfr.mp4']), /variable frame rate/],
    ...(Object.keys(FAST_PATH) as (keyof typeof FAST_PATH)[]).filter((n) => FAST_PATH[n].fallback !== null).map((n): [string, string, RegExp] => [n, fileUrl(fastPathClips[n]), new RegExp(FAST_PATH[n].fallback!)]),
  ];
  for (const [name, url, reason] of fallbacks) {
    const [c] = await comparePaths(page, url, [{ strategy: 'spread', numFrames: 8 }]);
    expect(c.ran, name).toBe('seek');
    expect(c.fallbackReason, name).toMatch(reason);
    expect(c.numFrames, name).toBe(8);
  }
  for (const url of ['/clips/fall-down.mp4', fileUrl(clips['good.webm'])]) {
    const r = await page.evaluate((u) => window.__clipscopeBench!.samplingCancel(u), url);
    expect(r.cancelled, url).toBe('SamplingCancelled');
    expect(r.afterFrames, url).toBe(16);
    expect(r.after, `${url}: ${r.afterReason}`).toBe(url.endsWith('.mp4') ? 'webcodecs' : 'seek');
  }
  expect(errors).toEqual([]);
});

test('a cut file and a long index-at-the-end file: the fast path gives the seek path’s frames, up to the cut', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = await openBench(page);
  const cases: [string, string, Partial<SamplingConfig>[]][] = [
    // The last 8 frames before the cut (frames 141–148 of the 149 left) too: both paths read up to it, neither waits for bytes that never come.
    [CUT_FASTSTART.name, fileUrl(clips[CUT_FASTSTART.name]), [...PLANS, { strategy: 'uniform', numFrames: 8, stride: 1, start: 141 }]],
    ['phone-30min.mp4', fileUrl(clips['phone-30min.mp4']), [{ strategy: 'spread', numFrames: 16 }]],
  ];
  for (const [name, url, plans] of cases) {
    for (const c of await comparePaths(page, url, plans)) {
      const what = `${name}, ${c.config.strategy} (${c.numFrames} frames)`;
      expect(c.ran, `${what}: ${c.fallbackReason}`).toBe('webcodecs');
      expect(Math.max(...c.maxDiff), `${what}:\n${describeMismatch(c)}`).toBeLessThanOrEqual(TOLERANCE);
    }
  }
  expect(errors).toEqual([]);
});
