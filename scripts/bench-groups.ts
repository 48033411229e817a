// The benchmark groups `npm run bench` runs (scripts/bench.ts) and the markdown table they make.
// Each group opens bench.html, starts the app's worker on a backend and sends it bench requests
// (src/bench/bench-handlers.ts); the sampling group runs on the page (no worker) and
// train-to-verdict drives the app itself, as a user would.

import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { makeBenchClip } from './test-clips';
import { lessonConfig } from '../src/test/lesson-setup';
import { verdict } from '../src/features/training-studio/verdict';
import type { FamilyId } from '../src/models/family-info';
import type { BackendName } from '../src/lib/tf-backend';
import { FAMILY_IDS } from '../src/models/family-info';
import type { KernelTime } from '../src/lib/kernel-profile';
import type { SamplingBenchCase } from '../src/bench/sampling-bench';

export interface BenchResults {
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string };
  browser: { name: string; version: string; executable: string; args: string[]; userAgent: string };
  /** Backend → what the worker reported (adapter description, fallback reason). */
  adapters: Record<
    string,
    { backend: string; adapterInfo: string | null; fallbackReason: string | null }
  >;
  /** stock ms / ours ms for the WebGPU Conv3D kernels (the conv3d group). */
  conv3dSpeedup?: { trainStep: number; c3dLayer: number };
  /** Largest error of our Conv3D kernels against the stock ones, relative to the output scale. */
  maxRelError?: number;
  groups: Record<string, GroupResult>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GroupResult = { error?: string; [k: string]: any };

export interface BenchContext {
  browser: Browser;
  base: string;
  quick: boolean;
  log: (s: string) => void;
  results: BenchResults;
  openPage(): Promise<Page>;
}

const BACKENDS: BackendName[] = ['webgpu', 'webgl', 'cpu'];

/** A page with the worker started on `backend`; fails if it fell back to another backend. */
async function pageOn(
  ctx: BenchContext,
  backend: BackendName,
  conv3d: 'fast' | 'stock' = 'fast',
): Promise<Page> {
  const page = await ctx.openPage();
  const report = await page.evaluate(
    ([b, k]) => window.__clipscopeBench!.init(b as BackendName, k as 'fast' | 'stock'),
    [backend, conv3d] as const,
  );
  ctx.results.adapters[backend] = {
    backend: report.backend,
    adapterInfo: report.adapterInfo,
    fallbackReason: report.fallbackReason,
  };
  if (!ctx.results.browser.userAgent)
    ctx.results.browser.userAgent = await page.evaluate(() => window.__clipscopeBench!.userAgent());
  if (report.backend !== backend) {
    await page.close();
    throw new Error(
      `asked for ${backend}, the worker started ${report.backend}: ${report.fallbackReason ?? ''}`,
    );
  }
  return page;
}

const fmt = (x: number | null | undefined, digits = 0): string =>
  x == null || Number.isNaN(x)
    ? '—'
    : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function conv3dGroup(ctx: BenchContext): Promise<GroupResult> {
  const page = await pageOn(ctx, 'webgpu');
  try {
    ctx.log('  correctness: ours vs stock on random shapes…');
    const check = await page.evaluate(() =>
      window.__clipscopeBench!.request('bench-conv3d-check', {}),
    );
    ctx.log(
      `  maxRelError ${check.maxRelError.toExponential(2)}, all written: ${check.allWritten}, numerical-gradient error ${check.maxNumericalGradError.toExponential(2)}`,
    );
    const repeats = ctx.quick ? 1 : 3;
    ctx.log('  C3D-sized layer, forward + both gradients, stock then ours…');
    const layer = await page.evaluate(
      (r) =>
        window.__clipscopeBench!.request('bench-conv3d-layer', {
          repeats: r,
          warmup: 1,
          stockRepeats: Math.min(r, 2),
        }),
      repeats,
    );
    ctx.log(
      `  layer: stock ${fmt(layer.stock.medianMs)} ms, ours ${fmt(layer.fast.medianMs)} ms → ${fmt(layer.speedup, 1)}×`,
    );
    ctx.log('  conv3d training step, stock then ours…');
    const step = await page.evaluate(
      (r) =>
        window.__clipscopeBench!.request('bench-conv3d-step', { repeats: r, warmup: 1, batch: 4 }),
      repeats,
    );
    ctx.log(
      `  step: stock ${fmt(step.stock.step.medianMs)} ms, ours ${fmt(step.fast.step.medianMs)} ms → ${fmt(step.speedup, 1)}×`,
    );
    ctx.results.conv3dSpeedup = { trainStep: step.speedup, c3dLayer: layer.speedup };
    ctx.results.maxRelError = check.maxRelError;
    return {
      check,
      layer,
      step,
      conv3dSpeedup: ctx.results.conv3dSpeedup,
      maxRelError: check.maxRelError,
    };
  } finally {
    await page.close();
  }
}

