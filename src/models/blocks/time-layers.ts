// Parameter-free tfjs layers that move the time axis around, so 2D CNNs can run on clips and
// pathways can pick their frames. LayersNet (layers-net.ts) applies them; DescribeNet describes
// the same operations.
//
//   FoldTime               [N, T, H, W, C] → [N·T, H, W, C]   (per-frame trunks)
//   UnfoldTime(T)          [N·T, ...F]     → [N, T, ...F]     (back to a sequence of features)
//   StackTimeInChannels    [N, T, H, W, C] → [N, H, W, T·C]   (early fusion, the motion stream)
//   PickFrames(T, mode)    [N, T, H, W, C] → [N, H, W, C] middle frame, or [N·T, H, W, C] at inference
//   AverageFrameScores     [N·T, K]        → [N, K] at inference when PickFrames folded all frames
//   TemporalGather(idx)    [N, T, H, W, C] → [N, K, H, W, C]  (SlowFast's slow frames, I3D's time padding)
//
// WebGPU workaround (shared/TFJS-NOTES.md): rank-5 slices have a silently zero gradient on tfjs
// 4.22's webgpu backend (their gradient is a rank-5 pad), so every slice, gather and transpose
// here runs on a rank ≤ 4 view of the data. Reshapes are free and safe at any rank ≤ 6.

import * as tf from '@tensorflow/tfjs';
import { assertRank, one, oneShape } from './layer-io';

type Kwargs = Record<string, unknown>;

/** [N, T, H, W, C] → [N·T, H, W, C]: every frame becomes its own batch row. */
export class FoldTime extends tf.layers.Layer {
  static className = 'FoldTime';
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, t, ...rest] = oneShape(inputShape);
    return [n === null || t === null ? null : n * t, ...rest];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = one(inputs);
    assertRank(x.shape, 5, 'FoldTime');
    const [n, t, h, w, c] = x.shape;
    return x.reshape([n * t, h, w, c]); // [N, T, H, W, C] → [N·T, H, W, C]
  }
}

/** [N·T, ...F] → [N, T, ...F]. */
export class UnfoldTime extends tf.layers.Layer {
  static className = 'UnfoldTime';
  readonly numFrames: number;
  constructor(args: { numFrames: number; name?: string }) {
    super({ name: args.name });
    this.numFrames = args.numFrames;
  }
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [, ...rest] = oneShape(inputShape);
    return [null, this.numFrames, ...rest];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = one(inputs);
    const [nt, ...rest] = x.shape;
    if (nt % this.numFrames !== 0)
      throw new Error(`UnfoldTime: ${nt} rows are not whole clips of ${this.numFrames} frames.`);
    return x.reshape([nt / this.numFrames, this.numFrames, ...rest]); // [N·T, F] → [N, T, F]
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numFrames: this.numFrames };
  }
}

/** [N, T, H, W, C] → [N, H, W, T·C]: step t's channels land at t·C … t·C + C − 1. */
export class StackTimeInChannels extends tf.layers.Layer {
  static className = 'StackTimeInChannels';
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, t, h, w, c] = oneShape(inputShape);
    return [n, h, w, t === null || c === null ? null : t * c];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      assertRank(x.shape, 5, 'StackTimeInChannels');
      const [n, t, h, w, c] = x.shape;
      // Rank-4 transpose (see header): [N, T, H·W, C] → [N, H·W, T, C].
      const moved = x.reshape([n, t, h * w, c]).transpose([0, 2, 1, 3]);
      return moved.reshape([n, h, w, t * c]); // [N, H·W, T, C] → [N, H, W, T·C]
    });
  }
}

/** Index of the frame a single-frame view looks at: the middle one (T = 8 → frame 4). */
export const middleFrameIdx = (numFrames: number): number => Math.floor(numFrames / 2);

/** What PickFrames and AverageFrameScores share: the clip length and whether inference scores every frame. */
abstract class FrameViewLayer extends tf.layers.Layer {
  readonly numFrames: number;
  readonly averageAtInference: boolean;
  constructor(args: { numFrames: number; averageAtInference: boolean; name?: string }) {
    super({ name: args.name });
    this.numFrames = args.numFrames;
    this.averageAtInference = args.averageAtInference;
  }
  /** Inference (not training) with every frame scored. */
  protected allFrames(kwargs: Kwargs): boolean {
    return this.averageAtInference && kwargs['training'] !== true;
  }
  getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numFrames: this.numFrames,
      averageAtInference: this.averageAtInference,
    };
  }
}

/**
 * One frame of a clip. Training always sees the middle frame. At inference, with
 * `averageAtInference`, every frame goes through the CNN as its own row (then
 * AverageFrameScores averages their class scores); otherwise the middle frame again.
 */
export class PickFrames extends FrameViewLayer {
  static className = 'PickFrames';
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [, , h, w, c] = oneShape(inputShape);
    return [null, h, w, c];
  }
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      assertRank(x.shape, 5, 'PickFrames');
      const [n, t, h, w, c] = x.shape;
      if (t !== this.numFrames)
        throw new Error(`PickFrames: built for ${this.numFrames} frames, got ${t}.`);
      if (this.allFrames(kwargs)) return x.reshape([n * t, h, w, c]); // [N, T, H, W, C] → [N·T, H, W, C]
      // Rank-3 slice (see header): [N, T, H·W·C] → [N, 1, H·W·C] → [N, H, W, C].
      const mid = middleFrameIdx(t);
      return x
        .reshape([n, t, h * w * c])
        .slice([0, mid, 0], [n, 1, h * w * c])
        .reshape([n, h, w, c]);
    });
  }
}

/** Pairs with PickFrames: [N·T, K] → mean over T → [N, K] when all frames were scored. */
export class AverageFrameScores extends FrameViewLayer {
  static className = 'AverageFrameScores';
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...oneShape(inputShape)];
  }
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = one(inputs);
    if (!this.allFrames(kwargs)) return x.clone();
    const [nt, k] = x.shape;
    return tf.tidy(() => x.reshape([nt / this.numFrames, this.numFrames, k]).mean(1)); // [N·T, K] → [N, T, K] → [N, K]
  }
}

/** Picks frames along T by index: [N, T, H, W, C] → [N, K, H, W, C] (subsample, replicate-pad or crop time). */
export class TemporalGather extends tf.layers.Layer {
  static className = 'TemporalGather';
  readonly indices: number[];
  constructor(args: { indices: readonly number[]; name?: string }) {
    super({ name: args.name });
    this.indices = [...args.indices];
  }
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    return [s[0], this.indices.length, ...s.slice(2)];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      assertRank(x.shape, 5, 'TemporalGather');
      const [n, t, h, w, c] = x.shape;
      // [N, T, H, W, C] → [N, T, H·W·C]: gather (and its gradient) on rank 3, not rank 5.
      const picked = tf.gather(x.reshape([n, t, h * w * c]), tf.tensor1d(this.indices, 'int32'), 1); // [N, K, H·W·C]
      return picked.reshape([n, this.indices.length, h, w, c]); // [N, K, H·W·C] → [N, K, H, W, C]
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), indices: this.indices };
  }
}

for (const cls of [
  FoldTime,
  UnfoldTime,
  StackTimeInChannels,
  PickFrames,
  AverageFrameScores,
  TemporalGather,
])
  tf.serialization.registerClass(cls);
