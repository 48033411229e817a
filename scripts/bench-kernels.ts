// The benchmark groups of our WebGPU kernels against tfjs's stock ones, in the bench worker
// (src/bench/bench-handlers.ts): Conv3D (correctness, a C3D-sized layer, a training step) and
// the other kernels (single ops on slow shapes, every family's loss and gradients).

import { FAMILY_IDS } from '../src/models/family-info';
import { fmt, pageOn, type BenchContext, type GroupResult } from './bench-context';

export async function conv3dGroup(ctx: BenchContext): Promise<GroupResult> {
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

/**
 * Our other WebGPU kernels (src/webgpu/ops: matmul, reductions, softmax, pooling):
 * each timed against tfjs's stock kernel on the shapes the tiny presets' profiles showed to be
 * slow, and every family's tiny preset's loss and gradients with ours against all-stock.
 */
export async function kernelsGroup(ctx: BenchContext): Promise<GroupResult> {
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
