// The markdown table of a benchmark run (bench/results.md), from the results record
// scripts/bench.ts also writes as bench/results.json.

import type { KernelTime } from '../src/lib/kernel-profile';
import { fmt, type BenchResults, type GroupResult } from './bench-context';

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
      `Batch of 4 random clips, Adam, one step = forward + backward + update with the loss read back (the training loop’s step). Warm-up: the app’s throwaway step on a clone at train start (src/training/warm-up.ts), i.e. a cold first step with shader compilation; first step: the measured model’s first step after it. Peak MB: tensor bytes (tf.memory().numBytes) / GPU bytes allocated.`,
      '',
    );
    L.push(
      '| family | backend | ms / step | warm-up step ms | first step ms (÷ median) | clips / s | inference ms / clip | peak MB |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const row of f.rows as GroupResult[]) {
      if (row.error) L.push(`| ${row.family} | ${row.backend} | failed: ${row.error} | | | | | |`);
      else
        L.push(
          `| ${row.family} | ${row.backend} | ${fmt(row.step.medianMs)} | ${row.warmUpMs != null ? fmt(row.warmUpMs) : '—'} | ${row.firstStepMs != null ? `${fmt(row.firstStepMs)} (${fmt(row.firstStepMs / row.step.medianMs, 1)}×)` : '—'} | ${fmt(row.clipsPerSec, 2)} | ${fmt(row.inferMsPerClip, 1)} | ${fmt(row.peakBytes / 2 ** 20, 1)}${row.peakGpuBytes != null ? ` / ${fmt(row.peakGpuBytes / 2 ** 20, 1)}` : ''} |`,
        );
    }
    L.push('', '| family | WebGPU / WebGL step time |', '|---|---:|');
    for (const [k, v] of Object.entries(f.webgpuOverWebgl as Record<string, number | null>))
      L.push(`| ${k} | ${fmt(v, 2)} |`);
    if (f.pytorch) {
      L.push('', '### conv3d:tiny against PyTorch on the same CPU', '');
      if (f.pytorch.error) L.push(`No PyTorch reference: ${f.pytorch.error}.`);
      else {
        L.push(
          `PyTorch ${f.pytorch.torch} CPU, ${f.pytorch.threads} threads (scripts/torch_conv3d_tiny.py, the same net and step): **${fmt(f.pytorch.medianMs, 1)} ms** median, ${fmt(f.pytorch.minMs, 1)} ms fastest of ${f.pytorch.steps} steps.`,
          '',
          '| backend | app ms / step (median) | app fastest | ÷ PyTorch (median) | ÷ PyTorch (fastest) |',
          '|---|---:|---:|---:|---:|',
        );
        for (const row of (f.rows as GroupResult[]).filter((r) => r.family === 'conv3d' && !r.error)) {
          const v = f.conv3dVsPytorch?.[row.backend];
          L.push(`| ${row.backend} | ${fmt(row.step.medianMs)} | ${fmt(Math.min(...(row.step.ms as number[])))} | ${v ? fmt(v.median, 1) : '—'}× | ${v ? fmt(v.min, 1) : '—'}× |`);
        }
      }
    }
    if (f.conv3dProfiles) {
      L.push('', '### Where a conv3d:tiny step goes (one profiled step, top kernels: calls, ms)', '', '| backend | dispatches | wall ms | top kernels |', '|---|---:|---:|---|');
      for (const p of f.conv3dProfiles as GroupResult[])
        L.push(p.error ? `| ${p.backend} | failed: ${p.error} | | |` : `| ${p.backend} | ${p.dispatches} | ${fmt(p.wallMs)} | ${(p.byKernel as KernelTime[]).map((k) => `${k.name} ×${k.calls} ${fmt(k.ms, 1)}`).join(', ')} |`);
    }
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
    const fl = g.flow;
    L.push('## Optical flow', '');
    if (fl.flowSpeedup != null)
      L.push(
        `Fused WebGPU programs (src/flow/fused-flow.ts, the default on webgpu) vs the tfjs-op path, same page: **${fmt(fl.flowSpeedup, 1)}×** faster; max endpoint difference **${(fl.flowMaxDiffPx as number).toExponential(1)} px** at 112² (mean ${(fl.flowCheck.meanEndpointDiffPx as number).toExponential(1)}; confidence ${(fl.flowCheck.confidenceRelDiff as number).toExponential(1)} of its range; GPU errors: ${(fl.flowCheck.gpuErrors as string[]).length ? (fl.flowCheck.gpuErrors as string[]).join('; ') : 'none'}).`,
        '',
      );
    L.push(
      '| backend | path | frames | size | median ms | first run ms | top kernels (profiled run: calls, ms) |',
      '|---|---|---:|---:|---:|---:|---|',
    );
    for (const r of fl.rows as GroupResult[])
      L.push(
        `| ${r.backend} | ${r.impl ?? 'ops'} | ${r.numFrames} | ${r.size}² | ${fmt(r.medianMs)} | ${fmt(r.firstMs)} | ${((r.profile ?? []) as KernelTime[]).map((k) => `${k.name} ×${k.calls} ${fmt(k.ms)}`).join(', ') || '—'} |`,
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
      `The bare app (\`?backend=webgpu\`), one session: each family's card clicked (its recipe, models/presets/<family>.ts), Train pressed once, timed until the verdict is final (for a video model with no single-frame run on its data, the baseline the app trains is included). All seven: ${fmt(g['train-to-verdict'].totalSeconds ?? NaN, 1)} s.`,
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
