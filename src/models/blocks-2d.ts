// Shared 2D building blocks, written ONCE against a tiny `Net` interface that has two
// implementations: `LayersNet` builds tf.layers on symbolic tensors, `DescribeNet` threads
// shapes and appends LayerRows (describe.ts) without allocating anything. Every block below
// (conv-bn-relu stacks, pooling, torchvision's ResNet basic block and resnet18 trunk) is the
// same code on both sides, so a model's description and its `countParams()` cannot disagree.
//
//   conv-stack trunk:  [H, W, C] ─▶ (conv k×k ─▶ BN? ─▶ ReLU ─▶ pool 2×2) × len(widths)
//                        ─▶ GAP ─▶ [F = widths.at(-1)]   or   flatten ─▶ [F = h·w·widths.at(-1)]
//                      (flatten keeps WHERE things are on the small final map; GAP throws it away)
//   resnet trunk:      [H, W, C] ─▶ conv 7×7/2 ─▶ BN ─▶ ReLU ─▶ maxpool 3×3/2
//                        ─▶ stage 1..S (BasicBlock × blocks, first block of stages ≥ 2 strides 2)
//                        ─▶ GAP ─▶ [stageWidths.at(-1)]
//   BasicBlock (He et al. 2016, torchvision.models.resnet.BasicBlock):
//        x ─▶ conv3×3/s ─▶ BN ─▶ ReLU ─▶ conv3×3 ─▶ BN ─┐
//        └─────────── (conv1×1/s ─▶ BN if shape changes) ┴─▶ add ─▶ ReLU
//
// Torchvision exactness: convs have no bias before a BN; BN uses ε = 1e-5 and PyTorch's momentum
// 0.1 (Keras momentum 0.9); explicit symmetric zero padding (PyTorch's `padding=p`) instead of
// TF 'same', whose stride-2 padding is lopsided. The 3×3/2 max pool pads with zeros, which
// equals PyTorch's −∞ padding because its input comes straight out of a ReLU (≥ 0).
//
// WebGPU (shared/TFJS-NOTES.md): everything here runs on rank-4 tensors (N folded with T by the
// callers, see time-layers.ts), so no rank-5 pad or rank-5 [C]-bias broadcast is ever emitted;
// residual sums are 2-input adds, far from addN's 8-input failure.

import * as tf from '@tensorflow/tfjs';
import { batchNormRow, convOutLen, convRow, denseRow, shapeRow } from './describe';
import type { LayerRow } from './types';

export interface Conv2dSpec {
  name: string;
  filters: number;
  kernel: number; // square k×k
  stride?: number; // default 1
  /** 'same' (TF, only with stride 1 here) or a symmetric zero padding p, PyTorch style. */
  pad?: 'same' | number; // default 'same'
  bias?: boolean; // default true
}

export interface Pool2dSpec {
  name: string;
  kind: 'max' | 'avg';
  size: number;
  stride?: number; // default = size
  pad?: number; // default 0 (zero padding; see header for why that is exact after a ReLU)
}

export type Activation = 'relu' | 'softmax' | 'linear';

/** What a block may do to a tensor (symbolic tensor or a shape). Shapes exclude N. */
export interface Net<X> {
  /** Shape without N (leading extra axes such as T are allowed in DescribeNet). */
  shape(x: X): number[];
  conv(x: X, o: Conv2dSpec): X;
  batchNorm(x: X, name: string): X;
  relu(x: X, name: string): X;
  pool(x: X, o: Pool2dSpec): X;
  add(a: X, b: X, name: string): X;
  globalAvgPool(x: X, name: string): X;
  /** [h, w, c] → [h·w·c] (the last three axes). */
  flatten(x: X, name: string): X;
  dense(x: X, units: number, name: string, activation?: Activation): X;
  dropout(x: X, rate: number, name: string): X;
}

// ───────────────────────────── the two implementations ─────────────────────────────

