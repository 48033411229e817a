// The benchmark worker's handlers (bench-protocol.ts): timings taken inside this worker, on the
// app's own tfjs path (models come from the model registry, steps are taken the way the training
// loop takes them), and `init` through the app worker's backend start (worker/backend-start.ts).
// Driven by the bench page (src/bench/bench-entry.ts ← scripts/bench.ts) and the e2e kernel test.

import * as tf from '@tensorflow/tfjs';
import { activeConv3DKernels, selectConv3DKernels, type Conv3DImpl } from '../webgpu/conv3d-kernels';
import { checkConv3DKernels } from './checks/conv3d-check';
import { checkBroadcastKernels } from './checks/broadcast-check';
import { benchTraining, buildBenchModel, profileStep, timeConv3DLayer, traceMemory, warmUpBench } from './workloads';
import { isFamilyId } from '../models/family-info';
import { registeredFamilies } from '../models/registry';
import { startBackend } from '../worker/backend-start';
import { checkModelKernels } from './model-check';
import { benchOps } from './op-bench';
import { benchFlow, panningClip } from './flow-bench';
import { checkFusedFlow } from './checks/flow-check';
import type { BenchHandlers } from './bench-protocol';

function requireWebGPU(what: string): void {
  if (tf.getBackend() !== 'webgpu') throw new Error(`${what} needs the webgpu backend; this worker runs ${tf.getBackend()}.`);
}

function checkCounts(args: Record<string, number | undefined>): void {
  for (const [k, v] of Object.entries(args)) if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 1000)) throw new Error(`bench: ${k} must be a whole number from 0 to 1000, got ${v}.`);
}

function familyOf(name: string) {
  if (!isFamilyId(name)) throw new Error(`bench: unknown model family “${name}”.`);
  return name;
}

/** Run `fn` with the given Conv3D kernels, then restore the ones that were active. */
async function withKernels<T>(impl: Conv3DImpl, fn: () => Promise<T>): Promise<T> {
  const before = activeConv3DKernels();
  selectConv3DKernels(impl);
  try {
    return await fn();
  } finally {
    selectConv3DKernels(before);
  }
}

export const benchHandlers: BenchHandlers = {
  init: ({ backend }, ctx) => startBackend(ctx.thread === 'main' ? 'cpu' : backend, ctx.thread),
  async 'bench-families'() {
    return { families: registeredFamilies().filter((f) => 'tiny' in f.presets).map((f) => f.id) };
  },
  async 'bench-conv3d-check'() {
    return checkConv3DKernels();
  },
  async 'bench-ops-check'() {
    return checkBroadcastKernels();
  },
  async 'bench-conv3d-layer'({ repeats, warmup, stockRepeats }) {
    checkCounts({ repeats, warmup, stockRepeats });
    requireWebGPU('The Conv3D layer benchmark');
    const stock = await withKernels('stock', () => timeConv3DLayer(stockRepeats ?? repeats, warmup));
    const fast = await withKernels('fast', () => timeConv3DLayer(repeats, warmup));
    return { stock, fast, speedup: stock.medianMs / fast.medianMs };
  },
  async 'bench-conv3d-step'({ repeats, warmup, batch }) {
    checkCounts({ repeats, warmup, batch });
    requireWebGPU('The Conv3D training-step benchmark');
    // The same model (same weights) for both kernels: only the Conv3D kernels differ.
    const m = buildBenchModel('conv3d', 'tiny', batch);
    try {
      const stock = await withKernels('stock', () => benchTraining(m, repeats, warmup));
      const fast = await withKernels('fast', () => benchTraining(m, repeats, warmup));
      return { model: m.name, stock, fast, speedup: stock.step.medianMs / fast.step.medianMs };
    } finally {
      m.dispose();
    }
  },
  async 'bench-train'({ family, preset, repeats, warmup, batch, warmUp }) {
    checkCounts({ repeats, warmup, batch });
    const warmUpMs = warmUp ? await warmUpBench(familyOf(family), preset ?? 'tiny', batch) : null;
    const m = buildBenchModel(familyOf(family), preset ?? 'tiny', batch);
    try {
      return { ...(await benchTraining(m, repeats, warmup)), backend: tf.getBackend(), warmUpMs };
    } finally {
      m.dispose();
    }
  },
  async 'bench-profile'({ family, batch }) {
    checkCounts({ batch });
    const m = buildBenchModel(familyOf(family), 'tiny', batch);
    try {
      return await profileStep(m);
    } finally {
      m.dispose();
    }
  },
  async 'bench-ops'({ repeats, warmup }) {
    checkCounts({ repeats, warmup });
    return benchOps(repeats, warmup);
  },
  async 'bench-model-check'({ family, fast, preset }) {
    return checkModelKernels(familyOf(family), fast ?? 'fast', preset ?? 'tiny');
  },
  async 'bench-memory'({ family, steps, batch }) {
    checkCounts({ steps, batch });
    const m = buildBenchModel(familyOf(family), 'tiny', batch);
    try {
      return { ...(await traceMemory(m, steps)), backend: tf.getBackend() };
    } finally {
      m.dispose();
    }
  },
  async 'bench-flow'(args) {
    return benchFlow(args);
  },
  async 'bench-flow-check'(args) {
    return checkFusedFlow(args, () => panningClip(16, 112));
  },
};
