// SlowFast networks (Feichtenhofer, Fan, Malik, He, "SlowFast Networks for Video Recognition",
// ICCV 2019): the 'slowfast' variant of the two-stream family (two-stream.ts registers it).
// Two pathways read the same clip at two frame rates and are fused by lateral connections:
//
//   frames [N, T, H, W, 3]
//     ├─ every frame ──────────────▶ fast pathway: T frames, β·C channels (cheap, sees motion)
//     └─ T/α frames (linspace) ────▶ slow pathway: T/α frames, C channels (sees appearance)
//
//   slow: stem(1×7×7, C) ─┬─cat─ res2 ─cat─ res3 ─cat─ res4 ─cat─ res5 ─ avg-pool ─┐
//                          │       ▲       ▲       ▲       ▲                        ├─cat─ fc ─ softmax
//   fast: stem(5×7×7, βC) ─┴─ lateral ─ res2 ─ lateral ─ res3 ─ lateral ─ res4 ─ lateral ─ res5 ─ avg-pool ─┘
//                 lateral = conv (k_f×1×1, 2·βC_f channels, temporal stride α) + BN + ReLU:
//                 it squeezes the fast features to the slow frame rate, then concatenates them
//                 to the slow pathway's channels.
//
// Each res stage is a stack of 3D bottleneck blocks (k_t×1×1 → 1×3×3 → 1×1×1, ×4 expansion, BN,
// ReLU; projection shortcut on the first block). Slow uses temporal kernel 1 in res2/res3 and 3 in
// res4/res5 (temporal convs only where the features are semantic); fast uses 3 everywhere.
//
// Reference preset `slowfast_r50`: PySlowFast's configs/Kinetics/SLOWFAST_4x16_R50.yaml
// (facebookresearch/SlowFast, slowfast/models/video_model_builder.py `SlowFast`): 32 input frames
// (fast T = 32, slow T/α = 4, α = 8, β = 1/8), 224×224, 400 classes, R50 stages [3, 4, 6, 3],
// width_per_group 64, FUSION_CONV_CHANNEL_RATIO 2, FUSION_KERNEL_SZ 5, stem kernels 1×7×7 (slow)
// and 5×7×7 (fast), bias-free convs, BatchNorm3d everywhere, head Linear(2048 + 256 → 400).
// That definition has exactly 34,480,216 trainable parameters (+ 60,688 BN running statistics)
// and 27.64 G conv/linear MACs at 224×224; at the paper's 256×256 test crop the same count gives
// 36.1 G, the paper's "36.1 GFLOPs" per view (Table 2). pytorchvideo's `slowfast_r50`, whose
// laterals are 7×1×1 instead of 5×1×1, has 2·(8·16 + 32·64 + 64·128 + 128·256) = 86,272 more
// weights: 34,566,488, the "34.57 M" it publishes.
//
// tfjs WebGPU workarounds (shared/TFJS-NOTES.md): BatchNorm on a rank-5 tensor broadcasts a [C]
// vector over rank 5, which WebGPU computes silently wrong; so every BN runs on a reshaped
// [N, T·H·W, C] tensor (same statistics as BatchNorm3d). Convolutions use the layers' built-in
// 'same' padding (never tf.pad on rank 5); for every layer here it gives PyTorch's output sizes.

import * as tf from '@tensorflow/tfjs';
import { batchNormRow, convRow, denseRow, shapeRow, sumTotals } from './describe';
import type { BuiltModel, ClipSpec, Description, LayerRow } from './types';

export interface SlowFastConfig {
  variant: 'slowfast';
  alpha: number; // 8: the fast pathway sees α times more frames than the slow one
  betaInv: number; // 8: fast channels = slow channels / β_inv (β = 1/8)
  fusionRatio: number; // 2: a lateral conv outputs fusionRatio × the fast channels
  fusionKernel: number; // 5: temporal kernel of the lateral conv
  stemWidth: number; // 64: slow stem channels
  stemKernel: number; // 7: spatial kernel of the stems
  stemTemporal: [number, number]; // [1, 5]: temporal kernel of the slow and fast stems
  widthPerGroup: number; // 64: inner width of the first stage (doubles every stage)
  blocks: number[]; // [3, 4, 6, 3]: bottleneck blocks per stage (ResNet-50)
  slowTemporal: number[]; // [1, 1, 3, 3]: slow temporal kernel per stage
  fastTemporal: number[]; // [3, 3, 3, 3]: fast temporal kernel per stage
  spatialStrides: number[]; // [1, 2, 2, 2]: per stage
  stemPool: boolean; // true: 1×3×3 max-pool, stride 2, after each stem
  dropout: number; // 0.5 before the classifier
}