/** The families the app's registry has built (asked of the worker, so it is the build being benched). */
async function registered(page: Page): Promise<Set<string>> {
  const zoo = await page.evaluate(() => window.__clipscopeBench!.request('model-zoo', {}));
  return new Set(
    zoo.families.filter((f) => f.presets.some((p) => p.name === 'tiny')).map((f) => f.id),
  );
}

async function familiesGroup(ctx: BenchContext): Promise<GroupResult> {
  const rows: GroupResult[] = [];
  const repeats = ctx.quick ? 1 : 3;
  let built: string[] = [];
  for (const backend of BACKENDS) {
    const page = await pageOn(ctx, backend);
    try {
      const have = await registered(page);
      built = FAMILY_IDS.filter((f) => have.has(f));
      for (const family of built) {
        ctx.log(`  ${backend}: ${family} tiny…`);
        try {
          const r = await page.evaluate(
            ([f, rep]) =>
              window.__clipscopeBench!.request('bench-train', {
                family: f,
                repeats: rep,
                warmup: 1,
                batch: 4,
              }),
            [family, repeats] as const,
          );
          ctx.log(
            `    ${fmt(r.step.medianMs)} ms/step, ${fmt(r.clipsPerSec, 2)} clips/s, ${fmt(r.inferMsPerClip, 1)} ms/clip inference`,
          );
          rows.push({ family, ...r, backend });
        } catch (e) {
          const error = e instanceof Error ? e.message.split('\n')[0] : String(e);
          ctx.log(`    FAILED: ${error}`);
          rows.push({ family, backend, error });
        }
      }
    } finally {
      await page.close();
    }
  }
  const ms = (f: string, b: string) =>
    rows.find((r) => r.family === f && r.backend === b && !r.error)?.step.medianMs as
      number | undefined;
  const webgpuOverWebgl: Record<string, number | null> = {};
  for (const f of built)
    webgpuOverWebgl[f] =
      ms(f, 'webgpu') && ms(f, 'webgl') ? ms(f, 'webgpu')! / ms(f, 'webgl')! : null;
  return { rows, webgpuOverWebgl, notBuiltYet: FAMILY_IDS.filter((f) => !built.includes(f)) };
}

/**
 * Our other WebGPU kernels (src/webgpu/ops: matmul, reductions, softmax, pooling):
 * each timed against tfjs's stock kernel on the shapes the tiny presets' profiles showed to be
 * slow, and every family's tiny preset's loss and gradients with ours against all-stock.
 */
async function kernelsGroup(ctx: BenchContext): Promise<GroupResult> {
  const page = await pageOn(ctx, 'webgpu');
  try {
    const ops = await page.evaluate(
      (r) => window.__clipscopeBench!.request('bench-ops', { repeats: r, warmup: 1 }),
      ctx.quick ? 1 : 5,
    );
    for (const o of ops)
      ctx.log(
        `  ${o.name}: stock ${fmt(o.stock.medianMs, 1)} ms, ours ${fmt(o.fast.medianMs, 1)} ms → ${fmt(o.speedup, 1)}×`,
      );
    const models: GroupResult[] = [];
    for (const family of FAMILY_IDS) {
      const r = await page.evaluate(
        (f) => window.__clipscopeBench!.request('bench-model-check', { family: f }),
        family,
      );
      ctx.log(
        `  ${r.model}: loss and gradients ours vs stock, max relative error ${r.maxRelError.toExponential(2)}${r.gpuErrors.length ? `, GPU errors: ${r.gpuErrors.join('; ')}` : ''}`,
      );
      models.push({
        family,
        model: r.model,
        weights: r.weights,
        maxRelError: r.maxRelError,
        worst: r.worst[0]?.weight ?? null,
        gpuErrors: r.gpuErrors,
      });
    }
    return {
      ops,
      models,
      maxModelRelError: Math.max(...models.map((m) => m.maxRelError as number)),
    };
  } finally {
    await page.close();
  }
}