/** BN as torchvision: ε = 1e-5, running-stat momentum 0.1 (= Keras momentum 0.9). */
export const BN_ARGS = { epsilon: 1e-5, momentum: 0.9 } as const;

export class LayersNet implements Net<tf.SymbolicTensor> {
  /** Prefix for layer names, so several trunks can share one model. */
  constructor(private readonly prefix = '') {}
  private n = (name: string) => `${this.prefix}${name}`;
  shape(x: tf.SymbolicTensor): number[] {
    return x.shape.slice(1).map((d) => {
      if (d === null) throw new Error('Blocks need static sizes apart from the batch axis.');
      return d;
    });
  }
  conv(x: tf.SymbolicTensor, o: Conv2dSpec): tf.SymbolicTensor {
    const pad = o.pad ?? 'same';
    let y = x;
    if (typeof pad === 'number' && pad > 0) y = tf.layers.zeroPadding2d({ padding: pad, name: this.n(`${o.name}.pad`) }).apply(y) as tf.SymbolicTensor;
    return tf.layers
      .conv2d({ name: this.n(o.name), filters: o.filters, kernelSize: o.kernel, strides: o.stride ?? 1, padding: pad === 'same' ? 'same' : 'valid', useBias: o.bias ?? true })
      .apply(y) as tf.SymbolicTensor;
  }
  batchNorm(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.batchNormalization({ name: this.n(name), ...BN_ARGS }).apply(x) as tf.SymbolicTensor;
  }
  relu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.reLU({ name: this.n(name) }).apply(x) as tf.SymbolicTensor;
  }
  pool(x: tf.SymbolicTensor, o: Pool2dSpec): tf.SymbolicTensor {
    let y = x;
    if (o.pad) y = tf.layers.zeroPadding2d({ padding: o.pad, name: this.n(`${o.name}.pad`) }).apply(y) as tf.SymbolicTensor;
    const args = { name: this.n(o.name), poolSize: o.size, strides: o.stride ?? o.size, padding: 'valid' as const };
    return (o.kind === 'max' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args)).apply(y) as tf.SymbolicTensor;
  }
  add(a: tf.SymbolicTensor, b: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.add({ name: this.n(name) }).apply([a, b]) as tf.SymbolicTensor;
  }
  globalAvgPool(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.globalAveragePooling2d({ name: this.n(name) }).apply(x) as tf.SymbolicTensor;
  }
  flatten(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.flatten({ name: this.n(name) }).apply(x) as tf.SymbolicTensor; // [B, h, w, c] → [B, h·w·c]
  }
  dense(x: tf.SymbolicTensor, units: number, name: string, activation: Activation = 'linear'): tf.SymbolicTensor {
    return tf.layers.dense({ name: this.n(name), units, activation }).apply(x) as tf.SymbolicTensor;
  }
  dropout(x: tf.SymbolicTensor, rate: number, name: string): tf.SymbolicTensor {
    return rate > 0 ? (tf.layers.dropout({ name: this.n(name), rate }).apply(x) as tf.SymbolicTensor) : x;
  }
}

/**
 * Threads shapes through the same blocks and records one LayerRow per parameterised or
 * shape-changing layer (ReLUs and dropout, which change neither, get no row). Shapes may carry
 * leading axes (e.g. [T, H, W, C] for a per-frame trunk): MACs then count every frame.
 */