export const SLOWFAST_R50: SlowFastConfig = {
  variant: 'slowfast',
  alpha: 8,
  betaInv: 8,
  fusionRatio: 2,
  fusionKernel: 5,
  stemWidth: 64,
  stemKernel: 7,
  stemTemporal: [1, 5],
  widthPerGroup: 64,
  blocks: [3, 4, 6, 3],
  slowTemporal: [1, 1, 3, 3],
  fastTemporal: [3, 3, 3, 3],
  spatialStrides: [1, 2, 2, 2],
  stemPool: true,
  dropout: 0.5,
};

/** A tiny SlowFast for lectures: 8 frames (slow sees 2), two 1-block stages, a few channels. */
export const SLOWFAST_TINY: SlowFastConfig = {
  variant: 'slowfast',
  alpha: 4,
  betaInv: 4,
  fusionRatio: 2,
  fusionKernel: 3,
  stemWidth: 8,
  stemKernel: 3,
  stemTemporal: [1, 3],
  widthPerGroup: 4,
  blocks: [1, 1],
  slowTemporal: [1, 3],
  fastTemporal: [3, 3],
  spatialStrides: [1, 2],
  stemPool: true,
  dropout: 0,
};

/**
 * The slow pathway's frame indices, as PySlowFast's pack_pathway_output: linspace(0, T−1, K)
 * truncated, with K = T/α. When α does not divide T we take K = ⌈T/α⌉, the frame count the
 * lateral convs (temporal stride α, padding k_f/2) produce, so the pathways still line up.
 */
export function slowFrameIndices(numFrames: number, alpha: number): number[] {
  if (!(Number.isInteger(alpha) && alpha >= 1)) throw new Error(`SlowFast: α must be a positive integer, got ${alpha}.`);
  if (numFrames < 1) throw new Error(`SlowFast: the clip has no frames.`);
  const k = Math.ceil(numFrames / alpha);
  if (k === 1) return [0];
  return Array.from({ length: k }, (_, i) => Math.floor((i * (numFrames - 1)) / (k - 1)));
}

function validate(c: SlowFastConfig, clip: ClipSpec): void {
  const n = c.blocks.length;
  if (c.slowTemporal.length !== n || c.fastTemporal.length !== n || c.spatialStrides.length !== n) {
    throw new Error(`SlowFast: blocks, slowTemporal, fastTemporal and spatialStrides need one entry per stage (${n}).`);
  }
  if (c.stemWidth % c.betaInv !== 0 || c.widthPerGroup % c.betaInv !== 0) {
    throw new Error(`SlowFast: widths ${c.stemWidth} and ${c.widthPerGroup} must divide by β_inv = ${c.betaInv}.`);
  }
  slowFrameIndices(clip.numFrames, c.alpha);
}

/** Channels per stage: slow inner / out, fast inner / out (bottleneck expansion 4). */
function stageWidths(c: SlowFastConfig, i: number) {
  const inner = c.widthPerGroup * 2 ** i;
  return { slowInner: inner, slowOut: 4 * inner, fastInner: inner / c.betaInv, fastOut: (4 * inner) / c.betaInv };
}

// ───────────────────────────── describe ─────────────────────────────

interface Path {
  shape: number[]; // [T, H, W, C]
  rows: LayerRow[];
}

function conv(p: Path, name: string, kernel: number[], filters: number, stride: number[], pad: number[], temporal?: boolean): void {
  const row = convRow(p.shape, { name, kernel, filters, strides: stride, padding: pad, bias: false, temporal });
  p.rows.push(row);
  p.shape = row.outputShape;
}
function bn(p: Path, name: string): void {
  p.rows.push(batchNormRow(p.shape, name));
}

