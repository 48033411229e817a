// The benchmark groups of training and flow workloads in the bench worker, per backend: each
// family's tiny preset (ms per step, clips/s, inference, peak memory), memory flatness over many
// steps, and optical flow.

import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAMILY_IDS } from '../src/models/family-info';
import { errorText } from '../src/lib/errors';
import { BACKENDS, fmt, pageOn, type BenchContext, type GroupResult } from './bench-context';

/** The families the app's registry has built with a tiny preset (asked of the worker, so it is the build being benched). */
async function registered(page: Page): Promise<Set<string>> {
  const { families } = await page.evaluate(() => window.__clipscopeBench!.request('bench-families', {}));
  return new Set(families);
}

/**
 * The app's conv3d:tiny step in PyTorch on this machine's CPU (scripts/torch_conv3d_tiny.py), when
 * some Python here imports torch (Debian's python3-torch; optional): null otherwise, with why.
 */
function pytorchReference(ctx: BenchContext, steps: number): GroupResult {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch_conv3d_tiny.py');
  const tried: string[] = [];
  for (const py of ['python3', '/usr/bin/python3']) {
    try {
      const out = execFileSync(py, [script, '--steps', String(steps)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      ctx.log(`  PyTorch ${r.torch} CPU (${py}, ${r.threads} threads): conv3d:tiny ${fmt(r.medianMs, 1)} ms/step median, ${fmt(r.minMs, 1)} min`);
      return { ...r, python: py };
    } catch (e) {
      tried.push(`${py}: ${String((e as { stderr?: string }).stderr ?? e).trim().split('\n').pop()}`);
    }
  }
  ctx.log(`  PyTorch not found (${tried.join('; ')}): no reference row`);
  return { error: `no Python with torch (${tried.join('; ')})` };
}

export async function familiesGroup(ctx: BenchContext): Promise<GroupResult> {
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
                warmUp: true,
              }),
            [family, repeats] as const,
          );
          ctx.log(
            `    ${fmt(r.step.medianMs)} ms/step (warm-up step ${fmt(r.warmUpMs)} ms, first step after it ${fmt(r.firstStepMs)} ms), ${fmt(r.clipsPerSec, 2)} clips/s, ${fmt(r.inferMsPerClip, 1)} ms/clip inference`,
          );
          rows.push({ family, ...r, backend });
        } catch (e) {
          const error = errorText(e).split('\n')[0];
          ctx.log(`    FAILED: ${error}`);
          rows.push({ family, backend, error });
        }
      }
    } finally {
      await page.close();
    }
  }
  // Where a conv3d:tiny step goes on each backend (one profiled step after a warm one), and the
  // same net in PyTorch on the CPU: the CPU-only gap (bench/NOTES.md).
  const profiles: GroupResult[] = [];
  for (const backend of BACKENDS) {
    const page = await pageOn(ctx, backend);
    try {
      const p = await page.evaluate(() => window.__clipscopeBench!.request('bench-profile', { family: 'conv3d', batch: 4 }));
      const top = p.byKernel.slice(0, 8);
      ctx.log(`  ${backend}: conv3d:tiny step profile: ${p.dispatches} dispatches, ${fmt(p.wallMs)} ms wall; ${top.map((k) => `${k.name} ×${k.calls} ${fmt(k.ms, 1)}`).join(', ')}`);
      profiles.push({ backend, dispatches: p.dispatches, wallMs: p.wallMs, byKernel: top });
    } catch (e) {
      profiles.push({ backend, error: errorText(e).split('\n')[0] });
    } finally {
      await page.close();
    }
  }
  const pytorch = pytorchReference(ctx, ctx.quick ? 10 : 40);
  const conv3d = rows.filter((r) => r.family === 'conv3d' && !r.error);
  const minOf = (xs: number[]) => Math.min(...xs);
  const vsPytorch = pytorch.error
    ? null
    : Object.fromEntries(conv3d.map((r) => [r.backend, { median: r.step.medianMs / pytorch.medianMs, min: minOf(r.step.ms) / pytorch.minMs }]));
  const ms = (f: string, b: string) =>
    rows.find((r) => r.family === f && r.backend === b && !r.error)?.step.medianMs as
      number | undefined;
  const webgpuOverWebgl: Record<string, number | null> = {};
  for (const f of built)
    webgpuOverWebgl[f] =
      ms(f, 'webgpu') && ms(f, 'webgl') ? ms(f, 'webgpu')! / ms(f, 'webgl')! : null;
  return { rows, webgpuOverWebgl, notBuiltYet: FAMILY_IDS.filter((f) => !built.includes(f)), conv3dProfiles: profiles, pytorch, conv3dVsPytorch: vsPytorch };
}

export async function memoryGroup(ctx: BenchContext): Promise<GroupResult> {
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

export async function flowGroup(ctx: BenchContext): Promise<GroupResult> {
  const rows: GroupResult[] = [];
  let compare: GroupResult | null = null;
  for (const backend of BACKENDS) {
    const page = await pageOn(ctx, backend);
    try {
      // The fused WebGPU programs (the app's default there) and the tfjs-op path they replace, in
      // the same page; elsewhere the op path only. One timed run after the first (the op path takes
      // seconds a run here; fused: 3 runs), then one profiled run: where the time goes, per kernel
      // name (GPU timestamps: rank, do not add up).
      const impls = backend === 'webgpu' ? (['fused', 'ops'] as const) : (['ops'] as const);
      for (const impl of impls) {
        const r = await page.evaluate(
          ([n, profile, im]) =>
            window.__clipscopeBench!.request('bench-flow', {
              numFrames: 16,
              size: 112,
              repeats: n,
              profile,
              impl: im,
            }),
          [impl === 'fused' ? 3 : 1, backend !== 'cpu', impl] as const,
        );
        const top = (r.profile ?? []).slice(0, impl === 'fused' ? 10 : 5);
        ctx.log(
          `  ${backend} (${r.impl}): flow of 16 frames at 112²: ${fmt(r.medianMs)} ms (first run ${fmt(r.firstMs)} ms)${top.length ? `; top kernels: ${top.map((k) => `${k.name} ×${k.calls} ${fmt(k.ms)} ms`).join(', ')}` : ''}`,
        );
        rows.push({ ...r, profile: top });
      }
      if (backend === 'webgpu') {
        // Fused against ops on the same synthetic pan: endpoint difference (px at 112²).
        const c = await page.evaluate(() => window.__clipscopeBench!.request('bench-flow-check', {}));
        ctx.log(`  webgpu fused vs ops: max endpoint difference ${c.maxEndpointDiffPx.toExponential(2)} px (mean ${c.meanEndpointDiffPx.toExponential(2)}), confidence ${c.confidenceRelDiff.toExponential(2)}, GPU errors: ${c.gpuErrors.length}`);
        compare = c;
      }
    } finally {
      await page.close();
    }
  }
  const ms = (impl: string) => rows.find((r) => r.backend === 'webgpu' && r.impl === impl)?.medianMs as number | undefined;
  const fused = ms('fused');
  const ops = ms('ops');
  return {
    rows,
    /** tfjs-op path median / fused median, webgpu, same page. */
    flowSpeedup: fused && ops ? ops / fused : null,
    flowMaxDiffPx: compare ? (compare as GroupResult).maxEndpointDiffPx : null,
    flowCheck: compare,
  };
}
