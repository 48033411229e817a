// Benchmark workloads that run inside the bench worker (src/bench/bench-handlers.ts calls
// them): the same tfjs code path the app trains with, timed with performance.now() around work
// that ends in a read-back, so the GPU queue is drained inside each measurement.

import * as tf from '@tensorflow/tfjs';
import { kernelTimes, type KernelTime } from '../lib/kernel-profile';
import { deriveSeed } from '../lib/random';
import type { FamilyId } from '../models/family-info';
import { findPreset } from '../models/registry';
import type { BuiltModel } from '../models/types';
import { buildSeeded, probeBatch, probeTensors } from '../training/probe';
import { warmUpTraining } from '../training/warm-up';

export interface Timing {
  /** One entry per measured repeat, after the warm-up runs. */
  ms: number[];
  medianMs: number;
}

export const median = (xs: number[]): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Run `fn` `warmup` times untimed (shader compilation), then `repeats` times timed. */
export async function timeIt(fn: () => Promise<void>, repeats: number, warmup: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return { ms, medianMs: median(ms) };
}

/**
 * A C3D-sized layer (Tran et al. 2015, conv3a: 3×3×3, 128 → 256 channels, stride 1, 'same') on
 * a clip cut to 4 × 8 × 8 so the stock kernel finishes in ~20 s on a CPU-emulated GPU: forward
 * and both gradients, as one training step of the layer computes them.
 */
const C3D_LAYER = { x: [1, 4, 8, 8, 128] as [number, number, number, number, number], filter: [3, 3, 3, 128, 256] as [number, number, number, number, number] };

export async function timeConv3DLayer(repeats: number, warmup: number): Promise<Timing & { gflop: number }> {
  const x = tf.randomNormal(C3D_LAYER.x) as tf.Tensor5D;
  const w = tf.randomNormal(C3D_LAYER.filter, 0, 0.05) as tf.Tensor5D;
  const y0 = tf.tidy(() => tf.conv3d(x, w, 1, 'same'));
  const r = tf.randomNormal(y0.shape) as tf.Tensor5D;
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, 1, 'same').mul(r).sum());
  const [, oD, oH, oW, oC] = y0.shape;
  const macs = oD * oH * oW * oC * C3D_LAYER.filter.slice(0, 4).reduce((a, b) => a * b, 1);
  try {
    const t = await timeIt(
      async () => {
        const s = tf.tidy(() => {
          const [dx, dw] = grads([x, w]);
          return dx.sum().add(dw.sum());
        });
        try {
          await s.data();
        } finally {
          s.dispose();
        }
      },
      repeats,
      warmup,
    );
    // forward + input gradient + filter gradient: 3 GEMMs of `macs` multiply-adds each.
    return { ...t, gflop: (3 * 2 * macs) / 1e9 };
  } finally {
    tf.dispose([x, w, y0, r]);
  }
}

export interface TrainBench {
  /** Family id and preset, e.g. "conv3d:tiny". */
  model: string;
  step: Timing;
  /** The first step of this model (the first warm-up run, timed): shader compilation unless something compiled them before. */
  firstStepMs: number | null;
  clipsPerSec: number;
  inferMsPerClip: number;
  /** Largest tf.memory().numBytes seen during the measured steps (tensor bytes). */
  peakBytes: number;
  /** Largest GPU allocation seen (webgpu: numBytesInGPUAllocated, webgl: numBytesInGPUAllocated); null on cpu. */
  peakGpuBytes: number | null;
  batch: number;
  trainableParams: number;
}

/** A registry preset built for benchmarking: model, optimizer, seeded random batch. Dispose when done. */
interface BenchModel {
  name: string;
  built: BuiltModel;
  optimizer: tf.Optimizer;
  xs: tf.Tensor[];
  y: tf.Tensor;
  dispose(): void;
}

/** Build `family`'s preset through the model registry, weights and batch from `seed` (training/probe.ts). */
export function buildBenchModel(family: FamilyId, preset: string, batch: number, seed = 1): BenchModel {
  const { family: fam, preset: p } = findPreset(`${family}:${preset}`);
  const built = buildSeeded(fam, p.config, p.clip, deriveSeed(seed, 'bench-build'));
  const optimizer = tf.train.adam(1e-3);
  let tensors: { xs: tf.Tensor[]; y: tf.Tensor };
  try {
    tensors = probeTensors(probeBatch(built, p.clip, batch, deriveSeed(seed, 'bench-batch')));
  } catch (e) {
    optimizer.dispose();
    built.model.dispose();
    throw e;
  }
  const { xs, y } = tensors;
  return {
    name: `${family}:${preset}`,
    built,
    optimizer,
    xs,
    y,
    dispose() {
      tf.dispose([...xs, y]);
      optimizer.dispose();
      built.model.dispose();
    },
  };
}

