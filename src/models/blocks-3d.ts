// 3D building blocks, written ONCE against the small `Net3d` interface with two implementations:
// `Layers3d` applies tf.layers to symbolic tensors (so `model.countParams()` works) and
// `Describe3d` threads shapes and appends LayerRows (describe.ts) without allocating anything.
// A block's description and its built layers therefore cannot disagree.
//
//   conv-bn-relu:  [T, H, W, C] ─▶ conv k_t×k×k ─▶ BN ─▶ ReLU ─▶ [T', H', W', F]
//   (2+1)D conv (Tran et al. 2018, "A Closer Look at Spatiotemporal Convolutions", torchvision
//   Conv2Plus1D):  ─▶ conv 1×3×3 (stride 1×s×s) ─▶ BN ─▶ ReLU ─▶ conv 3×1×1 (stride s×1×1) ─▶
//     with M = ⌊27·C_in·C_out / (9·C_in + 3·C_out)⌋ mid channels, so it has about the
//     parameters of one 3×3×3 conv.
//   video ResNet BasicBlock (torchvision.models.video.resnet.BasicBlock):
//        x ─▶ conv(s) ─▶ BN ─▶ ReLU ─▶ conv ─▶ BN ─┐
//        └───── (conv 1×1×1 /s ─▶ BN if the shape changes) ┴─▶ add ─▶ ReLU
//     where "conv" is the conv maker: '3d' (R3D: 3×3×3), 'no-temporal' (MC3's later stages:
//     1×3×3) or '2plus1d' (R(2+1)D). torchvision computes M once per block from
//     (inplanes, planes) and uses it for both convs; so do we.
//
// Torchvision exactness: convs before a BN have no bias; BN uses ε = 1e-5 and PyTorch momentum
// 0.1 (Keras momentum 0.9); BN running mean/var are non-trainable. Padding is TF 'same' where
// torchvision pads k//2: output sizes, parameters and MACs are identical; only the stride-2
// alignment differs (TF pads 2 before and 3 after a 7-wide stride-2 window, PyTorch 3 and 3).
//
// WebGPU workarounds (shared/TFJS-NOTES.md): tfjs 4.22's webgpu backend silently miscomputes a
// rank-5 tf.pad and a rank-5 add/mul broadcasting a [C] bias. So this file never pads a rank-5
// tensor itself: every conv and pool uses the op's own 'same'/'valid' padding; conv biases go
// through tfjs-layers' biasAdd, which reshapes the bias to [1, 1, 1, 1, C] (the shape that works);
// batch norm runs on [N, T·H, W, C] (batchNorm3d; tfjs-layers also rejects rank-5 BN outright); global pooling reshapes to
// [N, T·H·W, C] (rank 3) first. Residual sums are 2-input adds, far below addN's 8-input failure.

import * as tf from '@tensorflow/tfjs';
import { batchNormRow, convOutLen, convRow, denseRow, shapeRow } from './describe';
import type { LayerRow } from './types';

export type Triple = readonly [number, number, number];

export interface Conv3dSpec {
  name: string;
  filters: number;
  kernel: Triple; // [k_t, k_h, k_w]
  strides?: Triple; // default [1, 1, 1]
  padding?: 'same' | 'valid'; // default 'same'
  bias?: boolean; // default true
  note?: string;
}

export interface Pool3dSpec {
  name: string;
  kind: 'max' | 'avg';
  size: Triple; // [p_t, p_h, p_w]
  strides?: Triple; // default = size
  padding?: 'same' | 'valid'; // default 'same' (C3D's pool5 rounds 7 → 4 this way)
}

export type Activation = 'relu' | 'softmax' | 'linear';

/** What a block may do to a tensor: a symbolic tensor (build) or a shape (describe). Shapes exclude N. */
export interface Net3d<X> {
  shape(x: X): number[];
  conv(x: X, o: Conv3dSpec): X;
  batchNorm(x: X, name: string): X;
  relu(x: X, name: string): X;
  pool(x: X, o: Pool3dSpec): X;
  add(a: X, b: X, name: string): X;
  /** [T, H, W, C] → [C], the mean over T·H·W. */
  globalAvgPool(x: X, name: string): X;
  /** [T, H, W, C] → [T·H·W·C]. */
  flatten(x: X, name: string): X;
  dense(x: X, units: number, name: string, activation?: Activation): X;
  dropout(x: X, rate: number, name: string): X;
}