async function responsivenessGroup(ctx: BenchContext): Promise<GroupResult> {
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

async function memoryGroup(ctx: BenchContext): Promise<GroupResult> {
  const page = await pageOn(ctx, 'webgpu');
  try {
    const steps = ctx.quick ? 10 : 50;
    const r = await page.evaluate(
      (s) =>
        window.__clipscopeBench!.request('bench-memory', { family: 'conv3d', steps: s, batch: 4 }),
      steps,
    );
    ctx.log(
      `  ${r.steps} steps: numTensors ${r.numTensors[0]} → ${r.numTensors[r.numTensors.length - 1]}, bytes ${r.numBytes[0]} → ${r.numBytes[r.numBytes.length - 1]}`,
    );
    return r;
  } finally {
    await page.close();
  }
}

async function flowGroup(ctx: BenchContext): Promise<GroupResult> {
  const rows: GroupResult[] = [];
  for (const backend of BACKENDS) {
    const page = await pageOn(ctx, backend);
    try {
      // One timed run after the first (flow takes seconds a run here), then one profiled run:
      // where the time goes, per kernel name (GPU timestamps: rank, do not add up).
      const r = await page.evaluate(
        ([n, profile]) =>
          window.__clipscopeBench!.request('flow-bench', {
            numFrames: 16,
            size: 112,
            repeats: n,
            profile,
          }),
        [1, backend !== 'cpu'] as const,
      );
      const top = (r.profile ?? []).slice(0, 5);
      ctx.log(
        `  ${backend}: flow of 16 frames at 112²: ${fmt(r.medianMs)} ms (first run ${fmt(r.firstMs)} ms)${top.length ? `; top kernels: ${top.map((k) => `${k.name} ×${k.calls} ${fmt(k.ms)} ms`).join(', ')}` : ''}`,
      );
      rows.push({ ...r, profile: top });
    } finally {
      await page.close();
    }
  }
  return { rows };
}

/** Sampling 16 and 64 frames from a generated 10 s 640×360 H.264 clip, on the page (clips issue). */
async function samplingGroup(ctx: BenchContext): Promise<GroupResult> {
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

/**
 * Press train to verdict, as a lecturer would: for each family, open the lesson's link on WebGPU
 * (`?family=…&task=order-direction&seed=…`, the unit tests' experiment from lesson-setup.ts),
 * press train, and time until the status reads done; the verdict is the results table's, against
 * the single-frame run measured first.
 */
async function trainToVerdictGroup(ctx: BenchContext): Promise<GroupResult> {
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
      const error = e instanceof Error ? e.message.split('\n')[0] : String(e);
      ctx.log(`  ${family}: FAILED ${error}`);
      rows.push({ family, error });
    } finally {
      await page.close();
    }
  }
  return { backend: 'webgpu', task: 'order-direction', rows };
}

export const GROUPS = {
  conv3d: conv3dGroup,
  families: familiesGroup,
  kernels: kernelsGroup,
  sampling: samplingGroup,
  flow: flowGroup,
  'train-to-verdict': trainToVerdictGroup,
  responsiveness: responsivenessGroup,
  memory: memoryGroup,
} satisfies Record<string, (ctx: BenchContext) => Promise<GroupResult>>;
export type GroupName = keyof typeof GROUPS;

