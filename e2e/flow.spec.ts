// Optical flow in the browser: a generated clip with a known pan (a static texture seen through
// a window moving right at 50 px/s, so the content moves LEFT at 50 native px/s) must show that
// motion in `flow-mean`, as colours and arrows, on the worker's WebGPU backend.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from './ui';

const PAN_PX_PER_S = 50;

/** 3 s, 160×120 at 25 fps, VP9: a smooth static texture panned by a moving crop window. */
function makePanClip(): string {
  const dir = join(tmpdir(), 'clipscope-e2e-flow');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'pan-left-50pxps.webm');
  if (!existsSync(path)) {
    const texture = `nullsrc=s=480x120:r=25:d=3,format=gray,geq=lum='128+60*sin(X/5)*cos(Y/7)+40*sin((X+2*Y)/11)'`;
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', texture, '-vf', `crop=160:120:x='t*${PAN_PX_PER_S}':y=0,format=yuv420p`, '-c:v', 'libvpx-vp9', '-b:v', '400k', '-deadline', 'realtime', '-cpu-used', '8', path]);
  }
  return path;
}

test('flow-mean reports a known pan in native pixels per second, with colours, arrows and a legend', async ({ page }) => {
  const clip = makePanClip();
  const { consoleErrors } = await openApp(page, '?frames=8&size=32&stride=2&strategy=uniform');
  await page.getByTestId('clip-input').setInputFiles(clip);
  await expect(page.getByTestId('sample-status')).toContainText('Sampled 8 frame', { timeout: 60_000 });

  const mean = page.getByTestId('flow-mean');
  await expect(mean).toHaveText(/^dx=-?\d+\.\d, dy=-?\d+\.\d px\/s$/, { timeout: 120_000 });
  const [, dx, dy] = /dx=(-?[\d.]+), dy=(-?[\d.]+)/.exec((await mean.textContent()) ?? '') ?? [];
  // Content moves left at 50 px/s; allow 15% for the 32-pixel working size and the clip's edges.
  expect(Number(dx)).toBeGreaterThan(-PAN_PX_PER_S * 1.15);
  expect(Number(dx)).toBeLessThan(-PAN_PX_PER_S * 0.85);
  expect(Math.abs(Number(dy))).toBeLessThan(0.15 * PAN_PX_PER_S);
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
