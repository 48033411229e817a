// Two-stream family [two-stream]: an appearance stream on RGB frames and a motion stream on
// stacked optical flow, fused late (Simonyan & Zisserman, "Two-Stream Convolutional Networks for
// Action Recognition in Videos", NeurIPS 2014), plus SlowFast as the 'slowfast' variant
// (slowfast.ts: two frame rates instead of two modalities).
//
//   frames [N, T, H, W, 3] ── middle frame ──▶ [N, H, W, 3] ──▶ RGB CNN ──▶ softmax ─┐
//                          (or every frame:  [N·T, H, W, 3] ──▶ CNN ──▶ mean over T)   ├─ average
//   flow   [N, L, H, W, 2] ── stack ──▶ [N, H, W, 2·L] ──▶ motion CNN ──▶ softmax ────┘  (or learned:
//     (or frame-diff [N, T−1, H, W, 3] ── stack ──▶ [N, H, W, 3·(T−1)])                  concat features → fc)
//
// The motion stream's first convolution sees all L flows at once (2·L input channels: dx, dy of
// flow 1, dx, dy of flow 2, …): that is where it mixes time. 'frame-diff' replaces flow by
// differences of consecutive frames, a cheap stand-in that the UI labels as such.
// Each stream: [conv k×k (no bias) → BN → ReLU → 2×2 max-pool] per width, global average pool.
//
// All reshapes keep rank ≤ 4 (see the custom layers below): no rank-5 pad, slice or broadcast
// reaches WebGPU (shared/TFJS-NOTES.md).

import * as tf from '@tensorflow/tfjs';
import { batchNormRow, convRow, denseRow, shapeRow, sumTotals } from './describe';
import { SLOWFAST_R50, SLOWFAST_TINY, buildSlowFast, describeSlowFast, type SlowFastConfig } from './slowfast';
import type { BuiltModel, ClipSpec, Description, FamilyDef, InputKind, LayerRow, Preset } from './types';

export interface TwoStreamNetConfig {
  variant: 'two-stream';
  motion: 'flow' | 'frame-diff'; // 'flow': L optical flows (2·L channels); 'frame-diff': T−1 frame differences
  numFlows: number; // 0: flows stacked L ≤ T − 1, 0 = every pair (T − 1) (Simonyan & Zisserman use 10); ignored by frame-diff
  rgb: 'middle' | 'all'; // 'middle': the RGB stream sees the middle frame; 'all': every frame, features averaged
  widths: number[]; // [8, 16]: conv channels per stage of each stream
  kernelSize: number; // 3
  fusion: 'average' | 'learned'; // 'average': mean of the two streams' softmax scores; 'learned': fc on both features
  dropout: number; // 0: before each classifier
}

export type TwoStreamConfig = TwoStreamNetConfig | SlowFastConfig;

export const DEFAULT_TWO_STREAM: TwoStreamNetConfig = {
  variant: 'two-stream',
  motion: 'flow',
  numFlows: 0,
  rgb: 'middle',
  widths: [8, 16],
  kernelSize: 3,
  fusion: 'average',
  dropout: 0,
};

/** Motion input: its kind and per-clip shape [L, H, W, channels] for this clip. */
export function motionInput(c: TwoStreamNetConfig, clip: ClipSpec): { kind: InputKind; shape: number[] } {
  if (clip.numFrames < 2) throw new Error(`Two-stream: the motion stream needs at least 2 frames, the clip has ${clip.numFrames}.`);
  if (c.motion === 'frame-diff') return { kind: 'frame-diff', shape: [clip.numFrames - 1, clip.height, clip.width, clip.channels] };
  if (!(Number.isInteger(c.numFlows) && c.numFlows >= 0)) throw new Error(`Two-stream: the number of stacked flows L must be a whole number ≥ 1 (or 0 for all), got ${c.numFlows}.`);
  // A clip of T frames has T − 1 flows: L = 0 stacks all of them, and so does a clip shorter
  // than L + 1 frames (L = min(L, T − 1)).
  const l = c.numFlows === 0 ? clip.numFrames - 1 : Math.min(c.numFlows, clip.numFrames - 1);
  return { kind: 'flow', shape: [l, clip.height, clip.width, 2] };
}

// ───────────────────────────── custom reshaping layers (rank ≤ 4) ─────────────────────────────

