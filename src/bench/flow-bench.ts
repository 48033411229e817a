// The bench worker's 'bench-flow' request (the flow group of scripts/bench-workloads.ts):
// optical flow for a 16-frame clip at 112 × 112 on the current tfjs backend. Frames are a smooth
// random texture panning diagonally, so the estimator does its real work (every level, every
// iteration). Times are wall-clock ms until the flow is read back; the first run includes shader
// compilation and is reported apart. `impl` picks the fused WebGPU path (the default) or the
// tfjs-op path, so both can be timed in one run.

import * as tf from '@tensorflow/tfjs';
import { flowImplFor, flowOfFrames, selectFlowImpl, selectedFlowImpl, type FlowConfig, type FlowImpl } from '../flow/optical-flow';
import { kernelTimes, type KernelTime } from '../lib/kernel-profile';

export interface FlowBenchOptions {
  numFrames?: number; // default 16 (15 frame pairs)
  size?: number; // default 112 (H = W)
  repeats?: number; // timed runs after the warm-up, default 5
  config?: Partial<FlowConfig>;
  /** Also profile one run (tf.profile): time and calls per kernel name, slowest first. */
  profile?: boolean;
  /** 'fused' (the app's default: fused WebGPU programs where they run) or 'ops' (the tfjs-op path). */
  impl?: FlowImpl;
}

export interface FlowBenchResult {
  backend: string;
  /** The implementation that ran ('fused' only on webgpu). */
  impl: FlowImpl;
  numFrames: number;
  size: number;
  /** First run: includes shader compilation on GPU backends. */
  firstMs: number;
  medianMs: number;
  minMs: number;
  runsMs: number[];
  profile?: KernelTime[];
}

/** A [T, S, S, 3] clip in [0, 1]: a blurred random texture shifted 1.5 px right and 0.75 px down per frame. */
export function panningClip(numFrames: number, size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const big = size + Math.ceil(1.5 * numFrames) + 8;
    const noise = tf.randomUniform([1, big, big, 1], 0, 1, 'float32', 42) as tf.Tensor4D;
    const k = tf.tensor1d([1, 4, 6, 4, 1]).div(16);
    const blur = (x: tf.Tensor4D) =>
      tf.conv2d(
        tf.conv2d(x, k.reshape([5, 1, 1, 1]) as tf.Tensor4D, 1, 'same'),
        k.reshape([1, 5, 1, 1]) as tf.Tensor4D,
        1,
        'same',
      );
    const tex = blur(blur(noise));
    const frames = Array.from({ length: numFrames }, (_, t) => {
      const ox = Math.round(1.5 * t);
      const oy = Math.round(0.75 * t);
      // The window moves left/up over the texture, so the content pans right/down.
      return tex.slice([0, big - size - 4 - oy, big - size - 4 - ox, 0], [1, size, size, 1]);
    });
    return tf.concat(frames, 0).tile([1, 1, 1, 3]) as tf.Tensor4D;
  });
}

export async function benchFlow(options: FlowBenchOptions = {}): Promise<FlowBenchResult> {
  const numFrames = options.numFrames ?? 16;
  const size = options.size ?? 112;
  const repeats = options.repeats ?? 5;
  const before = selectedFlowImpl();
  selectFlowImpl(options.impl ?? 'fused');
  const impl = flowImplFor(size, size, options.config);
  const clip = panningClip(numFrames, size);
  const runsMs: number[] = [];
  let firstMs = 0;
  let profile: FlowBenchResult['profile'];
  try {
    for (let r = 0; r <= repeats; r++) {
      const t0 = performance.now();
      const flow = flowOfFrames(clip, options.config);
      try {
        await flow.data();
      } finally {
        flow.dispose();
      }
      const ms = performance.now() - t0;
      if (r === 0) firstMs = ms;
      else runsMs.push(ms);
    }
    if (options.profile) profile = await profileFlow(clip, options.config);
  } finally {
    clip.dispose();
    selectFlowImpl(before);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    backend: tf.getBackend(),
    impl,
    numFrames,
    size,
    firstMs: round(firstMs),
    medianMs: round(sorted.length ? sorted[Math.floor(sorted.length / 2)] : firstMs),
    minMs: round(sorted.length ? sorted[0] : firstMs),
    runsMs: runsMs.map(round),
    profile,
  };
}

async function profileFlow(clip: tf.Tensor4D, config?: Partial<FlowConfig>): Promise<KernelTime[]> {
  const info = await tf.profile(async () => {
    const flow = flowOfFrames(clip, config);
    try {
      await flow.data();
    } finally {
      flow.dispose();
    }
  });
  return kernelTimes(info);
}
