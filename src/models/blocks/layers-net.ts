// The building side of `Net` (net.ts): every operation applies tf.layers (or our custom layers,
// time-layers.ts and attention-layers.ts) to symbolic tensors [N, …], so `buildNet` turns a
// family's NetSpec into a tf.LayersModel whose countParams() equals its description's totals.
//
// Torchvision exactness: BN uses ε = 1e-5 and PyTorch momentum 0.1 (Keras momentum 0.9); its
// running mean and variance are non-trainable. A numeric 2D padding is an explicit symmetric zero
// padding (PyTorch's `padding=p`) instead of TF 'same', whose stride-2 padding is lopsided.
//
// WebGPU workarounds (shared/TFJS-NOTES.md): tfjs 4.22's webgpu backend silently miscomputes a
// rank-5 tf.pad and a rank-5 add/mul broadcasting a [C] vector. So nothing here pads a rank-5
// tensor: 3D convs and pools use the op's own 'same'/'valid' padding; conv biases go through
// tfjs-layers' biasAdd, which reshapes the bias to [1, 1, 1, 1, C] (the shape that works); batch
// norm on [N, T, H, W, C] runs on [N, T·H, W, C] (batchNormLayer: the one place for it; tfjs-layers
// also rejects rank-5 BN outright); 3D global pooling reshapes to [N, T·H·W, C] first. Residual
// sums are 2-input adds, far below addN's 8-input failure.

import * as tf from '@tensorflow/tfjs';
import type { BuiltModel } from '../types';
import {
  AverageFrameScores,
  FoldTime,
  PickFrames,
  StackTimeInChannels,
  TemporalGather,
  UnfoldTime,
} from './time-layers';
import { DividedBlock, EncoderBlock, NormPool, PatchEmbed, TokenEmbed } from './attention-layers';
import { perAxis } from './net';
import type * as ops from './net';

type Sym = tf.SymbolicTensor;
type BatchNormArgs = Omit<NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>, 'name'>;

/** PyTorch BatchNorm defaults: ε = 1e-5, momentum 0.1 (= Keras momentum 0.9). */
export const BN_ARGS = { axis: -1, epsilon: 1e-5, momentum: 0.9 } as const;

/**
 * Batch norm over the channels of a symbolic tensor of any rank. tfjs-layers' BatchNormalization
 * refuses rank 5 at inference ("not implemented for array of rank 5"), and WebGPU broadcasts a [C]
 * vector over rank 5 wrongly, so [N, T, H, W, C] is folded around it: → [N, T·H, W, C] → BN →
 * back. The statistics run over the same N·T·H·W positions per channel, so this is exactly 3D
 * batch norm (reshapes are free views). The BN layer itself keeps `name`.
 */
export function batchNormLayer(x: Sym, name: string, args: BatchNormArgs): Sym {
  if (x.shape.length !== 5) return tf.layers.batchNormalization({ ...args, name }).apply(x) as Sym;
  const [, t, h, w, c] = x.shape as number[];
  const folded = tf.layers
    .reshape({ name: `${name}.fold`, targetShape: [t * h, w, c] })
    .apply(x) as Sym; // [N, T, H, W, C] → [N, T·H, W, C]
  const y = tf.layers.batchNormalization({ ...args, name }).apply(folded) as Sym;
  return tf.layers.reshape({ name: `${name}.unfold`, targetShape: [t, h, w, c] }).apply(y) as Sym; // [N, T·H, W, C] → [N, T, H, W, C]
}

function assertRank(x: Sym, rank: number, name: string, what: string): void {
  if (x.shape.length !== rank)
    throw new Error(
      `${name}: ${what} needs a rank-${rank} input [N, …], got [${x.shape.join(', ')}].`,
    );
}

export interface LayersNetOptions {
  /** Initializer of 2D conv kernels: tfjs's Glorot-uniform default (the 2D families' trunks, as
   *  their lessons were tuned) or He-normal (the two-stream streams). 3D convs always start He-normal. */
  conv2dInit?: 'heNormal';
}

/** Builds tf.layers on symbolic tensors [N, …]. */
export class LayersNet implements ops.Net<Sym> {
  constructor(private readonly o: LayersNetOptions = {}) {}