/** PyTorch BatchNorm defaults: ε = 1e-5, momentum 0.1 (= Keras momentum 0.9). */
const BN_ARGS = { axis: -1, epsilon: 1e-5, momentum: 0.9 } as const;
const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/**
 * Batch norm over the channels of [N, T, H, W, C]. tfjs-layers' BatchNormalization refuses rank 5
 * at inference ("not implemented for array of rank 5"), so fold T into H around it:
 * [N, T, H, W, C] → [N, T·H, W, C] → BN → back. The statistics run over the same N·T·H·W
 * positions per channel, so this is exactly 3D batch norm (reshapes are free views).
 */
export function batchNorm3d(x: tf.SymbolicTensor, name: string, args: Omit<NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>, 'name'>): tf.SymbolicTensor {
  const [, t, h, w, c] = x.shape as number[];
  const folded = tf.layers.reshape({ name: `${name}.fold`, targetShape: [t * h, w, c] }).apply(x) as tf.SymbolicTensor; // [N, T, H, W, C] → [N, T·H, W, C]
  const y = tf.layers.batchNormalization({ ...args, name }).apply(folded) as tf.SymbolicTensor;
  return tf.layers.reshape({ name: `${name}.unfold`, targetShape: [t, h, w, c] }).apply(y) as tf.SymbolicTensor; // [N, T·H, W, C] → [N, T, H, W, C]
}

/** Builds tf.layers on symbolic tensors [N, …]. */
export class Layers3d implements Net3d<tf.SymbolicTensor> {
  shape(x: tf.SymbolicTensor): number[] {
    return x.shape.slice(1).map((d) => {
      if (d === null) throw new Error('Layers3d: every axis except N must have a fixed size.');
      return d;
    });
  }
  conv(x: tf.SymbolicTensor, o: Conv3dSpec): tf.SymbolicTensor {
    return tf.layers
      .conv3d({
        name: o.name,
        filters: o.filters,
        kernelSize: [...o.kernel],
        strides: [...(o.strides ?? [1, 1, 1])],
        padding: o.padding ?? 'same',
        useBias: o.bias ?? true,
        kernelInitializer: 'heNormal',
      })
      .apply(x) as tf.SymbolicTensor;
  }
  batchNorm(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return batchNorm3d(x, name, BN_ARGS);
  }
  relu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;
  }
  pool(x: tf.SymbolicTensor, o: Pool3dSpec): tf.SymbolicTensor {
    const args = { name: o.name, poolSize: [...o.size] as [number, number, number], strides: [...(o.strides ?? o.size)] as [number, number, number], padding: o.padding ?? 'same' };
    return (o.kind === 'max' ? tf.layers.maxPooling3d(args) : tf.layers.averagePooling3d(args)).apply(x) as tf.SymbolicTensor;
  }
  add(a: tf.SymbolicTensor, b: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.add({ name }).apply([a, b]) as tf.SymbolicTensor;
  }
  globalAvgPool(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    const [t, h, w, c] = this.shape(x);
    // [N, T, H, W, C] → [N, T·H·W, C]: a rank-3 mean, away from the rank-5 WebGPU bugs.
    const flat = tf.layers.reshape({ name: `${name}.reshape`, targetShape: [t * h * w, c] }).apply(x) as tf.SymbolicTensor;
    return tf.layers.globalAveragePooling1d({ name }).apply(flat) as tf.SymbolicTensor;
  }
  flatten(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.flatten({ name }).apply(x) as tf.SymbolicTensor;
  }
  dense(x: tf.SymbolicTensor, units: number, name: string, activation: Activation = 'linear'): tf.SymbolicTensor {
    return tf.layers.dense({ name, units, activation }).apply(x) as tf.SymbolicTensor;
  }
  dropout(x: tf.SymbolicTensor, rate: number, name: string): tf.SymbolicTensor {
    return rate > 0 ? (tf.layers.dropout({ name, rate }).apply(x) as tf.SymbolicTensor) : x;
  }
}