/** The app's warm-up (training/warm-up.ts) for `family`'s preset at `batch`: one step on a clone, before the measured model's first step. */
export async function warmUpBench(family: FamilyId, preset: string, batch: number): Promise<number> {
  const { family: fam, preset: p } = findPreset(`${family}:${preset}`);
  return (await warmUpTraining(() => buildSeeded(fam, p.config, p.clip, deriveSeed(2, 'bench-warm-up')), p.clip, batch, 'adam')).ms;
}

/** One optimizer step as the app's training loop takes it (minimize over model.apply, loss read back). */
export async function trainStep(m: BenchModel): Promise<number> {
  const vars = m.built.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const input = m.xs.length === 1 ? m.xs[0] : m.xs;
  const loss = m.optimizer.minimize(() => tf.metrics.categoricalCrossentropy(m.y, m.built.model.apply(input, { training: true }) as tf.Tensor).mean() as tf.Scalar, true, vars);
  if (!loss) throw new Error(`${m.name}: the optimizer returned no loss.`);
  try {
    const v = (await loss.data())[0];
    if (!Number.isFinite(v)) throw new Error(`${m.name}: the loss of a training step is ${v}.`);
    return v;
  } finally {
    loss.dispose();
  }
}

function gpuBytes(): number | null {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPUAllocated?: number };
  return typeof m.numBytesInGPUAllocated === 'number' ? m.numBytesInGPUAllocated : null;
}

/** ms per training step, clips/s, inference ms per clip, peak bytes of a built model. */
export async function benchTraining(m: BenchModel, repeats: number, warmup: number): Promise<TrainBench> {
  let peakBytes = 0;
  let peakGpuBytes: number | null = null;
  const batch = m.y.shape[0];
  let firstStepMs: number | null = null;
  const step = await timeIt(
    async () => {
      const t0 = performance.now();
      await trainStep(m);
      if (firstStepMs === null) firstStepMs = performance.now() - t0;
      peakBytes = Math.max(peakBytes, tf.memory().numBytes);
      const g = gpuBytes();
      if (g !== null) peakGpuBytes = Math.max(peakGpuBytes ?? 0, g);
    },
    repeats,
    warmup,
  );
  const input = m.xs.length === 1 ? m.xs[0] : m.xs;
  const infer = await timeIt(
    async () => {
      const p = tf.tidy(() => m.built.model.predict(input) as tf.Tensor);
      try {
        await p.data();
      } finally {
        p.dispose();
      }
    },
    repeats,
    1,
  );
  const trainableParams = m.built.model.trainableWeights.reduce((a, w) => a + w.shape.reduce((p: number, d) => p * (d ?? 1), 1), 0);
  return { model: m.name, step, firstStepMs, clipsPerSec: (batch * 1000) / step.medianMs, inferMsPerClip: infer.medianMs / batch, peakBytes, peakGpuBytes, batch, trainableParams };
}

export interface MemoryTrace {
  model: string;
  steps: number;
  numTensors: number[];
  numBytes: number[];
  /** numTensors after the last step minus after the first (0 = flat). */
  tensorGrowth: number;
  byteGrowth: number;
}

/** tf.memory() after each of `steps` training steps (goal: flat). */
export async function traceMemory(m: BenchModel, steps: number): Promise<MemoryTrace> {
  const numTensors: number[] = [];
  const numBytes: number[] = [];
  for (let i = 0; i < steps; i++) {
    await trainStep(m);
    const mem = tf.memory();
    numTensors.push(mem.numTensors);
    numBytes.push(mem.numBytes);
  }
  return { model: m.name, steps, numTensors, numBytes, tensorGrowth: numTensors[numTensors.length - 1] - numTensors[0], byteGrowth: numBytes[numBytes.length - 1] - numBytes[0] };
}

export interface KernelProfile {
  model: string;
  backend: string;
  /** Kernel dispatches in one training step (tf.profile's kernel list). */
  dispatches: number;
  /** Largest tensor bytes alive during the step. */
  peakBytes: number;
  /** Per kernel name: calls and summed kernel time (GPU timestamps where the backend has them, else wall time). */
  byKernel: KernelTime[];
  /** The slowest single dispatches, with their input shapes. */
  slowest: { name: string; ms: number; inputShapes: number[][]; outputShapes: number[][] }[];
  wallMs: number;
}

/** One profiled training step (after a warm-up step): dispatch count, peak bytes, time per kernel. */
export async function profileStep(m: BenchModel): Promise<KernelProfile> {
  await trainStep(m);
  const t0 = performance.now();
  const info = await tf.profile(() => trainStep(m));
  const wallMs = performance.now() - t0;
  const ms = (t: unknown): number => (typeof t === 'number' ? t : 0);
  const slowest = [...info.kernels]
    .sort((a, b) => ms(b.kernelTimeMs) - ms(a.kernelTimeMs))
    .slice(0, 12)
    .map((k) => ({ name: k.name, ms: ms(k.kernelTimeMs), inputShapes: k.inputShapes, outputShapes: k.outputShapes }));
  const byKernel = kernelTimes(info);
  return { model: m.name, backend: tf.getBackend(), dispatches: info.kernels.length, peakBytes: info.peakBytes, byKernel, slowest, wallMs };
}