interface NamedArgs {
  name?: string;
}
const one = (x: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(x) ? x[0] : x);
const oneShape = (s: tf.Shape | tf.Shape[]): tf.Shape => (Array.isArray(s[0]) ? (s[0] as tf.Shape) : (s as tf.Shape));

/** Stacks time into channels: [N, L, H, W, C] → [N, H, W, L·C] (channel l·C + c = step l, channel c). */
export class StackTimeInChannels extends tf.layers.Layer {
  static className = 'ClipscopeStackTimeInChannels';
  constructor(args: NamedArgs = {}) {
    super(args);
  }
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, l, h, w, c] = oneShape(inputShape) as number[];
    return [n ?? null, h, w, l * c];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const [n, l, h, w, c] = x.shape;
      // [N, L, H, W, C] → [N, L, H·W, C] → [N, H·W, L, C] → [N, H, W, L·C]
      return x.reshape([n, l, h * w, c]).transpose([0, 2, 1, 3]).reshape([n, h, w, l * c]);
    });
  }
}

interface PickFrameArgs extends NamedArgs {
  frameIdx: number;
}

/** One frame of a clip: [N, T, H, W, C] → [N, H, W, C], sliced on a rank-3 view. */
export class PickFrame extends tf.layers.Layer {
  static className = 'ClipscopePickFrame';
  readonly frameIdx: number;
  constructor(args: PickFrameArgs) {
    super(args);
    this.frameIdx = args.frameIdx;
  }
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    return [s[0], ...s.slice(2)];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const [n, t, h, w, c] = x.shape;
      // [N, T, H, W, C] → [N, T, H·W·C] → frame f → [N, H, W, C]
      return x.reshape([n, t, h * w * c]).slice([0, this.frameIdx, 0], [n, 1, h * w * c]).reshape([n, h, w, c]);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), frameIdx: this.frameIdx };
  }
}

/** Folds time into the batch: [N, T, H, W, C] → [N·T, H, W, C] (the symbolic batch stays null). */
export class FoldTime extends tf.layers.Layer {
  static className = 'ClipscopeFoldTime';
  constructor(args: NamedArgs = {}) {
    super(args);
  }
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    return [null, ...s.slice(2)];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = one(inputs);
    const [n, t, ...rest] = x.shape;
    return x.reshape([n * t, ...rest]);
  }
}

interface MeanOverTimeArgs extends NamedArgs {
  numFrames: number;
}

/** Undoes FoldTime on pooled features and averages over time: [N·T, F] → [N, T, F] → [N, F]. */
export class MeanOverTime extends tf.layers.Layer {
  static className = 'ClipscopeMeanOverTime';
  readonly numFrames: number;
  constructor(args: MeanOverTimeArgs) {
    super(args);
    this.numFrames = args.numFrames;
  }
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    return [null, s[s.length - 1]];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const [nt, f] = x.shape;
      return x.reshape([nt / this.numFrames, this.numFrames, f]).mean(1);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numFrames: this.numFrames };
  }
}

for (const cls of [StackTimeInChannels, PickFrame, FoldTime, MeanOverTime]) tf.serialization.registerClass(cls);

// ───────────────────────────── describe ─────────────────────────────

function describeStream(rows: LayerRow[], inShape: number[], c: TwoStreamNetConfig, prefix: string, firstTemporal: boolean): number[] {
  let shape = inShape;
  c.widths.forEach((width, i) => {
    const conv = convRow(shape, { name: `${prefix}.conv${i}`, kernel: [c.kernelSize, c.kernelSize], filters: width, bias: false, temporal: firstTemporal && i === 0 });
    shape = conv.outputShape;
    rows.push(conv, batchNormRow(shape, `${prefix}.bn${i}`));
    const d = shape.length;
    shape = [...shape.slice(0, d - 3), Math.floor(shape[d - 3] / 2), Math.floor(shape[d - 2] / 2), shape[d - 1]];
    rows.push(shapeRow(shape, `${prefix}.pool${i}`, 'pool', { note: 'ReLU, 2×2 max-pool' }));
  });
  const feat = [shape[shape.length - 1]];
  rows.push(shapeRow(feat, `${prefix}.gap`, 'pool', { temporal: shape.length > 3, note: shape.length > 3 ? 'global average pool, then mean over frames' : 'global average pool' }));
  return feat;
}