export class DescribeNet implements Net<number[]> {
  readonly rows: LayerRow[] = [];
  constructor(private readonly prefix = '') {}
  private n = (name: string) => `${this.prefix}${name}`;
  shape(x: number[]): number[] {
    return x;
  }
  private push(row: LayerRow): number[] {
    this.rows.push(row);
    return row.outputShape;
  }
  conv(x: number[], o: Conv2dSpec): number[] {
    const row = convRow(x, { name: this.n(o.name), kernel: [o.kernel, o.kernel], filters: o.filters, strides: o.stride ?? 1, padding: o.pad ?? 'same', bias: o.bias ?? true });
    assertPositive(row.outputShape, o.name, x);
    return this.push(row);
  }
  batchNorm(x: number[], name: string): number[] {
    return this.push(batchNormRow(x, this.n(name)));
  }
  relu(x: number[]): number[] {
    return x;
  }
  pool(x: number[], o: Pool2dSpec): number[] {
    const [h, w, c] = x.slice(-3);
    const s = o.stride ?? o.size;
    const out = [...x.slice(0, -3), convOutLen(h, o.size, s, o.pad ?? 0), convOutLen(w, o.size, s, o.pad ?? 0), c];
    assertPositive(out, o.name, x);
    return this.push(shapeRow(out, this.n(o.name), o.kind === 'max' ? 'maxpool' : 'avgpool', { note: `${o.size}×${o.size}/${s}` }));
  }
  add(a: number[], b: number[], name: string): number[] {
    if (a.join() !== b.join()) throw new Error(`${name}: cannot add shapes [${a.join(', ')}] and [${b.join(', ')}].`);
    return this.push(shapeRow(a, this.n(name), 'add', { note: 'residual sum' }));
  }
  globalAvgPool(x: number[], name: string): number[] {
    return this.push(shapeRow([...x.slice(0, -3), x[x.length - 1]], this.n(name), 'avgpool', { note: 'global average over H×W' }));
  }
  flatten(x: number[], name: string): number[] {
    const [h, w, c] = x.slice(-3);
    return this.push(shapeRow([...x.slice(0, -3), h * w * c], this.n(name), 'reshape', { note: `${h}×${w}×${c} map flattened: keeps where things are` }));
  }
  dense(x: number[], units: number, name: string): number[] {
    return this.push(denseRow(x, units, this.n(name)));
  }
  dropout(x: number[]): number[] {
    return x;
  }
}

function assertPositive(out: readonly number[], name: string, input: readonly number[]): void {
  if (out.some((d) => !(d >= 1))) throw new Error(`${name}: input [${input.join(', ')}] is too small for this layer (it would give [${out.join(', ')}]). Use a larger frame size or fewer downsampling stages.`);
}

// ───────────────────────────── blocks ─────────────────────────────

/** conv → BN → ReLU (conv has no bias: BN's shift replaces it). */
export function convBnRelu<X>(net: Net<X>, x: X, o: Conv2dSpec): X {
  const y = net.conv(x, { ...o, bias: false });
  return net.relu(net.batchNorm(y, `${o.name}.bn`), `${o.name}.relu`);
}

/** torchvision BasicBlock (expansion 1). */
export function basicBlock<X>(net: Net<X>, x: X, filters: number, stride: number, name: string): X {
  const cin = net.shape(x).at(-1);
  let y = net.conv(x, { name: `${name}.conv1`, filters, kernel: 3, stride, pad: 1, bias: false });
  y = net.relu(net.batchNorm(y, `${name}.bn1`), `${name}.relu1`);
  y = net.conv(y, { name: `${name}.conv2`, filters, kernel: 3, stride: 1, pad: 1, bias: false });
  y = net.batchNorm(y, `${name}.bn2`);
  let shortcut = x;
  if (stride !== 1 || cin !== filters) {
    shortcut = net.conv(x, { name: `${name}.downsample.0`, filters, kernel: 1, stride, pad: 0, bias: false });
    shortcut = net.batchNorm(shortcut, `${name}.downsample.1`);
  }
  return net.relu(net.add(y, shortcut, `${name}.add`), `${name}.relu2`);
}

// ───────────────────────────── trunks ─────────────────────────────

/** A plain stack of conv(-BN)-ReLU-pool stages. */
export interface ConvStackConfig {
  kind: 'conv-stack';
  widths: number[]; // filters per stage, e.g. [8, 16]; each stage halves H and W
  kernel: number; // default 3
  batchNorm: boolean; // default true
  pool: 'max' | 'avg'; // default 'max'
  /** How the final map becomes a vector: 'gap' (global average, size-independent) or 'flatten'
   *  (h·w·c, keeps position: what a per-frame feature needs for motion to survive). */
  head?: 'gap' | 'flatten'; // default 'gap'
}