/** Threads shapes and records one LayerRow per parameterised or shape-changing layer. */
export class Describe3d implements Net3d<number[]> {
  readonly rows: LayerRow[] = [];
  private push(r: LayerRow): number[] {
    this.rows.push(r);
    return r.outputShape;
  }
  shape(x: number[]): number[] {
    return x;
  }
  conv(x: number[], o: Conv3dSpec): number[] {
    if (x.length !== 4) throw new Error(`${o.name}: a 3D conv needs a [T, H, W, C] input, got [${x.join(', ')}].`);
    return this.push(convRow(x, { name: o.name, kernel: o.kernel, filters: o.filters, strides: o.strides ?? [1, 1, 1], padding: o.padding ?? 'same', bias: o.bias ?? true, note: o.note }));
  }
  batchNorm(x: number[], name: string): number[] {
    return this.push(batchNormRow(x, name));
  }
  relu(x: number[]): number[] {
    return x; // parameter-free and shape-preserving: no row, to keep the table readable
  }
  pool(x: number[], o: Pool3dSpec): number[] {
    const strides = o.strides ?? o.size;
    const pad = o.padding ?? 'same';
    const out = [...o.size.map((k, i) => convOutLen(x[i], k, strides[i], pad)), x[3]];
    if (out.some((d) => d < 1)) throw new Error(`${o.name}: a ${o.size.join('×')} pool does not fit a ${x.slice(0, 3).join('×')} input.`);
    return this.push(shapeRow(out, o.name, 'pool', { temporal: o.size[0] > 1, note: `${o.kind} ${o.size.join('×')}${strides.join('') === o.size.join('') ? '' : ` /${strides.join('×')}`}` }));
  }
  add(a: number[], b: number[], name: string): number[] {
    if (a.join() !== b.join()) throw new Error(`${name}: cannot add [${a.join(', ')}] and [${b.join(', ')}].`);
    return this.push(shapeRow(a, name, 'add', { note: 'residual sum' }));
  }
  globalAvgPool(x: number[], name: string): number[] {
    return this.push(shapeRow([x[3]], name, 'pool', { temporal: x[0] > 1, note: `mean over ${x[0]}×${x[1]}×${x[2]} (T·H·W)` }));
  }
  flatten(x: number[], name: string): number[] {
    return this.push(shapeRow([prod(x)], name, 'reshape', { note: `[${x.join(', ')}] → [${prod(x)}]` }));
  }
  dense(x: number[], units: number, name: string): number[] {
    return this.push(denseRow(x, units, name));
  }
  dropout(x: number[]): number[] {
    return x;
  }
}

// ─── Blocks ──────────────────────────────────────────────────────────────────────────────────

/** conv (no bias) → BN → ReLU: the unit every video ResNet and our C3D stack repeat. */
export function convBnRelu<X>(net: Net3d<X>, x: X, o: Omit<Conv3dSpec, 'bias'> & { relu?: boolean }): X {
  const y = net.batchNorm(net.conv(x, { ...o, bias: false }), `${o.name}.bn`);
  return o.relu === false ? y : net.relu(y, `${o.name}.relu`);
}

/** torchvision's mid-channel count for a (2+1)D block: the params of one 3×3×3 conv. */
export const midplanes = (inplanes: number, planes: number): number => Math.floor((inplanes * planes * 3 * 3 * 3) / (inplanes * 3 * 3 + 3 * planes));

/** (2+1)D conv: spatial 1×3×3 (stride 1×s×s) → BN → ReLU → temporal 3×1×1 (stride s×1×1); no BN after. */
export function conv2plus1d<X>(net: Net3d<X>, x: X, o: { name: string; filters: number; mid: number; stride: number }): X {
  const s = o.stride;
  const y = convBnRelu(net, x, { name: `${o.name}.spatial`, filters: o.mid, kernel: [1, 3, 3], strides: [1, s, s] });
  return net.conv(y, { name: `${o.name}.temporal`, filters: o.filters, kernel: [3, 1, 1], strides: [s, 1, 1], bias: false, note: `(2+1)D: ${o.mid} mid channels` });
}