export function describeTwoStreamNet(c: TwoStreamNetConfig, clip: ClipSpec): Description {
  const motion = motionInput(c, clip);
  const rows: LayerRow[] = [];
  const mid = Math.floor(clip.numFrames / 2);
  const rgbIn = c.rgb === 'middle' ? [clip.height, clip.width, clip.channels] : [clip.numFrames, clip.height, clip.width, clip.channels];
  rows.push(shapeRow(rgbIn, 'rgb.frames', 'reshape', { note: c.rgb === 'middle' ? `frame ${mid} of ${clip.numFrames}` : `all ${clip.numFrames} frames, one CNN each (shared weights)` }));
  const rgbFeat = describeStream(rows, rgbIn, c, 'rgb', false);
  const [l, h, w, ch] = motion.shape;
  const label = c.motion === 'flow' ? `${l} flows × (dx, dy)` : `${l} frame differences × ${ch} colours (a stand-in for optical flow)`;
  rows.push(shapeRow([h, w, l * ch], 'motion.stack', 'reshape', { temporal: true, note: `${label} stacked as ${l * ch} channels` }));
  const motionFeat = describeStream(rows, [h, w, l * ch], c, 'motion', true);
  if (c.fusion === 'average') {
    rows.push(denseRow(rgbFeat, clip.numClasses, 'rgb.head', { note: 'then softmax' }));
    rows.push(denseRow(motionFeat, clip.numClasses, 'motion.head', { note: 'then softmax' }));
    rows.push(shapeRow([clip.numClasses], 'fusion', 'average', { temporal: true, note: 'mean of the two streams’ class scores' }));
  } else {
    const both = [rgbFeat[0] + motionFeat[0]];
    rows.push(shapeRow(both, 'fusion', 'concat', { temporal: true, note: 'both streams’ features' }));
    rows.push(denseRow(both, clip.numClasses, 'head', { note: 'learned fusion, then softmax' }));
  }
  const rgbMacs = rows.filter((r) => r.name.startsWith('rgb.')).reduce((a, r) => a + r.macs, 0);
  const motionMacs = rows.filter((r) => r.name.startsWith('motion.')).reduce((a, r) => a + r.macs, 0);
  return {
    family: 'two-stream',
    variant: `two-stream/${c.motion}`,
    clip,
    layers: rows,
    totals: sumTotals(rows),
    extras: [
      { label: 'Motion input', value: c.motion === 'flow' ? `optical flow: L = ${l} flows → 2·L = ${2 * l} channels` : `frame differences (not optical flow): ${l} × ${ch} = ${l * ch} channels` },
      { label: 'First-layer filter', value: `RGB ${c.kernelSize}×${c.kernelSize}×${clip.channels} = ${c.kernelSize ** 2 * clip.channels} weights vs motion ${c.kernelSize}×${c.kernelSize}×${l * ch} = ${c.kernelSize ** 2 * l * ch}` },
      { label: 'Compute split', value: `RGB ${rgbMacs.toLocaleString('en-US')} MACs, motion ${motionMacs.toLocaleString('en-US')} MACs` },
    ],
  };
}

// ───────────────────────────── build ─────────────────────────────

type Sym = tf.SymbolicTensor;

function stream(x: Sym, c: TwoStreamNetConfig, prefix: string): Sym {
  let y = x;
  c.widths.forEach((width, i) => {
    y = tf.layers.conv2d({ filters: width, kernelSize: c.kernelSize, padding: 'same', useBias: false, kernelInitializer: 'heNormal', name: `${prefix}.conv${i}` }).apply(y) as Sym;
    y = tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5, name: `${prefix}.bn${i}` }).apply(y) as Sym;
    y = tf.layers.reLU({ name: `${prefix}.relu${i}` }).apply(y) as Sym;
    y = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'valid', name: `${prefix}.pool${i}` }).apply(y) as Sym;
  });
  return tf.layers.globalAveragePooling2d({ name: `${prefix}.gap` }).apply(y) as Sym;
}

