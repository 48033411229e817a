// Row builders for `describe()`: the architecture arithmetic, with no tensors. DescribeNet
// (describe-net.ts) calls these as a family's code threads shapes through it. Shapes exclude N.
//
// Conventions (so totals match PyTorch's `parameters()` and torchvision's published GFLOPS):
// - trainable params: weights + biases + norm scales/shifts + embeddings;
// - non-trainable: batch-norm running mean and variance (2·C per BN);
// - MACs: multiply-accumulates of convs, linear layers, recurrences and attention matmuls.

import type { DescriptionTotals, LayerRow } from '../types';
import { prod } from './net';

const F32 = 4;

export type Padding = 'same' | 'valid' | number;

/** Output length of one spatial/temporal axis, PyTorch/TF style. */
export function convOutLen(
  inLen: number,
  k: number,
  stride: number,
  pad: 'same' | 'valid' | number,
): number {
  if (pad === 'same') return Math.ceil(inLen / stride);
  const p = pad === 'valid' ? 0 : pad;
  return Math.floor((inLen + 2 * p - k) / stride) + 1;
}

export interface ConvOpts {
  name: string;
  /** Kernel extent per spatial(-temporal) axis: [k, k] for 2D, [kt, k, k] for 3D. */
  kernel: readonly number[];
  filters: number;
  strides?: readonly number[] | number;
  padding?: Padding;
  bias?: boolean;
  temporal?: boolean;
  note?: string;
}

/** A 2D or 3D convolution on `inShape` = [...spatial, Cin]. */
export function convRow(inShape: readonly number[], o: ConvOpts): LayerRow {
  const dims = o.kernel.length;
  // The spatial(-temporal) axes are the `dims` axes just before C; any axes before them (e.g. T
  // for a per-frame 2D trunk) are carried through.
  const spatialIn = inShape.slice(inShape.length - 1 - dims, inShape.length - 1);
  const cin = inShape[inShape.length - 1];
  const strides =
    typeof o.strides === 'number' || o.strides === undefined
      ? Array(dims).fill(o.strides ?? 1)
      : o.strides;
  const spatialOut = spatialIn.map((n, i) =>
    convOutLen(n, o.kernel[i], strides[i], o.padding ?? 'same'),
  );
  const weightsPerFilter = prod(o.kernel) * cin;
  const trainable = weightsPerFilter * o.filters + (o.bias === false ? 0 : o.filters);
  const outShape = [...inShape.slice(0, inShape.length - 1 - dims), ...spatialOut, o.filters];
  return {
    name: o.name,
    kind: dims === 3 ? 'conv3d' : 'conv2d',
    outputShape: outShape,
    trainableParams: trainable,
    nonTrainableParams: 0,
    macs: weightsPerFilter * o.filters * prod(outShape.slice(0, -1)),
    activationBytes: prod(outShape) * F32,
    temporal: o.temporal ?? (dims === 3 && o.kernel[0] > 1),
    note: o.note,
  };
}

/** Batch norm over the last axis: 2·C trainable (γ, β), 2·C non-trainable (running μ, σ²). */
export function batchNormRow(inShape: readonly number[], name: string): LayerRow {
  const c = inShape[inShape.length - 1];
  return {
    name,
    kind: 'batchnorm',
    outputShape: [...inShape],
    trainableParams: 2 * c,
    nonTrainableParams: 2 * c,
    macs: 0,
    activationBytes: prod(inShape) * F32,
    temporal: false,
  };
}

/** Dense / linear on the last axis (applied to every leading position). */
export function denseRow(
  inShape: readonly number[],
  units: number,
  name: string,
  o: { bias?: boolean; temporal?: boolean; note?: string } = {},
): LayerRow {
  const cin = inShape[inShape.length - 1];
  const outShape = [...inShape.slice(0, -1), units];
  const positions = prod(inShape.slice(0, -1));
  return {
    name,
    kind: 'dense',
    outputShape: outShape,
    trainableParams: cin * units + (o.bias === false ? 0 : units),
    nonTrainableParams: 0,
    macs: cin * units * positions,
    activationBytes: prod(outShape) * F32,
    temporal: o.temporal ?? false,
    note: o.note,
  };
}