  shape(x: Sym): number[] {
    return x.shape.slice(1).map((d) => {
      if (d === null) throw new Error('Blocks need static sizes apart from the batch axis.');
      return d;
    });
  }

  conv(x: Sym, o: ops.ConvSpec): Sym {
    const pad = o.pad ?? 'same';
    const common = { name: o.name, filters: o.filters, useBias: o.bias ?? true };
    if (typeof o.kernel !== 'number') {
      assertRank(x, 5, o.name, 'a 3D conv');
      if (typeof pad === 'number')
        throw new Error(
          `${o.name}: a 3D conv pads 'same' or 'valid' (a rank-5 pad is computed wrongly on WebGPU).`,
        );
      return tf.layers
        .conv3d({
          ...common,
          kernelSize: [...o.kernel],
          strides: perAxis(o.stride ?? 1, 3),
          padding: pad,
          kernelInitializer: 'heNormal',
        })
        .apply(x) as Sym;
    }
    assertRank(x, 4, o.name, 'a 2D conv');
    let y = x;
    if (typeof pad === 'number' && pad > 0)
      y = tf.layers.zeroPadding2d({ padding: pad, name: `${o.name}.pad` }).apply(y) as Sym;
    const init = this.o.conv2dInit ? { kernelInitializer: this.o.conv2dInit } : {};
    return tf.layers
      .conv2d({
        ...common,
        ...init,
        kernelSize: o.kernel,
        strides: perAxis(o.stride ?? 1, 2),
        padding: pad === 'same' ? 'same' : 'valid',
      })
      .apply(y) as Sym;
  }

  batchNorm(x: Sym, name: string, o: { zeroGamma?: boolean } = {}): Sym {
    return batchNormLayer(
      x,
      name,
      o.zeroGamma ? { ...BN_ARGS, gammaInitializer: 'zeros' } : BN_ARGS,
    );
  }

  relu(x: Sym, name: string): Sym {
    return tf.layers.reLU({ name }).apply(x) as Sym;
  }