export function buildTwoStreamNet(c: TwoStreamNetConfig, clip: ClipSpec): BuiltModel {
  const motion = motionInput(c, clip);
  const frames = tf.input({ shape: [clip.numFrames, clip.height, clip.width, clip.channels], name: 'frames' });
  const motionIn = tf.input({ shape: motion.shape, name: c.motion === 'flow' ? 'flow' : 'frame_diff' });

  let rgbFeat: Sym;
  if (c.rgb === 'middle') {
    const mid = new PickFrame({ name: 'rgb.frames', frameIdx: Math.floor(clip.numFrames / 2) }).apply(frames) as Sym;
    rgbFeat = stream(mid, c, 'rgb');
  } else {
    const folded = new FoldTime({ name: 'rgb.frames' }).apply(frames) as Sym; // [N·T, H, W, C]
    rgbFeat = new MeanOverTime({ name: 'rgb.time_mean', numFrames: clip.numFrames }).apply(stream(folded, c, 'rgb')) as Sym;
  }
  const stacked = new StackTimeInChannels({ name: 'motion.stack' }).apply(motionIn) as Sym;
  const motionFeat = stream(stacked, c, 'motion');

  const drop = (x: Sym, name: string): Sym => (c.dropout > 0 ? (tf.layers.dropout({ rate: c.dropout, name }).apply(x) as Sym) : x);
  let probs: Sym;
  if (c.fusion === 'average') {
    const rgbP = tf.layers.dense({ units: clip.numClasses, activation: 'softmax', name: 'rgb.head' }).apply(drop(rgbFeat, 'rgb.dropout')) as Sym;
    const motionP = tf.layers.dense({ units: clip.numClasses, activation: 'softmax', name: 'motion.head' }).apply(drop(motionFeat, 'motion.dropout')) as Sym;
    probs = tf.layers.average({ name: 'fusion' }).apply([rgbP, motionP]) as Sym;
  } else {
    const both = tf.layers.concatenate({ axis: -1, name: 'fusion' }).apply([rgbFeat, motionFeat]) as Sym;
    probs = tf.layers.dense({ units: clip.numClasses, activation: 'softmax', name: 'head' }).apply(drop(both, 'dropout')) as Sym;
  }
  return { model: tf.model({ inputs: [frames, motionIn], outputs: probs, name: 'two_stream' }), inputs: ['frames', motion.kind] };
}

// ───────────────────────────── family ─────────────────────────────

export function describeTwoStream(c: TwoStreamConfig, clip: ClipSpec): Description {
  return c.variant === 'slowfast' ? describeSlowFast(c, clip) : describeTwoStreamNet(c, clip);
}

export function buildTwoStream(c: TwoStreamConfig, clip: ClipSpec): BuiltModel {
  return c.variant === 'slowfast' ? buildSlowFast(c, clip) : buildTwoStreamNet(c, clip);
}

const TINY_CLIP: ClipSpec = { numFrames: 8, height: 32, width: 32, channels: 3, numClasses: 2 };

export const TWO_STREAM_PRESETS: Record<string, Preset<TwoStreamConfig>> = {
  tiny: { config: DEFAULT_TWO_STREAM, clip: TINY_CLIP, note: 'RGB (middle frame) + all 7 optical flows stacked (14 channels), scores averaged; 8×32×32.' },
  tiny_diff: { config: { ...DEFAULT_TWO_STREAM, motion: 'frame-diff' }, clip: TINY_CLIP, note: 'Motion stream on 7 frame differences instead of optical flow.' },
  tiny_learned: { config: { ...DEFAULT_TWO_STREAM, rgb: 'all', fusion: 'learned' }, clip: TINY_CLIP, note: 'RGB on every frame (averaged) + flow, learned fusion layer.' },
  tiny_slowfast: { config: SLOWFAST_TINY, clip: TINY_CLIP, note: 'SlowFast: slow 2 frames × 8 channels, fast 8 frames × 2 channels, α = β⁻¹ = 4.' },
  slowfast_r50: {
    config: SLOWFAST_R50,
    clip: { numFrames: 32, height: 224, width: 224, channels: 3, numClasses: 400 },
    paper: true,
    note: 'SlowFast 4×16 R50 (PySlowFast SLOWFAST_4x16_R50, Kinetics-400): 34,480,216 parameters.',
  },
};

export const twoStreamFamily: FamilyDef<TwoStreamConfig> = {
  id: 'two-stream',
  defaultConfig: DEFAULT_TWO_STREAM,
  presets: TWO_STREAM_PRESETS,
  build: buildTwoStream,
  describe: describeTwoStream,
};
