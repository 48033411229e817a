// Optical flow in the browser: a generated clip with a known pan (a static texture seen through
// a window moving right at 50 px/s, so the content moves LEFT at 50 native px/s) must show that
// motion in `flow-mean`, as colours and arrows, on the worker's WebGPU backend. A scene like
// ordinary footage (flat regions, vertical bars, bands at 20°, 45° and 70°), panned the same way,
// must read as a horizontal motion, not "left and down" (the aperture problem: edges show only
// the motion across them); a flat clip must say it has too little texture to measure.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from './ui';

const PAN_PX_PER_S = 50;

/** A VP9 clip made once with ffmpeg from a lavfi source (and filters), cached in the temp folder. */
function makeVp9Clip(name: string, source: string, filters: string, bitrate = '400k'): string {
  const dir = join(tmpdir(), 'clipscope-e2e-flow');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  if (!existsSync(path)) execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', source, '-vf', filters, '-c:v', 'libvpx-vp9', '-b:v', bitrate, '-deadline', 'realtime', '-cpu-used', '8', path]);
  return path;
}

/** A 160-px-wide crop window moving over a 480×120 grey scene at PAN_PX_PER_S: 3 s at 25 fps. */
const panOver = (name: string, lum: string) => makeVp9Clip(name, `nullsrc=s=480x120:r=25:d=3,format=gray,geq=lum='${lum}'`, `crop=160:120:x='t*${PAN_PX_PER_S}':y=0,format=yuv420p`);

/** A smooth static texture, panned. */
const makePanClip = () => panOver('pan-left-50pxps.webm', '128+60*sin(X/5)*cos(Y/7)+40*sin((X+2*Y)/11)');

/** The same pan over flat regions with straight edges (hard-edged, as drawn): bands at 20° (dark),
 *  45° (light) and 70° (dark) over vertical bars every 60 px on a flat grey. */
const makeEdgesPanClip = () =>
  panOver('edges-pan-left-50pxps.webm', 'if(lt(mod(0.94*Y-0.342*X+1000,150),12),50,if(lt(mod(0.707*X-0.707*Y+1000,100),7),175,if(lt(mod(0.94*X-0.342*Y+1000,130),12),80,if(lt(mod(X,60),16),210,115))))');

/** 2 s of flat grey, 160×120 at 25 fps. */
const makeFlatClip = () => makeVp9Clip('flat-grey.webm', 'color=c=gray:s=160x120:r=25:d=2', 'format=yuv420p', '100k');

/** `count` frames of a clip decoded by ffmpeg to grey size × size bytes, [T, H, W, 1] flat. */
function rawGrey(path: string, size: number, count: number): number[] {
  const bytes = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', path, '-vf', `scale=${size}:${size}`, '-frames:v', String(count), '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 64 << 20 });
  expect(bytes.length).toBe(size * size * count);
  return Array.from(bytes);
}

/** The numbers of the `flow-mean` contract text. */
const meanOf = (text: string | null): [number, number] => {
  const [, dx, dy] = /dx=(-?[\d.]+), dy=(-?[\d.]+)/.exec(text ?? '') ?? [];
  return [Number(dx), Number(dy)];
};

