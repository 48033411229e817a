// The benchmark groups measured on the page: frame sampling (decode + draw + read back, no
// worker), main-thread responsiveness while the bench worker trains, and the app itself pressed
// to a verdict per family, as a lecturer would.

import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeBenchClip } from './test-clips';
import { lessonConfig } from '../src/test/lesson-setup';
import { verdict } from '../src/features/training-studio/verdict';
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
 * Press train to verdict, as a lecturer would: for each family, open the lesson's link on WebGPU
 * (`?family=…&task=order-direction&seed=…`, the unit tests' experiment from lesson-setup.ts),
 * press train, and time until the status reads done; the verdict is the results table's, against
 * the single-frame run measured first.
 */
export async function trainToVerdictGroup(ctx: BenchContext): Promise<GroupResult> {
  const rows: GroupResult[] = [];
  let baseline: number | null = null;
  for (const family of FAMILY_IDS as readonly FamilyId[]) {
    const c = lessonConfig(family, 'order-direction');
    const t = c.train;
    const query = `?family=${family}&task=${c.task}&seed=${c.seed}&frames=${c.numFrames}&size=${c.size}&epochs=${t.epochs}&batch=${t.batchSize}&lr=${t.learningRate}&optimizer=${t.optimizer}&backend=webgpu`;
    const page = await ctx.browser.newPage();
    try {
      await page.goto(`${ctx.base}/${query}`);
      await page
        .getByTestId('backend-badge')
        .filter({ hasNotText: /starting/ })
        .waitFor({ timeout: 120_000 });
      await page.getByLabel('Training clips / class').fill(String(c.trainPerClass));
      const t0 = Date.now();
      await page.getByTestId('train-button').click();
      await page.waitForFunction(
        () =>
          /^(done|error)$/.test(
            document.querySelector('[data-testid="train-status"]')?.textContent ?? '',
          ),
        undefined,
        { timeout: 1_200_000, polling: 250 },
      );
      const seconds = (Date.now() - t0) / 1000;
      const status = (await page.getByTestId('train-status').textContent()) ?? '';
      const text = (await page.getByTestId('val-accuracy').textContent()) ?? '';
      const valAcc = Number(/([\d.]+)\s*%/.exec(text)?.[1]) / 100;
      if (status !== 'done' || !Number.isFinite(valAcc))
        throw new Error(`${family}: status ${status}, val-accuracy "${text}"`);
      if (family === 'single-frame') baseline = valAcc;
      const v = verdict(family, valAcc, baseline, 2);
      ctx.log(
        `  ${family}: ${fmt(seconds, 1)} s to the verdict, val ${fmt(valAcc * 100, 1)}%: ${v}`,
      );
      rows.push({
        family,
        seconds,
        valAcc,
        verdict: v,
        trainPerClass: c.trainPerClass,
        epochs: t.epochs,
        steps: t.epochs * Math.ceil((2 * c.trainPerClass) / t.batchSize),
      });
    } catch (e) {
      const error = errorText(e).split('\n')[0];
      ctx.log(`  ${family}: FAILED ${error}`);
      rows.push({ family, error });
    } finally {
      await page.close();
    }
  }
  return { backend: 'webgpu', task: 'order-direction', rows };
}