/** torchvision ResNet with BasicBlocks (resnet18: stem 64, widths [64, 128, 256, 512], blocks [2, 2, 2, 2]). */
export interface ResNetConfig {
  kind: 'resnet';
  stemWidth: number; // default 64
  stageWidths: number[]; // default [64, 128, 256, 512]
  blocksPerStage: number[]; // default [2, 2, 2, 2]
}

export type Trunk2dConfig = ConvStackConfig | ResNetConfig;

export const RESNET18_TRUNK: ResNetConfig = { kind: 'resnet', stemWidth: 64, stageWidths: [64, 128, 256, 512], blocksPerStage: [2, 2, 2, 2] };
export const TINY_TRUNK: ConvStackConfig = { kind: 'conv-stack', widths: [8, 16], kernel: 3, batchNorm: true, pool: 'max' };

/** Length of the feature vector a trunk ends with on [H, W, C] frames. */
export function trunkFeatures(cfg: Trunk2dConfig, frame: readonly number[]): number {
  return trunk2d(new DescribeNet(), [...frame], cfg).at(-1) as number;
}

export function validateTrunk(cfg: Trunk2dConfig): void {
  const widths = cfg.kind === 'conv-stack' ? cfg.widths : cfg.stageWidths;
  if (widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w < 1)) throw new Error(`Trunk widths must be whole numbers ≥ 1, got [${widths.join(', ')}].`);
  if (cfg.kind === 'conv-stack' && !(cfg.kernel >= 1 && cfg.kernel % 2 === 1)) throw new Error(`Kernel size must be odd and ≥ 1, got ${cfg.kernel}.`);
  if (cfg.kind === 'resnet' && cfg.blocksPerStage.length !== cfg.stageWidths.length) throw new Error(`ResNet: ${cfg.stageWidths.length} stage widths but ${cfg.blocksPerStage.length} block counts.`);
}

/** A 2D trunk from one frame (or a frame stack) [H, W, C] to a feature vector [F]. */
export function trunk2d<X>(net: Net<X>, x: X, cfg: Trunk2dConfig): X {
  validateTrunk(cfg);
  let y = x;
  if (cfg.kind === 'conv-stack') {
    cfg.widths.forEach((filters, i) => {
      const name = `conv${i + 1}`;
      y = cfg.batchNorm ? convBnRelu(net, y, { name, filters, kernel: cfg.kernel }) : net.relu(net.conv(y, { name, filters, kernel: cfg.kernel }), `${name}.relu`);
      const [h, w] = net.shape(y).slice(-3, -1);
      // Halve H and W while there is something to halve; a 1×1 map is left alone.
      if (h >= 2 && w >= 2) y = net.pool(y, { name: `pool${i + 1}`, kind: cfg.pool, size: 2 });
    });
  } else {
    y = net.conv(y, { name: 'conv1', filters: cfg.stemWidth, kernel: 7, stride: 2, pad: 3, bias: false });
    y = net.relu(net.batchNorm(y, 'bn1'), 'relu');
    y = net.pool(y, { name: 'maxpool', kind: 'max', size: 3, stride: 2, pad: 1 });
    cfg.stageWidths.forEach((filters, s) => {
      for (let b = 0; b < cfg.blocksPerStage[s]; b++) y = basicBlock(net, y, filters, s > 0 && b === 0 ? 2 : 1, `layer${s + 1}.${b}`);
    });
  }
  if (cfg.kind === 'conv-stack' && cfg.head === 'flatten') return net.flatten(y, 'flatten'); // [h, w, c] → [h·w·c]
  return net.globalAvgPool(y, 'avgpool');
}