/** A parameter-free layer (pooling, activation, reshape, concat, …) with a known output shape. */
export function shapeRow(
  outShape: readonly number[],
  name: string,
  kind: string,
  o: { temporal?: boolean; note?: string; macs?: number } = {},
): LayerRow {
  return {
    name,
    kind,
    outputShape: [...outShape],
    trainableParams: 0,
    nonTrainableParams: 0,
    macs: o.macs ?? 0,
    activationBytes: prod(outShape) * F32,
    temporal: o.temporal ?? false,
    note: o.note,
  };
}

/** A row with explicit parameter counts (embeddings, tokens, custom blocks). */
export function paramRow(
  outShape: readonly number[],
  name: string,
  kind: string,
  trainableParams: number,
  o: { temporal?: boolean; note?: string; macs?: number; nonTrainableParams?: number } = {},
): LayerRow {
  return {
    name,
    kind,
    outputShape: [...outShape],
    trainableParams,
    nonTrainableParams: o.nonTrainableParams ?? 0,
    macs: o.macs ?? 0,
    activationBytes: prod(outShape) * F32,
    temporal: o.temporal ?? false,
    note: o.note,
  };
}

export function sumTotals(rows: readonly LayerRow[]): DescriptionTotals {
  const t: DescriptionTotals = {
    trainableParams: 0,
    nonTrainableParams: 0,
    macs: 0,
    activationBytes: 0,
  };
  for (const r of rows) {
    t.trainableParams += r.trainableParams;
    t.nonTrainableParams += r.nonTrainableParams;
    t.macs += r.macs;
    t.activationBytes += r.activationBytes;
  }
  return t;
}

// ───────────── attention rows ─────────────

export interface AttentionRowOpts {
  name: string;
  /** Independent attention problems per clip (e.g. N·P sequences for TimeSformer's time attention). */
  sequences: number;
  /** Tokens per sequence L: each query attends to L keys. */
  seqLen: number;
  dim: number;
  heads: number;
  temporal: boolean;
  note?: string;
}

/**
 * Pre-norm multi-head self-attention: LayerNorm (2·D) + qkv (3·D² + 3·D) + output projection
 * (D² + D) = 4·D² + 6·D parameters. MACs per sequence: qkv L·D·3D, q·kᵀ L²·D, attn·v L²·D,
 * projection L·D². The note gives the attention-matrix size.
 */
export function attentionRow(outShape: readonly number[], o: AttentionRowOpts): LayerRow {
  const { sequences: s, seqLen: l, dim: d, heads: h } = o;
  const linearMacs = s * l * d * 4 * d;
  const attnMacs = s * 2 * l * l * d;
  return {
    name: o.name,
    kind: 'attention',
    outputShape: [...outShape],
    trainableParams: 4 * d * d + 6 * d,
    nonTrainableParams: 0,
    macs: linearMacs + attnMacs,
    activationBytes: prod(outShape) * F32,
    temporal: o.temporal,
    note:
      o.note ??
      `${s.toLocaleString('en-US')} × ${h} heads × ${l}×${l} attention (${(s * h * l * l).toLocaleString('en-US')} entries; ${attnMacs.toLocaleString('en-US')} attention MACs)`,
  };
}

/** Pre-norm MLP: LayerNorm (2·D) + D→M (GELU) + M→D, applied to every token. */
export function mlpRow(inShape: readonly number[], hidden: number, name: string): LayerRow {
  const d = inShape[inShape.length - 1];
  const positions = prod(inShape.slice(0, -1));
  return {
    name,
    kind: 'mlp',
    outputShape: [...inShape],
    trainableParams: 2 * d + d * hidden + hidden + hidden * d + d,
    nonTrainableParams: 0,
    macs: 2 * positions * d * hidden,
    activationBytes: prod(inShape) * F32,
    temporal: false,
    note: `${d}→${hidden}→${d}, GELU`,
  };
}
