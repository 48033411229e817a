// Shader warm-up for a training run: one throwaway optimizer step on a clone of the model (same
// family, config and clip, so the same layers and shapes), on a seeded random batch of the run's
// batch size, with the run's optimizer. Every GPU pipeline a step needs is compiled here (tfjs
// caches them by program and shape; our WebGPU kernels bake sizes into their shaders, so the
// batch size must be the run's), so the run's first real step costs about what later ones do.
// The clone, its optimizer and the batch are disposed; the run's own weights are never touched.

import * as tf from '@tensorflow/tfjs';
import type { BuiltModel, ClipSpec } from '../models/types';
import { probeBatch, probeTensors } from './probe';

export interface WarmUpResult {
  /** Wall time of the throwaway step (build, compile, run, read back), ms. */
  ms: number;
}

/** One step of `build()`'s model on `batch` random clips, as TrainLoop takes it (loss and argmax read back). The caller's tensors are untouched. */
export async function warmUpTraining(build: () => BuiltModel, clip: ClipSpec, batch: number, optimizer: 'adam' | 'sgd', learningRate = 1e-3): Promise<WarmUpResult> {
  if (!(Number.isInteger(batch) && batch >= 1)) throw new Error(`Warm-up batch must be a whole number ≥ 1, got ${batch}.`);
  const t0 = performance.now();
  const built = build();
  const opt = optimizer === 'sgd' ? tf.train.sgd(learningRate) : tf.train.adam(learningRate);
  let tensors: { xs: tf.Tensor[]; y: tf.Tensor } | null = null;
  let loss: tf.Scalar | null = null;
  let pred: tf.Tensor | null = null;
  try {
    tensors = probeTensors(probeBatch(built, clip, batch, 1));
    const { xs, y } = tensors;
    const vars = built.model.trainableWeights.map((w) => w.read() as tf.Variable);
    loss = opt.minimize(
      () => {
        const out = built.model.apply(xs.length === 1 ? xs[0] : xs, { training: true }) as tf.Tensor;
        pred = tf.keep(out.argMax(-1));
        return tf.metrics.categoricalCrossentropy(y, out).mean() as tf.Scalar;
      },
      true,
      vars,
    );
    if (!loss) throw new Error('The warm-up step returned no loss.');
    await Promise.all([loss.data(), (pred as tf.Tensor | null)!.data()]);
  } finally {
    if (tensors) tf.dispose([...tensors.xs, tensors.y]);
    if (loss) (loss as tf.Scalar).dispose();
    if (pred) (pred as tf.Tensor).dispose();
    opt.dispose();
    built.model.dispose();
  }
  return { ms: performance.now() - t0 };
}
