// Parameter-free tfjs layers that move the time axis around, so a 2D CNN can run on clips:
//
//   FoldTime               [N, T, H, W, C] → [N·T, H, W, C]   (per-frame trunk, late fusion, CNN+RNN)
//   UnfoldTime(T)          [N·T, F]        → [N, T, F]        (back to a sequence of features)
//   StackFramesAsChannels  [N, T, H, W, C] → [N, H, W, T·C]   (early fusion)
//   PickFrames(T, mode)    [N, T, H, W, C] → [N, H, W, C] middle frame, or [N·T, H, W, C] at inference
//   AverageFrameScores     [N·T, K]        → [N, K] at inference when PickFrames folded all frames
//
// WebGPU workaround (shared/TFJS-NOTES.md): rank-5 slices have a silently zero gradient on tfjs
// 4.22's webgpu backend (their gradient is a rank-5 pad), so every slice and transpose here is
// done on a rank ≤ 4 view of the data. Reshapes are free and safe at any rank ≤ 6.

import * as tf from '@tensorflow/tfjs';

type Kwargs = Record<string, unknown>;
const one = (x: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(x) ? x[0] : x);
const shapeOf = (s: tf.Shape | tf.Shape[]): tf.Shape => (Array.isArray(s[0]) ? (s[0] as tf.Shape) : (s as tf.Shape));

function assertRank(shape: tf.Shape, rank: number, who: string): void {
  if (shape.length !== rank) throw new Error(`${who} expects a rank-${rank} input, got shape [${shape.join(', ')}].`);
}

/** [N, T, H, W, C] → [N·T, H, W, C]: every frame becomes its own batch row. */
export class FoldTime extends tf.layers.Layer {
  static className = 'FoldTime';
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, t, ...rest] = shapeOf(inputShape);
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
    const [, ...rest] = shapeOf(inputShape);
    return [null, this.numFrames, ...rest];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = one(inputs);
    const [nt, ...rest] = x.shape;
    if (nt % this.numFrames !== 0) throw new Error(`UnfoldTime: ${nt} rows are not whole clips of ${this.numFrames} frames.`);
    return x.reshape([nt / this.numFrames, this.numFrames, ...rest]); // [N·T, F] → [N, T, F]
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numFrames: this.numFrames };
  }
}

/** [N, T, H, W, C] → [N, H, W, T·C]: frame t's channels land at t·C … t·C + C − 1. */
export class StackFramesAsChannels extends tf.layers.Layer {
  static className = 'StackFramesAsChannels';
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, t, h, w, c] = shapeOf(inputShape);
    return [n, h, w, t === null || c === null ? null : t * c];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      assertRank(x.shape, 5, 'StackFramesAsChannels');
      const [n, t, h, w, c] = x.shape;
      // Rank-4 transpose (see header): [N, T, H·W, C] → [N, H·W, T, C].
      const moved = x.reshape([n, t, h * w, c]).transpose([0, 2, 1, 3]);
      return moved.reshape([n, h, w, t * c]); // [N, H·W, T, C] → [N, H, W, T·C]
    });
  }
}

/** Index of the frame a single-frame model looks at: the middle one (T = 8 → frame 4). */
export const middleFrameIdx = (numFrames: number): number => Math.floor(numFrames / 2);

/**
 * The single-frame model's view of a clip. Training always sees the middle frame. At inference,
 * with `averageAtInference`, every frame goes through the CNN as its own row (then
 * AverageFrameScores averages their class scores); otherwise the middle frame again.
 */
export class PickFrames extends tf.layers.Layer {
  static className = 'PickFrames';
  readonly numFrames: number;
  readonly averageAtInference: boolean;
  constructor(args: { numFrames: number; averageAtInference: boolean; name?: string }) {
    super({ name: args.name });
    this.numFrames = args.numFrames;
    this.averageAtInference = args.averageAtInference;
  }
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [, , h, w, c] = shapeOf(inputShape);
    return [null, h, w, c];
  }
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      assertRank(x.shape, 5, 'PickFrames');
      const [n, t, h, w, c] = x.shape;
      if (t !== this.numFrames) throw new Error(`PickFrames: built for ${this.numFrames} frames, got ${t}.`);
      if (this.averageAtInference && kwargs['training'] !== true) return x.reshape([n * t, h, w, c]); // [N, T, H, W, C] → [N·T, H, W, C]
      // Rank-3 slice (see header): [N, T, H·W·C] → [N, 1, H·W·C] → [N, H, W, C].
      const mid = middleFrameIdx(t);
      return x.reshape([n, t, h * w * c]).slice([0, mid, 0], [n, 1, h * w * c]).reshape([n, h, w, c]);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numFrames: this.numFrames, averageAtInference: this.averageAtInference };
  }
}

/** Pairs with PickFrames: [N·T, K] → mean over T → [N, K] when all frames were scored. */
export class AverageFrameScores extends tf.layers.Layer {
  static className = 'AverageFrameScores';
  readonly numFrames: number;
  readonly averageAtInference: boolean;
  constructor(args: { numFrames: number; averageAtInference: boolean; name?: string }) {
    super({ name: args.name });
    this.numFrames = args.numFrames;
    this.averageAtInference = args.averageAtInference;
  }
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...shapeOf(inputShape)];
  }
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = one(inputs);
    if (!this.averageAtInference || kwargs['training'] === true) return x.clone();
    const [nt, k] = x.shape;
    return tf.tidy(() => x.reshape([nt / this.numFrames, this.numFrames, k]).mean(1)); // [N·T, K] → [N, T, K] → [N, K]
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numFrames: this.numFrames, averageAtInference: this.averageAtInference };
  }
}

for (const cls of [FoldTime, UnfoldTime, StackFramesAsChannels, PickFrames, AverageFrameScores]) tf.serialization.registerClass(cls);
