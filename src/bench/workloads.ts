// Benchmark workloads that run inside the tfjs worker (src/training/handlers/bench.ts calls
// them): the same tfjs code path the app trains with, timed with performance.now() around work
// that ends in a read-back, so the GPU queue is drained inside each measurement.

import * as tf from '@tensorflow/tfjs';

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
 * a clip cut to 4 × 14 × 14 so the stock kernel finishes on a CPU-emulated GPU: forward and both
 * gradients, as one training step of the layer computes them.
 */
export const C3D_LAYER = { x: [1, 4, 14, 14, 128] as [number, number, number, number, number], filter: [3, 3, 3, 128, 256] as [number, number, number, number, number] };

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

/**
 * A stand-in for the conv3d family's `tiny` preset while the model registry is not on this
 * branch: two 3×3×3 conv blocks (8 and 16 channels) with pooling, global average, dense.
 * Input [N, T=8, H=32, W=32, C=3].
 */
export function buildConv3DStandIn(numClasses: number): tf.LayersModel {
  const input = tf.input({ shape: [8, 32, 32, 3] });
  let h = tf.layers.conv3d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  h = tf.layers.maxPooling3d({ poolSize: [1, 2, 2] }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.conv3d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.maxPooling3d({ poolSize: [2, 2, 2] }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.averagePooling3d({ poolSize: [4, 8, 8] }).apply(h) as tf.SymbolicTensor; // [4, 8, 8, 16] → [1, 1, 1, 16]
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: numClasses, activation: 'softmax' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

export interface TrainBench {
  step: Timing;
  clipsPerSec: number;
  inferMsPerClip: number;
  /** Largest tf.memory().numBytes seen during the measured steps. */
  peakBytes: number;
  batch: number;
}

/** Random inputs of the given per-clip shapes and random one-hot labels. */
export function randomBatch(inputShapes: number[][], batch: number, numClasses: number): { xs: tf.Tensor[]; y: tf.Tensor } {
  const xs = inputShapes.map((s) => tf.randomUniform([batch, ...s]));
  const y = tf.oneHot(tf.randomUniform([batch], 0, numClasses, 'int32') as tf.Tensor1D, numClasses);
  return { xs, y };
}

/** ms per training step (trainOnBatch, loss read back), clips/s, inference ms per clip, peak bytes. */
export async function benchTraining(model: tf.LayersModel, inputShapes: number[][], numClasses: number, batch: number, repeats: number, warmup: number): Promise<TrainBench> {
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const { xs, y } = randomBatch(inputShapes, batch, numClasses);
  let peakBytes = 0;
  try {
    const step = await timeIt(
      async () => {
        await model.trainOnBatch(xs.length === 1 ? xs[0] : xs, y);
        peakBytes = Math.max(peakBytes, tf.memory().numBytes);
      },
      repeats,
      warmup,
    );
    const infer = await timeIt(
      async () => {
        const p = tf.tidy(() => model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor);
        try {
          await p.data();
        } finally {
          p.dispose();
        }
      },
      repeats,
      1,
    );
    return { step, clipsPerSec: (batch * 1000) / step.medianMs, inferMsPerClip: infer.medianMs / batch, peakBytes, batch };
  } finally {
    tf.dispose([...xs, y]);
  }
}

export interface MemoryTrace {
  steps: number;
  numTensors: number[];
  numBytes: number[];
  /** numTensors after the last step minus after the first (0 = flat). */
  tensorGrowth: number;
  byteGrowth: number;
}

/** tf.memory() after each of `steps` training steps (goal: flat). */
export async function traceMemory(model: tf.LayersModel, inputShapes: number[][], numClasses: number, batch: number, steps: number): Promise<MemoryTrace> {
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const { xs, y } = randomBatch(inputShapes, batch, numClasses);
  const numTensors: number[] = [];
  const numBytes: number[] = [];
  try {
    for (let i = 0; i < steps; i++) {
      await model.trainOnBatch(xs.length === 1 ? xs[0] : xs, y);
      const m = tf.memory();
      numTensors.push(m.numTensors);
      numBytes.push(m.numBytes);
    }
  } finally {
    tf.dispose([...xs, y]);
  }
  return { steps, numTensors, numBytes, tensorGrowth: numTensors[numTensors.length - 1] - numTensors[0], byteGrowth: numBytes[numBytes.length - 1] - numBytes[0] };
}