function describeBottleneck(p: Path, name: string, inner: number, out: number, kt: number, stride: number): void {
  const inShape = p.shape;
  const needsProj = inShape[3] !== out || stride !== 1;
  conv(p, `${name}.a`, [kt, 1, 1], inner, [1, 1, 1], [Math.floor(kt / 2), 0, 0]);
  bn(p, `${name}.a_bn`);
  conv(p, `${name}.b`, [1, 3, 3], inner, [1, stride, stride], [0, 1, 1]);
  bn(p, `${name}.b_bn`);
  conv(p, `${name}.c`, [1, 1, 1], out, [1, 1, 1], [0, 0, 0]);
  bn(p, `${name}.c_bn`);
  if (needsProj) {
    const proj = convRow(inShape, { name: `${name}.branch1`, kernel: [1, 1, 1], filters: out, strides: [1, stride, stride], padding: 0, bias: false });
    p.rows.push(proj, batchNormRow(proj.outputShape, `${name}.branch1_bn`));
  }
}

export function describeSlowFast(c: SlowFastConfig, clip: ClipSpec): Description {
  validate(c, clip);
  const ts = slowFrameIndices(clip.numFrames, c.alpha).length;
  const slow: Path = { shape: [ts, clip.height, clip.width, clip.channels], rows: [shapeRow([ts, clip.height, clip.width, clip.channels], 'slow.subsample', 'subsample', { note: `frames ${slowFrameIndices(clip.numFrames, c.alpha).join(', ')} of ${clip.numFrames} (T/α)` })] };
  const fast: Path = { shape: [clip.numFrames, clip.height, clip.width, clip.channels], rows: [] };
  const fastStem = c.stemWidth / c.betaInv;
  const k = c.stemKernel;
  const stem = (p: Path, prefix: string, kt: number, width: number) => {
    conv(p, `${prefix}.stem`, [kt, k, k], width, [1, 2, 2], [Math.floor(kt / 2), Math.floor(k / 2), Math.floor(k / 2)]);
    bn(p, `${prefix}.stem_bn`);
    if (c.stemPool) {
      const [t, h, w, ch] = p.shape;
      p.shape = [t, Math.floor((h + 2 - 3) / 2) + 1, Math.floor((w + 2 - 3) / 2) + 1, ch];
      p.rows.push(shapeRow(p.shape, `${prefix}.stem_pool`, 'pool', { note: '1×3×3 max-pool, stride 2' }));
    }
  };
  const lateral = (name: string) => {
    const fc = fast.shape[3];
    const row = convRow(fast.shape, {
      name: `${name}.conv`,
      kernel: [c.fusionKernel, 1, 1],
      filters: c.fusionRatio * fc,
      strides: [c.alpha, 1, 1],
      padding: [Math.floor(c.fusionKernel / 2), 0, 0],
      bias: false,
      temporal: true,
      note: `fast → slow: ${c.fusionKernel}×1×1, temporal stride α = ${c.alpha}`,
    });
    if (row.outputShape[0] !== slow.shape[0]) throw new Error(`SlowFast: the lateral gives ${row.outputShape[0]} frames but the slow pathway has ${slow.shape[0]}.`);
    slow.rows.push(row, batchNormRow(row.outputShape, `${name}.bn`));
    slow.shape = [...slow.shape.slice(0, 3), slow.shape[3] + row.outputShape[3]];
    slow.rows.push(shapeRow(slow.shape, `${name}.concat`, 'concat', { temporal: true, note: 'slow channels + lateral channels' }));
  };

  stem(slow, 'slow', c.stemTemporal[0], c.stemWidth);
  stem(fast, 'fast', c.stemTemporal[1], fastStem);
  const rows: LayerRow[] = [];
  const flush = () => {
    rows.push(...slow.rows, ...fast.rows);
    slow.rows = [];
    fast.rows = [];
  };
  lateral('fuse1');
  flush();
  c.blocks.forEach((nb, i) => {
    const w = stageWidths(c, i);
    for (let b = 0; b < nb; b++) {
      const stride = b === 0 ? c.spatialStrides[i] : 1;
      describeBottleneck(slow, `slow.res${i + 2}.${b}`, w.slowInner, w.slowOut, c.slowTemporal[i], stride);
      describeBottleneck(fast, `fast.res${i + 2}.${b}`, w.fastInner, w.fastOut, c.fastTemporal[i], stride);
    }
    if (i < c.blocks.length - 1) lateral(`fuse${i + 2}`);
    flush();
  });
  const feat = slow.shape[3] + fast.shape[3];
  rows.push(shapeRow([feat], 'pool_concat', 'pool', { note: `global average pools: slow ${slow.shape[3]} + fast ${fast.shape[3]} channels` }));
  rows.push(denseRow([feat], clip.numClasses, 'head', { note: 'then softmax' }));
  const slowMacs = rows.filter((r) => r.name.startsWith('slow.')).reduce((a, r) => a + r.macs, 0);
  const fastMacs = rows.filter((r) => r.name.startsWith('fast.')).reduce((a, r) => a + r.macs, 0);
  const fuseMacs = rows.filter((r) => r.name.startsWith('fuse')).reduce((a, r) => a + r.macs, 0);
  const pct = (x: number) => `${((100 * x) / (slowMacs + fastMacs + fuseMacs)).toFixed(1)} %`;
  return {
    family: 'two-stream',
    variant: 'slowfast',
    clip,
    layers: rows,
    totals: sumTotals(rows),
    extras: [
      { label: 'Frame rates', value: `slow sees T/α = ${ts} frames, fast sees T = ${clip.numFrames} (α = ${c.alpha})` },
      { label: 'Channels', value: `fast pathway has β = 1/${c.betaInv} of the slow channels (stem ${c.stemWidth} vs ${fastStem})` },
      { label: 'Compute split', value: `slow ${pct(slowMacs)}, fast ${pct(fastMacs)}, lateral ${pct(fuseMacs)} of conv MACs` },
    ],
  };
}