/** How a video ResNet convolves inside a block (torchvision's conv makers). */
export type ConvMaker = '3d' | 'no-temporal' | '2plus1d';

/** One conv of a block, before its BN: the conv maker's conv with stride s. */
function makerConv<X>(net: Net3d<X>, x: X, maker: ConvMaker, o: { name: string; filters: number; mid: number; stride: number }): X {
  const s = o.stride;
  if (maker === '2plus1d') return conv2plus1d(net, x, o);
  const kernel: Triple = maker === '3d' ? [3, 3, 3] : [1, 3, 3];
  const strides: Triple = maker === '3d' ? [s, s, s] : [1, s, s];
  return net.conv(x, { name: o.name, filters: o.filters, kernel, strides, bias: false });
}

/** The downsample stride torchvision's conv maker asks for: time is strided except by 'no-temporal'. */
const downsampleStrides = (maker: ConvMaker, s: number): Triple => (maker === 'no-temporal' ? [1, s, s] : [s, s, s]);

/** torchvision.models.video.resnet.BasicBlock (expansion 1). */
export function videoBasicBlock<X>(net: Net3d<X>, x: X, o: { name: string; planes: number; maker: ConvMaker; stride: number }): X {
  const inplanes = net.shape(x)[3];
  const mid = midplanes(inplanes, o.planes); // computed once per block, used by both convs (torchvision)
  let y = makerConv(net, x, o.maker, { name: `${o.name}.conv1`, filters: o.planes, mid, stride: o.stride });
  y = net.relu(net.batchNorm(y, `${o.name}.conv1.bn`), `${o.name}.conv1.relu`);
  y = makerConv(net, y, o.maker, { name: `${o.name}.conv2`, filters: o.planes, mid, stride: 1 });
  y = net.batchNorm(y, `${o.name}.conv2.bn`);
  let shortcut = x;
  if (o.stride !== 1 || inplanes !== o.planes) {
    shortcut = net.conv(x, { name: `${o.name}.downsample`, filters: o.planes, kernel: [1, 1, 1], strides: downsampleStrides(o.maker, o.stride), bias: false });
    shortcut = net.batchNorm(shortcut, `${o.name}.downsample.bn`);
  }
  return net.relu(net.add(y, shortcut, `${o.name}.add`), `${o.name}.relu`);
}

/** Stems: R3D/MC3's 3×7×7/(1,2,2) conv, or R(2+1)D's 1×7×7 (45 ch) then 3×1×1. */
export function videoStem<X>(net: Net3d<X>, x: X, kind: 'basic' | '2plus1d', width: number): X {
  if (kind === 'basic') return convBnRelu(net, x, { name: 'stem', filters: width, kernel: [3, 7, 7], strides: [1, 2, 2] });
  // torchvision's R2Plus1dStem hard-codes 45 mid channels for a 64-wide stem; scale it for others.
  const mid = Math.max(1, Math.round((45 * width) / 64));
  const y = convBnRelu(net, x, { name: 'stem.spatial', filters: mid, kernel: [1, 7, 7], strides: [1, 2, 2] });
  return convBnRelu(net, y, { name: 'stem.temporal', filters: width, kernel: [3, 1, 1] });
}

/** Stages of BasicBlocks: stage i has widths[i] channels, blocks[i] blocks, stride 2 from stage 2 on. */
export function videoResNetStages<X>(net: Net3d<X>, x: X, o: { widths: readonly number[]; blocks: readonly number[]; makers: readonly ConvMaker[] }): X {
  if (o.widths.length !== o.blocks.length || o.widths.length !== o.makers.length) throw new Error(`Video ResNet: ${o.widths.length} widths, ${o.blocks.length} block counts and ${o.makers.length} conv makers must match.`);
  let y = x;
  o.widths.forEach((planes, i) => {
    for (let b = 0; b < o.blocks[i]; b++) y = videoBasicBlock(net, y, { name: `layer${i + 1}.${b}`, planes, maker: o.makers[i], stride: b === 0 && i > 0 ? 2 : 1 });
  });
  return y;
}