export function renderMarkdown(r: BenchResults): string {
  const L: string[] = [];
  L.push('# Clipscope benchmark results', '');
  L.push(
    `${r.date.slice(0, 10)} · ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB · ${r.browser.name} ${r.browser.version} (headless) · ${r.machine.os}`,
    '',
  );
  for (const [b, a] of Object.entries(r.adapters))
    L.push(
      `- ${b}: ${a.adapterInfo ?? 'no adapter description'}${a.fallbackReason ? ` (fallback: ${a.fallbackReason})` : ''}`,
    );
  L.push(
    '',
    'Medians over repeats after a warm-up run; ms are wall-clock times inside the app’s tfjs worker, each ending in a read-back. How: bench/NOTES.md. Raw numbers: bench/results.json.',
    '',
  );
  const g = r.groups;
  if (g.conv3d && !g.conv3d.error) {
    const c = g.conv3d;
    L.push('## Conv3D on WebGPU: our kernels vs tfjs 4.22’s stock ones', '');
    L.push('| workload | stock ms | ours ms | speed-up |', '|---|---:|---:|---:|');
    L.push(
      `| conv3d training step (${c.step.model}, batch ${c.step.fast.batch}) | ${fmt(c.step.stock.step.medianMs)} | ${fmt(c.step.fast.step.medianMs)} | **${fmt(c.step.speedup, 1)}×** |`,
    );
    L.push(
      `| C3D-sized layer (conv3a) 1×4×8×8×128 → 256, 3×3×3 same, forward + both gradients (${fmt(c.layer.fast.gflop, 1)} GFLOP) | ${fmt(c.layer.stock.medianMs)} | ${fmt(c.layer.fast.medianMs)} | **${fmt(c.layer.speedup, 1)}×** |`,
    );
    L.push(
      '',
      `Correctness on ${c.check.cases.length} random shapes (odd sizes, strides, same/valid, one dilated): max relative error vs stock **${c.check.maxRelError.toExponential(2)}** (bound 1e-4), every output element written: **${c.check.allWritten ? 'yes' : 'NO'}**, gradients vs central differences: max relative gap ${c.check.maxNumericalGradError.toExponential(2)}.`,
      '',
    );
    L.push(
      '| case | forward | dx | dW | ⟨dx,V⟩ vs FD | ⟨dW,V⟩ vs FD |',
      '|---|---:|---:|---:|---:|---:|',
    );
    const e = (x: number | null) => (x == null ? '—' : x.toExponential(1));
    for (const k of c.check.cases)
      L.push(
        `| ${k.name}: x ${k.x.join('×')}, W ${k.filter.join('×')}, s ${k.strides.join('×')} | ${e(k.forwardRelError)} | ${e(k.inputGradRelError)} | ${e(k.filterGradRelError)} | ${e(k.numericalInputGradError)} | ${e(k.numericalFilterGradError)} |`,
      );
    L.push('');
  } else if (g.conv3d?.error) L.push('## Conv3D', '', `Could not run: ${g.conv3d.error}`, '');
  if (g.families && !g.families.error) {
    const f = g.families;
    L.push('## Families (`tiny` presets) per backend', '');
    L.push(
      `Batch of 4 random clips, Adam, one step = forward + backward + update with the loss read back (the training loop’s step). Peak MB: tensor bytes (tf.memory().numBytes) / GPU bytes allocated.`,
      '',
    );
    L.push(
      '| family | backend | ms / step | clips / s | inference ms / clip | peak MB |',
      '|---|---|---:|---:|---:|---:|',
    );
    for (const row of f.rows as GroupResult[]) {
      if (row.error) L.push(`| ${row.family} | ${row.backend} | failed: ${row.error} | | | |`);
      else
        L.push(
          `| ${row.family} | ${row.backend} | ${fmt(row.step.medianMs)} | ${fmt(row.clipsPerSec, 2)} | ${fmt(row.inferMsPerClip, 1)} | ${fmt(row.peakBytes / 2 ** 20, 1)}${row.peakGpuBytes != null ? ` / ${fmt(row.peakGpuBytes / 2 ** 20, 1)}` : ''} |`,
        );
    }
    L.push('', '| family | WebGPU / WebGL step time |', '|---|---:|');
    for (const [k, v] of Object.entries(f.webgpuOverWebgl as Record<string, number | null>))
      L.push(`| ${k} | ${fmt(v, 2)} |`);
    if ((f.notBuiltYet as string[]).length)
      L.push(
        '',
        `Not built yet (not in src/models/registry.ts): ${(f.notBuiltYet as string[]).join(', ')}.`,
      );
    L.push('');
  }
  if (g.kernels && !g.kernels.error && g.kernels.ops) {
    const k = g.kernels;
    L.push('## Other WebGPU kernels: ours vs tfjs 4.22’s stock ones', '');
    L.push(
      'Each kernel called directly on the shape named, stock and ours in the same run (src/bench/op-bench.ts).',
      '',
    );
    L.push('| kernel, shape | stock ms | ours ms | speed-up |', '|---|---:|---:|---:|');
    for (const o of k.ops as GroupResult[])
      L.push(
        `| ${o.name} | ${fmt(o.stock.medianMs, 1)} | ${fmt(o.fast.medianMs, 1)} | ${fmt(o.speedup, 1)}× |`,
      );
    L.push(
      '',
      `Whole models (src/bench/model-check.ts): one seeded batch, loss and every weight's gradient with all our kernels against all-stock; max relative error **${(k.maxModelRelError as number).toExponential(1)}**.`,
      '',
    );
    L.push(
      '| model | weights | max relative error | worst weight | GPU errors |',
      '|---|---:|---:|---|---|',
    );
    for (const m of k.models as GroupResult[])
      L.push(
        `| ${m.model} | ${m.weights} | ${(m.maxRelError as number).toExponential(1)} | ${m.worst ?? '—'} | ${(m.gpuErrors as string[]).length ? (m.gpuErrors as string[]).join('; ') : 'none'} |`,
      );
    L.push('');
  }
  if (g.flow && !g.flow.error) {
    L.push(
      '## Optical flow',
      '',
      '| backend | frames | size | median ms | first run ms | top kernels (profiled run: calls, ms) |',
      '|---|---:|---:|---:|---:|---|',
    );
    for (const r of g.flow.rows as GroupResult[])
      L.push(
        `| ${r.backend} | ${r.numFrames} | ${r.size}² | ${fmt(r.medianMs)} | ${fmt(r.firstMs)} | ${((r.profile ?? []) as KernelTime[]).map((k) => `${k.name} ×${k.calls} ${fmt(k.ms)}`).join(', ') || '—'} |`,
      );
    L.push('');
  }
  if (g.sampling && !g.sampling.error && g.sampling.rows) {
    const sm = g.sampling;
    L.push('## Frame sampling (page side: decode + draw + read back)', '');
    L.push(
      `Generated ${fmt(sm.clip.durationS, 0)} s ${sm.clip.width}×${sm.clip.height} ${sm.clip.codec ?? ''} clip at ${fmt(sm.clip.fps, 0)} fps, keyframe every 2 s, frames resized and centre-cropped to ${sm.size}². Goal: 16 frames in under 5% of the clip's duration. Paths: \`webcodecs\` decodes each needed keyframe group once (src/data/mp4-decoder.ts, the default for MP4s it covers); \`seek\` seeks a <video> per frame (the fallback).`,
      '',
    );
    L.push(
      '| path | strategy | frames | median ms | ms / frame | % of clip duration |',
      '|---|---|---:|---:|---:|---:|',
    );
    const pathOf = (r: GroupResult) => r.ran ?? 'seek'; // rows from before the fast path have no `ran`
    for (const r of sm.rows as GroupResult[])
      L.push(
        `| ${pathOf(r)} | ${r.strategy === 'spread' ? 'spread over the clip' : `random crop, stride ${r.stride}`} | ${r.numFrames} | ${fmt(r.medianMs)} | ${fmt(r.medianMs / r.numFrames, 1)} | ${fmt(r.percentOfClip, 1)}% |`,
      );
    L.push('');
  }
  if (g['train-to-verdict'] && !g['train-to-verdict'].error && g['train-to-verdict'].rows) {
    L.push('## Press train to verdict (order-direction, WebGPU)', '');
    L.push(
      'The lesson’s link per family (src/test/lesson-setup.ts: seed 1, 8×16×16 clips, 8×32×32 for the transformer), train pressed, timed until the status reads done; the verdict is the app’s, against the single-frame run.',
      '',
    );
    L.push(
      '| family | clips / class | epochs | steps | seconds | val acc | verdict |',
      '|---|---:|---:|---:|---:|---:|---|',
    );
    for (const r of g['train-to-verdict'].rows as GroupResult[])
      L.push(
        r.error
          ? `| ${r.family} | | | | failed: ${r.error} | | |`
          : `| ${r.family} | ${r.trainPerClass} | ${r.epochs} | ${r.steps} | ${fmt(r.seconds, 1)} | ${fmt(r.valAcc * 100, 1)}% | ${r.verdict} |`,
      );
    L.push('');
  }
  if (g.responsiveness && !g.responsiveness.error)
    L.push(
      '## Responsiveness',
      '',
      `Longest main-thread task while the worker trains (${g.responsiveness.model}, ${g.responsiveness.backend}): **${fmt(g.responsiveness.longestTaskMs)} ms** (${g.responsiveness.longTasks} long tasks; goal < 50 ms).`,
      '',
    );
  if (g.memory && !g.memory.error) {
    const m = g.memory;
    L.push(
      '## Memory',
      '',
      `tf.memory() across ${m.steps} training steps (${m.model}, ${m.backend}): numTensors ${m.numTensors[0]} → ${m.numTensors[m.numTensors.length - 1]} (growth ${m.tensorGrowth}), bytes ${fmt(m.numBytes[0])} → ${fmt(m.numBytes[m.numBytes.length - 1])} (growth ${fmt(m.byteGrowth)}).`,
      '',
    );
  }
  for (const [name, gr] of Object.entries(g))
    if (gr.error && !['conv3d'].includes(name)) L.push(`- ${name}: could not run: ${gr.error}`);
  return L.join('\n') + '\n';
}