// ───────────────────────────── build ─────────────────────────────

interface SubsampleArgs {
  name?: string;
  indices: number[];
}

/** Picks frames along time: [N, T, H, W, C] → [N, K, H, W, C], as a rank-3 gather (no rank-5 slicing). */
export class TemporalSubsample extends tf.layers.Layer {
  static className = 'ClipscopeTemporalSubsample';
  readonly indices: number[];
  constructor(args: SubsampleArgs) {
    super({ name: args.name });
    this.indices = args.indices;
  }
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0], this.indices.length, ...s.slice(2)];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [n, t, h, w, c] = x.shape;
      const flat = x.reshape([n, t, h * w * c]); // [N, T, H, W, C] → [N, T, H·W·C]
      const picked = tf.gather(flat, tf.tensor1d(this.indices, 'int32'), 1); // [N, K, H·W·C]
      return picked.reshape([n, this.indices.length, h, w, c]);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), indices: this.indices };
  }
}
tf.serialization.registerClass(TemporalSubsample);

type Sym = tf.SymbolicTensor;
const shapeOf = (x: Sym) => x.shape.slice(1) as number[];

/**
 * BatchNorm3d on [N, T, H, W, C], computed on [N, T·H·W, C] (same batch statistics and
 * parameters; avoids WebGPU's silently wrong rank-5 [C] broadcast).
 */
export function batchNorm5d(x: Sym, name: string, zeroGamma = false): Sym {
  const [t, h, w, c] = shapeOf(x);
  let y = tf.layers.reshape({ targetShape: [t * h * w, c], name: `${name}_flat` }).apply(x) as Sym; // [N, T, H, W, C] → [N, T·H·W, C]
  // PyTorch BN: momentum 0.1 (tfjs 0.9), eps 1e-5.
  y = tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5, gammaInitializer: zeroGamma ? 'zeros' : 'ones', name }).apply(y) as Sym;
  return tf.layers.reshape({ targetShape: [t, h, w, c], name: `${name}_unflat` }).apply(y) as Sym; // [N, T·H·W, C] → [N, T, H, W, C]
}

