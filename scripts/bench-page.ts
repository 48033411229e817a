// The benchmark groups measured on the page: frame sampling (decode + draw + read back, no
// worker), main-thread responsiveness while the bench worker trains, and the app itself pressed
// to a verdict per family, as a lecturer would.

import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeBenchClip } from './test-clips';
import { recipeFor } from '../src/models/catalog';
import { FAMILY_IDS, type FamilyId } from '../src/models/family-info';
import { errorText } from '../src/lib/errors';
import type { SamplingBenchCase } from '../src/bench/sampling-bench';
import { fmt, pageOn, type BenchContext, type GroupResult } from './bench-context';

/** Sampling 16 and 64 frames from a generated 10 s 640×360 H.264 clip, on the page (clips issue). */
export async function samplingGroup(ctx: BenchContext): Promise<GroupResult> {
  const clip = makeBenchClip(path.join(tmpdir(), 'clipscope-bench'));
  const page = await ctx.openPage();
  try {
    await page.route('**/bench-clip.mp4', (route) =>
      route.fulfill({ path: clip, contentType: 'video/mp4' }),
    );
    if (!ctx.results.browser.userAgent)
      ctx.results.browser.userAgent = await page.evaluate(() =>
        window.__clipscopeBench!.userAgent(),
      );
    // Each case on the default path (WebCodecs for this MP4) and on the <video> seek path.
    const base: SamplingBenchCase[] = [
      { strategy: 'spread', numFrames: 16 },
      { strategy: 'random-crop', numFrames: 16, stride: 2 },
      { strategy: 'spread', numFrames: 64 },
      { strategy: 'random-crop', numFrames: 64, stride: 2 },
    ];
    const cases = (['auto', 'seek'] as const).flatMap((path) => base.map((c) => ({ ...c, path })));
    const r = await page.evaluate(
      ([c, repeats]) => window.__clipscopeBench!.sampling('/bench-clip.mp4', c, 112, repeats),
      [cases, ctx.quick ? 1 : 5] as const,
    );
    for (const row of r.rows)
      ctx.log(
        `  ${row.ran} ${row.strategy} ${row.numFrames} frames: ${fmt(row.medianMs)} ms (${fmt(row.percentOfClip, 1)}% of the clip)${row.fallbackReason && row.path !== 'seek' ? ` [not WebCodecs: ${row.fallbackReason}]` : ''}`,
      );
    return { ...r, goal: '16 frames in under 5% of the clip duration' };
  } finally {
    await page.close();
  }
}

export async function responsivenessGroup(ctx: BenchContext): Promise<GroupResult> {
  const page = await pageOn(ctx, 'webgpu');
  try {
    const steps = ctx.quick ? 2 : 5;
    const r = await page.evaluate(
      (n) =>
        window.__clipscopeBench!.longestTaskDuring('bench-train', {
          family: 'conv3d',
          repeats: n,
          warmup: 1,
          batch: 4,
        }),
      steps,
    );
    ctx.log(
      `  longest main-thread task while training: ${fmt(r.longestTaskMs)} ms (${r.longTasks} tasks ≥ 50 ms)`,
    );
    return {
      backend: 'webgpu',
      model: r.result.model,
      longestTaskMs: r.longestTaskMs,
      longTasks: r.longTasks,
      steps: steps + 1,
      goalMs: 50,
    };
  } finally {
    await page.close();
  }
}

/**
 * Press train to verdict, as a lecturer would, in one session of the bare app on WebGPU
 * (`?backend=webgpu` and nothing else): for each family in the lesson's order, click its card
 * (which loads its recipe, models/presets/<family>.ts), press Train once, and time until the
 * verdict is final — for a video model that includes the single-frame baseline the app trains
 * on the same data when none exists yet (a recipe sharing the baseline's data reuses it).
 */
export async function trainToVerdictGroup(ctx: BenchContext): Promise<GroupResult> {
  const rows: GroupResult[] = [];
  const page = await ctx.browser.newPage();
  try {
    await page.goto(`${ctx.base}/?backend=webgpu`);
    await page
      .getByTestId('backend-badge')
      .filter({ hasNotText: /starting/ })
      .waitFor({ timeout: 120_000 });
    for (const family of FAMILY_IDS as readonly FamilyId[]) {
      const r = recipeFor(family);
      try {
        await page.getByTestId(`family-${family}`).click();
        await page.getByTestId('recipe').filter({ hasText: 'Recipe for this family:' }).waitFor();
        const t0 = Date.now();
        await page.getByTestId('train-button').click();
        await page.waitForFunction(
          () => {
            const v = document.querySelector('[data-testid="verdict"]');
            const status = document.querySelector('[data-testid="train-status"]')?.textContent;
            return status === 'error' || (status === 'done' && v !== null && v.getAttribute('data-kind') !== 'pending');
          },
          undefined,
          { timeout: 1_200_000, polling: 250 },
        );
        const seconds = (Date.now() - t0) / 1000;
        const status = (await page.getByTestId('train-status').textContent()) ?? '';
        const text = (await page.getByTestId('val-accuracy').textContent()) ?? '';
        const valAcc = Number(/([\d.]+)\s*%/.exec(text)?.[1]) / 100;
        if (status !== 'done' || !Number.isFinite(valAcc)) throw new Error(`${family}: status ${status}, val-accuracy "${text}"`);
        const verdict = ((await page.getByTestId('verdict').textContent()) ?? '').replace(/^Verdict:\s*/, '');
        ctx.log(`  ${family}: ${fmt(seconds, 1)} s to the verdict, val ${fmt(valAcc * 100, 1)}%: ${verdict}`);
        rows.push({ family, seconds, valAcc, verdict, trainPerClass: r.clips, size: r.size, epochs: r.epochs, steps: r.epochs * Math.ceil((2 * r.clips) / r.batch) });
      } catch (e) {
        const error = errorText(e).split('\n')[0];
        ctx.log(`  ${family}: FAILED ${error}`);
        rows.push({ family, error });
      }
    }
  } finally {
    await page.close();
  }
  const totalSeconds = rows.reduce((a, r) => a + (typeof r.seconds === 'number' ? r.seconds : 0), 0);
  ctx.log(`  all seven families to their verdict: ${fmt(totalSeconds, 1)} s`);
  return { backend: 'webgpu', task: 'order-direction', totalSeconds, rows };
}