  pool(x: Sym, o: ops.PoolSpec): Sym {
    const pad = o.pad ?? 'valid';
    if (typeof o.size !== 'number') {
      assertRank(x, 5, o.name, 'a 3D pool');
      if (typeof pad === 'number')
        throw new Error(
          `${o.name}: a 3D pool pads 'same' or 'valid' (a rank-5 pad is computed wrongly on WebGPU).`,
        );
      const args = {
        name: o.name,
        poolSize: [...o.size] as [number, number, number],
        strides: perAxis(o.stride ?? o.size, 3) as [number, number, number],
        padding: pad,
      };
      return (
        o.kind === 'max' ? tf.layers.maxPooling3d(args) : tf.layers.averagePooling3d(args)
      ).apply(x) as Sym;
    }
    assertRank(x, 4, o.name, 'a 2D pool');
    let y = x;
    if (typeof pad === 'number' && pad > 0)
      y = tf.layers.zeroPadding2d({ padding: pad, name: `${o.name}.pad` }).apply(y) as Sym;
    const args = {
      name: o.name,
      poolSize: o.size,
      strides: perAxis(o.stride ?? o.size, 2) as [number, number],
      padding: pad === 'same' ? ('same' as const) : ('valid' as const),
    };
    return (
      o.kind === 'max' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args)
    ).apply(y) as Sym;
  }

  globalAvgPool(x: Sym, name: string, dims: 2 | 3): Sym {
    assertRank(x, dims + 2, name, `a global ${dims}D pool`);
    if (dims === 2) return tf.layers.globalAveragePooling2d({ name }).apply(x) as Sym;
    const [t, h, w, c] = this.shape(x);
    // [N, T, H, W, C] → [N, T·H·W, C]: a rank-3 mean, away from the rank-5 WebGPU bugs.
    const flat = tf.layers
      .reshape({ name: `${name}.reshape`, targetShape: [t * h * w, c] })
      .apply(x) as Sym;
    return tf.layers.globalAveragePooling1d({ name }).apply(flat) as Sym;
  }

  flatten(x: Sym, name: string, dims: 2 | 3): Sym {
    assertRank(x, dims + 2, name, `a ${dims}D flatten`);
    return tf.layers.flatten({ name }).apply(x) as Sym; // [N, (T,) H, W, C] → [N, (T·)H·W·C]
  }

  add(a: Sym, b: Sym, name: string): Sym {
    return tf.layers.add({ name }).apply([a, b]) as Sym;
  }

  concat(xs: Sym[], name: string): Sym {
    return tf.layers.concatenate({ axis: -1, name }).apply(xs) as Sym;
  }

  average(xs: Sym[], name: string): Sym {
    return tf.layers.average({ name }).apply(xs) as Sym;
  }

  dense(x: Sym, units: number, name: string, activation: ops.Activation = 'linear'): Sym {
    return tf.layers.dense({ name, units, activation }).apply(x) as Sym;
  }

  dropout(x: Sym, rate: number, name: string): Sym {
    return rate > 0 ? (tf.layers.dropout({ name, rate }).apply(x) as Sym) : x;
  }

  foldTime(x: Sym, name: string): Sym {
    return new FoldTime({ name }).apply(x) as Sym; // [N, T, H, W, C] → [N·T, H, W, C]
  }

  unfoldTime(x: Sym, numFrames: number, name: string): Sym {
    return new UnfoldTime({ numFrames, name }).apply(x) as Sym; // [N·T, F] → [N, T, F]
  }

  stackTimeInChannels(x: Sym, name: string): Sym {
    return new StackTimeInChannels({ name }).apply(x) as Sym; // [N, T, H, W, C] → [N, H, W, T·C]
  }

  pickFrames(x: Sym, o: ops.PickFramesSpec): Sym {
    return new PickFrames(o).apply(x) as Sym; // [N, T, H, W, C] → [N, H, W, C]
  }

  averageFrameScores(x: Sym, o: ops.PickFramesSpec): Sym {
    return new AverageFrameScores(o).apply(x) as Sym;
  }

  gatherTime(x: Sym, name: string, indices: readonly number[]): Sym {
    return new TemporalGather({ name, indices }).apply(x) as Sym; // [N, T, H, W, C] → [N, K, H, W, C]
  }

  temporalPool(x: Sym, name: string, kind: 'mean' | 'max'): Sym {
    return (
      kind === 'mean'
        ? tf.layers.globalAveragePooling1d({ name })
        : tf.layers.globalMaxPooling1d({ name })
    ).apply(x) as Sym; // [N, T, F] → [N, F]
  }

  rnn(x: Sym, o: ops.RnnSpec): Sym {
    const args = { name: o.name, units: o.units, returnSequences: o.returnSequences };
    return (o.cell === 'lstm' ? tf.layers.lstm(args) : tf.layers.gru(args)).apply(x) as Sym; // [N, T, F] → [N, U] or [N, T, U]
  }

  patchEmbed(
    x: Sym,
    o: { name: string; patchSize: number; tubeletFrames: number; dim: number },
  ): Sym {
    return new PatchEmbed(o).apply(x) as Sym; // [N, T, H, W, C] → [N, T', N_p, D]
  }

  tokenEmbed(x: Sym, o: ops.TokenEmbedSpec): Sym {
    return new TokenEmbed(o).apply(x) as Sym;
  }

  encoderBlock(x: Sym, o: ops.AttentionBlockSpec): Sym {
    return new EncoderBlock({ name: o.name, heads: o.heads, mlpDim: o.mlpDim, eps: o.eps }).apply(
      x,
    ) as Sym;
  }

  dividedBlock(x: Sym, o: ops.DividedBlockSpec): Sym {
    return new DividedBlock(o).apply(x) as Sym;
  }

  normPool(x: Sym, o: { name: string; eps: number; pool: 'cls' | 'mean' }): Sym {
    return new NormPool(o).apply(x) as Sym;
  }
}

/** A family's NetSpec as a tf.LayersModel, with the input kinds it declares. */
export function buildNet(spec: ops.NetSpec, modelName: string, net = new LayersNet()): BuiltModel {
  const inputs = spec.inputs.map((i) => tf.input({ shape: i.shape, name: i.name }));
  const out = spec.body(net, inputs);
  return {
    model: tf.model({
      inputs: inputs.length === 1 ? inputs[0] : inputs,
      outputs: out,
      name: modelName,
    }),
    inputs: spec.inputs.map((i) => i.kind),
  };
}