function conv3d(x: Sym, name: string, kernel: number[], filters: number, strides: number[] = [1, 1, 1]): Sym {
  return tf.layers.conv3d({ filters, kernelSize: kernel, strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal', name }).apply(x) as Sym;
}
const relu = (x: Sym, name: string): Sym => tf.layers.reLU({ name }).apply(x) as Sym;

function bottleneck(x: Sym, name: string, inner: number, out: number, kt: number, stride: number): Sym {
  const cin = shapeOf(x)[3];
  let y = relu(batchNorm5d(conv3d(x, `${name}.a`, [kt, 1, 1], inner), `${name}.a_bn`), `${name}.a_relu`);
  y = relu(batchNorm5d(conv3d(y, `${name}.b`, [1, 3, 3], inner, [1, stride, stride]), `${name}.b_bn`), `${name}.b_relu`);
  y = batchNorm5d(conv3d(y, `${name}.c`, [1, 1, 1], out), `${name}.c_bn`, true); // zero-init last BN (ZERO_INIT_FINAL_BN)
  const shortcut = cin !== out || stride !== 1 ? batchNorm5d(conv3d(x, `${name}.branch1`, [1, 1, 1], out, [1, stride, stride]), `${name}.branch1_bn`) : x;
  return relu(tf.layers.add({ name: `${name}.add` }).apply([shortcut, y]) as Sym, `${name}.relu`);
}

export function buildSlowFast(c: SlowFastConfig, clip: ClipSpec): BuiltModel {
  validate(c, clip);
  const input = tf.input({ shape: [clip.numFrames, clip.height, clip.width, clip.channels], name: 'frames' });
  let slow = new TemporalSubsample({ name: 'slow.subsample', indices: slowFrameIndices(clip.numFrames, c.alpha) }).apply(input) as Sym;
  let fast: Sym = input;
  const k = c.stemKernel;
  const stem = (x: Sym, prefix: string, kt: number, width: number): Sym => {
    let y = relu(batchNorm5d(conv3d(x, `${prefix}.stem`, [kt, k, k], width, [1, 2, 2]), `${prefix}.stem_bn`), `${prefix}.stem_relu`);
    if (c.stemPool) y = tf.layers.maxPooling3d({ poolSize: [1, 3, 3], strides: [1, 2, 2], padding: 'same', name: `${prefix}.stem_pool` }).apply(y) as Sym;
    return y;
  };
  const lateral = (name: string) => {
    const fc = shapeOf(fast)[3];
    const f = relu(batchNorm5d(conv3d(fast, `${name}.conv`, [c.fusionKernel, 1, 1], c.fusionRatio * fc, [c.alpha, 1, 1]), `${name}.bn`), `${name}.relu`);
    slow = tf.layers.concatenate({ axis: -1, name: `${name}.concat` }).apply([slow, f]) as Sym;
  };
  slow = stem(slow, 'slow', c.stemTemporal[0], c.stemWidth);
  fast = stem(fast, 'fast', c.stemTemporal[1], c.stemWidth / c.betaInv);
  lateral('fuse1');
  c.blocks.forEach((nb, i) => {
    const w = stageWidths(c, i);
    for (let b = 0; b < nb; b++) {
      const stride = b === 0 ? c.spatialStrides[i] : 1;
      slow = bottleneck(slow, `slow.res${i + 2}.${b}`, w.slowInner, w.slowOut, c.slowTemporal[i], stride);
      fast = bottleneck(fast, `fast.res${i + 2}.${b}`, w.fastInner, w.fastOut, c.fastTemporal[i], stride);
    }
    if (i < c.blocks.length - 1) lateral(`fuse${i + 2}`);
  });
  // Global average pool per pathway: [N, T, H, W, C] → [N, T·H·W, C] → [N, C]
  const pool = (x: Sym, name: string): Sym => {
    const [t, h, w, ch] = shapeOf(x);
    const flat = tf.layers.reshape({ targetShape: [t * h * w, ch], name: `${name}_flat` }).apply(x) as Sym;
    return tf.layers.globalAveragePooling1d({ name }).apply(flat) as Sym;
  };
  let feat = tf.layers.concatenate({ axis: -1, name: 'pool_concat' }).apply([pool(slow, 'slow.pool'), pool(fast, 'fast.pool')]) as Sym;
  if (c.dropout > 0) feat = tf.layers.dropout({ rate: c.dropout, name: 'dropout' }).apply(feat) as Sym;
  const probs = tf.layers.dense({ units: clip.numClasses, activation: 'softmax', name: 'head' }).apply(feat) as Sym;
  return { model: tf.model({ inputs: input, outputs: probs, name: 'slowfast' }), inputs: ['frames'] };
}