test('flow-mean reports a known pan in native pixels per second, with colours, arrows and a legend', async ({ page }) => {
  const clip = makePanClip();
  const { consoleErrors } = await openApp(page, '?frames=8&size=32&stride=2&strategy=uniform');
  await page.getByTestId('clip-input').setInputFiles(clip);
  await expect(page.getByTestId('sample-status')).toContainText('Sampled 8 frame', { timeout: 60_000 });

  const mean = page.getByTestId('flow-mean');
  await expect(mean).toHaveText(/^dx=-?\d+\.\d, dy=-?\d+\.\d px\/s$/, { timeout: 120_000 });
  const [dx, dy] = meanOf(await mean.textContent());
  // Content moves left at 50 px/s; allow 15% for the 32-pixel working size and the clip's edges.
  expect(dx).toBeGreaterThan(-PAN_PX_PER_S * 1.15);
  expect(dx).toBeLessThan(-PAN_PX_PER_S * 0.85);
  expect(Math.abs(dy)).toBeLessThan(0.15 * PAN_PX_PER_S);
  await expect(page.getByTestId('flow-status')).toContainText('moving left');

  await expect(page.getByTestId('flow-thumb')).toHaveCount(7); // T − 1 pairs
  await expect(page.getByTestId('flow-legend')).toBeVisible();
  await page.getByTestId('flow-arrows-toggle').check();
  await expect(page.getByTestId('flow-arrows')).toHaveCount(7);

  // A different method setting recomputes (and is cached per setting).
  await page.getByTestId('flow-levels').selectOption('2');
  await expect(page.getByTestId('flow-status')).toContainText('moving left', { timeout: 120_000 });
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test('a pan over flat regions and straight edges reads as horizontal (the aperture problem), with the explanation', async ({ page }) => {
  const { consoleErrors } = await openApp(page, '?frames=8&size=64&stride=2&strategy=uniform');
  await page.getByTestId('clip-input').setInputFiles(makeEdgesPanClip());
  await expect(page.getByTestId('sample-status')).toContainText('Sampled 8 frame', { timeout: 60_000 });
  const mean = page.getByTestId('flow-mean');
  await expect(mean).toHaveText(/^dx=-?\d+\.\d, dy=-?\d+\.\d px\/s$/, { timeout: 120_000 });
  const [dx, dy] = meanOf(await mean.textContent());
  console.log(`edges pan: flow-mean dx=${dx}, dy=${dy} px/s (truth -${PAN_PX_PER_S}, 0); status: ${await page.getByTestId('flow-status').textContent()}`);
  expect(dx).toBeGreaterThan(-PAN_PX_PER_S * 1.15);
  expect(dx).toBeLessThan(-PAN_PX_PER_S * 0.85);
  expect(Math.abs(dy)).toBeLessThan(0.1 * Math.abs(dx)); // leak under 10%
  await expect(page.getByTestId('flow-status')).toContainText('moving left at');
  await expect(page.getByTestId('flow-explain')).toContainText('aperture problem');
  await expect(page.getByTestId('flow-explain')).toContainText(/\d+(\.\d)?% of pixels are determined/);
  expect(consoleErrors).toEqual([]);
});

test('a flat clip says it has too little texture to measure motion', async ({ page }) => {
  const { consoleErrors } = await openApp(page, '?frames=8&size=32&stride=2&strategy=uniform');
  await page.getByTestId('clip-input').setInputFiles(makeFlatClip());
  await expect(page.getByTestId('sample-status')).toContainText('Sampled 8 frame', { timeout: 60_000 });
  await expect(page.getByTestId('flow-status')).toContainText('too little texture to measure motion: 0.0% of pixels are determined', { timeout: 120_000 });
  await expect(page.getByTestId('flow-mean')).toHaveText('—');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

// The fused WebGPU flow (src/flow/fused-flow.ts, the app's default on webgpu) against the tfjs-op
// path on real decoded clip frames, 16 frames at the 112² working size, in the bench worker:
// endpoint difference ≤ 0.05 px, confidence within 1e-3 of its range, each path ran its own
// kernels (the fused one's outputs start as NaN-filled recycled buffers), no tensor leaked.
test('the fused webgpu flow matches the tfjs-op path on real clips (endpoint difference ≤ 0.05 px)', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/bench.html');
  await page.waitForFunction(() => window.__clipscopeBench !== undefined);
  const report = await page.evaluate(() => window.__clipscopeBench!.init('webgpu'));
  expect(report.backend, report.fallbackReason ?? '').toBe('webgpu');
  const size = 112;
  const count = 16;
  for (const [name, clip] of [['smooth pan', makePanClip()], ['edges and flat regions', makeEdgesPanClip()]] as const) {
    const frames = rawGrey(clip, size, count);
    const r = await page.evaluate(([f, s, c]) => window.__clipscopeBench!.request('bench-flow-check', { frames: f, shape: [c, s, s, 1] }), [frames, size, count] as const);
    const what = `${name}: ${JSON.stringify(r)}`;
    console.log(`fused vs ops flow, ${what}`);
    expect(r.defaultImpl, what).toBe('fused');
    expect(r.fusedKernels, what).toContain('FlowSolve');
    for (const k of ['MirrorPad', 'DepthwiseConv2dNative', 'SplitV']) expect(r.fusedKernels, what).not.toContain(k);
    expect(r.opsKernels, what).toContain('GatherV2');
    expect(r.opsKernels, what).not.toContain('FlowSolve');
    expect(r.gpuErrors, what).toEqual([]);
    expect(r.fusedFinite, what).toBe(true);
    expect(r.meanMotionPx, what).toBeGreaterThan(0.3); // the clip moves: ~0.7 px a frame at 112²
    expect(r.maxEndpointDiffPx, what).toBeLessThanOrEqual(0.05);
    expect(r.confidenceRelDiff, what).toBeLessThanOrEqual(1e-3);
    expect(r.numTensorsAfter, what).toBe(r.numTensorsBefore);
  }
  expect(errors).toEqual([]);
});
