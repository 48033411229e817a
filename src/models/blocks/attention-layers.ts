// Custom tfjs layers for the video transformer family (transformer.ts): patch / tubelet
// embedding, token assembly with space and time position embeddings, a pre-norm encoder block
// (joint or per-group attention), TimeSformer's divided space-time block, and a final
// LayerNorm that reads out the class token (or the mean of the tokens). LayersNet applies them;
// DescribeNet describes the same operations (describe-net.ts).
//
// Why custom layers: the Layers API has no multi-head self-attention, and the attention maths
// (attention-math.ts) needs reshapes that fold the batch with time or space ([N, T, P, D] →
// [N·P, T, D]), all on tensors of rank ≤ 4.
//
// Every layer is registered with tf.serialization.registerClass (with getConfig) so models can be
// cloned or saved; weights are plain layer variables, so the Layers API trains them as usual.

import * as tf from '@tensorflow/tfjs';
import {
  addAttnVars,
  addMlpVars,
  attnBranch,
  layerNorm2d,
  linear,
  linearInit,
  mlpResidual,
  type AddWeight,
  type AttnVars,
  type MlpVars,
} from './attention-math';
import { one, oneShape } from './layer-io';

/** The base-layer arguments we use (tfjs does not export its LayerArgs type). */
interface LayerArgs {
  name?: string;
  trainable?: boolean;
}
type Shape = tf.Shape;

const tokenInit = () => tf.initializers.truncatedNormal({ stddev: 0.02 });
// The class token starts at unit scale rather than ViT's ~0: its stream is read out through a
// LayerNorm, which divides by its spread, so a near-zero token makes every gradient into it 50×
// larger and a plain SGD step overshoots.
const clsInit = () => tf.initializers.randomNormal({ stddev: 1 });

/** [N, (S,) L, D] read as B = N·S groups of L tokens of width D. */
function tokenGroups(x: tf.Tensor): { b: number; l: number; d: number } {
  const [l, d] = x.shape.slice(-2);
  return { b: x.size / (l * d), l, d };
}

// ───────────────────────────── layers ─────────────────────────────

export interface PatchEmbedArgs extends LayerArgs {
  patchSize: number;
  /** Frames per tubelet (1 = per-frame patches as TimeSformer, 2 = ViViT's 2×16×16). */
  tubeletFrames: number;
  dim: number;
}

/**
 * Tubelet embedding of frames in [0, 1] centred to [−1, 1], equal to a Conv3D with
 * kernel = stride = [tt, p, p] and 'valid' padding,
 * computed as a Conv2D on [N·T', H, W, tt·C] so nothing is rank 5.
 * [N, T, H, W, C] → [N, T/tt, (H/p)·(W/p), D]
 */
export class PatchEmbed extends tf.layers.Layer {
  static className = 'ClipscopePatchEmbed';
  readonly patchSize: number;
  readonly tubeletFrames: number;
  readonly dim: number;
  private kernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;
  constructor(args: PatchEmbedArgs) {
    super(args);
    this.patchSize = args.patchSize;
    this.tubeletFrames = args.tubeletFrames;
    this.dim = args.dim;
  }
  build(inputShape: Shape | Shape[]): void {
    const s = oneShape(inputShape);
    const c = s[4] as number;
    const p = this.patchSize;
    this.kernel = this.addWeight(
      'kernel',
      [p, p, this.tubeletFrames * c, this.dim],
      'float32',
      tf.initializers.glorotUniform({}),
    );
    this.bias = this.addWeight('bias', [this.dim], 'float32', tf.initializers.zeros());
    this.built = true;
  }
  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, t, h, w] = oneShape(inputShape) as number[];
    const p = this.patchSize;
    return [
      n ?? null,
      Math.floor(t / this.tubeletFrames),
      Math.floor(h / p) * Math.floor(w / p),
      this.dim,
    ];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      // Frames arrive in [0, 1]; centre them to [−1, 1] first, as scenic's ViViT input pipeline
      // does (zero_centering). Uncentred pixels make the embedding's gradients add up coherently
      // over all patches, and a plain gradient step overshoots.
      const x = one(inputs).mul(2).sub(1);
      const [n, t, h, w, c] = x.shape;
      const tt = this.tubeletFrames;
      const p = this.patchSize;
      if (t % tt !== 0)
        throw new Error(`PatchEmbed: ${t} frames do not split into tubelets of ${tt} frames.`);
      const tOut = t / tt;
      // [N, T, H, W, C] → [N·T', tt, H·W, C] → [N·T', H·W, tt, C] → [N·T', H, W, tt·C]
      let y: tf.Tensor4D = x.reshape([n * tOut, tt, h * w, c]);
      if (tt > 1) y = y.transpose([0, 2, 1, 3]);
      y = y.reshape([n * tOut, h, w, tt * c]);
      const z = tf.conv2d(y, this.kernel.read() as tf.Tensor4D, p, 'valid'); // [N·T', h', w', D]
      const [, hp, wp] = z.shape;
      // bias on rows: [N·T'·h'·w', D] + [D]
      const zb = z.reshape([n * tOut * hp * wp, this.dim]).add(this.bias.read());
      return zb.reshape([n, tOut, hp * wp, this.dim]);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      patchSize: this.patchSize,
      tubeletFrames: this.tubeletFrames,
      dim: this.dim,
    };
  }
}

export interface TokenEmbedArgs extends LayerArgs {
  /** 'spacetime': [N, T, P, D] → [N, (1 +) T·P, D] with space (P) and time (T) embeddings
   *  (TimeSformer). 'frames': [N, T, P, D] → [N, T, (1 +) P, D], a class token per frame and
   *  space embeddings only (ViViT spatial encoder). 'sequence': [N, T, D] → [N, (1 +) T, D] with
   *  position embeddings over time (ViViT temporal encoder). */
  mode: 'spacetime' | 'frames' | 'sequence';
  /** Prepend a learned class token (with its own position embedding), default true. */
  classToken?: boolean;
}

/** Optional class token and learned position embeddings. */
export class TokenEmbed extends tf.layers.Layer {
  static className = 'ClipscopeTokenEmbed';
  readonly mode: TokenEmbedArgs['mode'];
  readonly classToken: boolean;
  private cls: tf.LayerVariable | null = null;
  private pos!: tf.LayerVariable;
  private time: tf.LayerVariable | null = null;
  constructor(args: TokenEmbedArgs) {
    super(args);
    this.mode = args.mode;
    this.classToken = args.classToken ?? true;
  }
  build(inputShape: Shape | Shape[]): void {
    const s = oneShape(inputShape) as number[];
    const d = s[s.length - 1];
    const k = this.classToken ? 1 : 0;
    if (this.classToken) this.cls = this.addWeight('cls_token', [1, d], 'float32', clsInit());
    if (this.mode === 'sequence') {
      this.pos = this.addWeight('pos_embed', [k + s[1], d], 'float32', tokenInit());
    } else {
      this.pos = this.addWeight('pos_embed', [k + s[2], d], 'float32', tokenInit());
      if (this.mode === 'spacetime')
        this.time = this.addWeight('time_embed', [s[1], d], 'float32', tokenInit());
    }
    this.built = true;
  }
  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = oneShape(inputShape) as number[];
    const k = this.classToken ? 1 : 0;
    if (this.mode === 'sequence') return [s[0] ?? null, k + s[1], s[2]];
    if (this.mode === 'frames') return [s[0] ?? null, s[1], k + s[2], s[3]];
    return [s[0] ?? null, k + s[1] * s[2], s[3]];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const pos = this.pos.read() as tf.Tensor2D;
      const d = x.shape[x.shape.length - 1];
      const k = this.classToken ? 1 : 0;
      // The class token plus its position embedding: [1, D] (null without a class token).
      const clsPos = this.cls
        ? (this.cls.read() as tf.Tensor2D).add(pos.slice([0, 0], [1, d]))
        : null;
      if (this.mode === 'sequence') {
        const [n, t] = x.shape;
        const body = x.add(pos.slice([k, 0], [t, d]).reshape([1, t, d])); // [N, T, D]
        if (!clsPos) return body;
        const head = tf.broadcastTo(clsPos.reshape([1, 1, d]), [n, 1, d]);
        return tf.concat([head, body], 1); // [N, 1+T, D]
      }
      const [n, t, p] = x.shape;
      let body = x.add(pos.slice([k, 0], [p, d]).reshape([1, 1, p, d])); // [N, T, P, D]
      if (this.mode === 'frames') {
        if (!clsPos) return body;
        const head = tf.broadcastTo(clsPos.reshape([1, 1, 1, d]), [n, t, 1, d]);
        return tf.concat([head, body], 2); // [N, T, 1+P, D]
      }
      body = body.add((this.time as tf.LayerVariable).read().reshape([1, t, 1, d]));
      // [N, T, P, D] → [N, T·P, D] (time-major token order), class token first
      const tokens = body.reshape([n, t * p, d]);
      if (!clsPos) return tokens;
      return tf.concat([tf.broadcastTo(clsPos.reshape([1, 1, d]), [n, 1, d]), tokens], 1);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode, classToken: this.classToken };
  }
}

export interface EncoderBlockArgs extends LayerArgs {
  heads: number;
  mlpDim: number;
  eps: number;
}

/**
 * What both transformer blocks share: heads, MLP width and ε, the check that D splits into the
 * heads, and the closing MLP (x + MLP(LN(x))), whose variables each block creates last.
 */
abstract class TransformerBlock extends tf.layers.Layer {
  readonly heads: number;
  readonly mlpDim: number;
  readonly eps: number;
  protected mlp!: MlpVars;
  constructor(args: EncoderBlockArgs) {
    super(args);
    this.heads = args.heads;
    this.mlpDim = args.mlpDim;
    this.eps = args.eps;
  }
  /** The block's attention variables for token width d, created before the MLP's. */
  protected abstract addAttention(add: AddWeight, d: number): void;
  build(inputShape: Shape | Shape[]): void {
    const s = oneShape(inputShape);
    const d = s[s.length - 1] as number;
    if (d % this.heads !== 0)
      throw new Error(`${this.name}: token width ${d} is not divisible by ${this.heads} heads.`);
    const add: AddWeight = (name, shape, init) => this.addWeight(name, shape, 'float32', init);
    this.addAttention(add, d);
    this.mlp = addMlpVars(add, d, this.mlpDim);
    this.built = true;
  }
  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return oneShape(inputShape);
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, mlpDim: this.mlpDim, eps: this.eps };
  }
}

/**
 * Pre-norm transformer block: x + MHSA(LN(x)); x + MLP(LN(x)).
 * [N, L, D] attends over all L tokens (joint space-time / temporal encoder);
 * [N, S, L, D] attends within each of the S groups (per-frame spatial encoder).
 */
export class EncoderBlock extends TransformerBlock {
  static className = 'ClipscopeEncoderBlock';
  private attn!: AttnVars;
  protected addAttention(add: AddWeight, d: number): void {
    this.attn = addAttnVars(add, 'attn', d);
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const { b, l, d } = tokenGroups(x);
      const x3 = x.reshape([b, l, d]) as tf.Tensor3D; // [N, (S,) L, D] → [N·S, L, D]
      const y = x3.add(attnBranch(x3, this.heads, this.attn, this.eps)) as tf.Tensor3D;
      return mlpResidual(y.reshape([b * l, d]), this.mlp, this.eps).reshape(x.shape);
    });
  }
}

export interface DividedBlockArgs extends EncoderBlockArgs {
  numFrames: number;
  /** Is token 0 a class token (TimeSformer), default true. */
  classToken?: boolean;
}

/**
 * TimeSformer's divided space-time block on [N, 1 + T·P, D] (class token first, then tokens in
 * time-major order):
 *   temporal: each patch position attends over its T frames (own LN, qkv, proj), then temporal_fc;
 *   spatial:  within each frame, the class token plus that frame's P patches (own LN, qkv, proj);
 *             the class token's T per-frame results are averaged;
 *   MLP.
 */
export class DividedBlock extends TransformerBlock {
  static className = 'ClipscopeDividedBlock';
  readonly numFrames: number;
  readonly classToken: boolean;
  private tAttn!: AttnVars;
  private tFcW!: tf.LayerVariable;
  private tFcB!: tf.LayerVariable;
  private sAttn!: AttnVars;
  constructor(args: DividedBlockArgs) {
    super(args);
    this.numFrames = args.numFrames;
    this.classToken = args.classToken ?? true;
  }
  protected addAttention(add: AddWeight, d: number): void {
    this.tAttn = addAttnVars(add, 'temporal', d);
    this.tFcW = add('temporal_fc_kernel', [d, d], linearInit());
    this.tFcB = add('temporal_fc_bias', [d], tf.initializers.zeros());
    this.sAttn = addAttnVars(add, 'spatial', d);
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor3D;
      const [n, len, d] = x.shape;
      const t = this.numFrames;
      const k = this.classToken ? 1 : 0;
      const p = (len - k) / t;
      if (!Number.isInteger(p))
        throw new Error(`DividedBlock: ${len - k} tokens do not split into ${t} frames.`);
      const cls = k ? x.slice([0, 0, 0], [n, 1, d]) : null; // [N, 1, D]
      const tokens = k ? x.slice([0, 1, 0], [n, t * p, d]) : x; // [N, T·P, D]

      // Temporal: [N, T·P, D] → [N, T, P, D] → [N, P, T, D] → [N·P, T, D]
      const xt = tokens
        .reshape([n, t, p, d])
        .transpose([0, 2, 1, 3])
        .reshape([n * p, t, d]) as tf.Tensor3D;
      const resT = attnBranch(xt, this.heads, this.tAttn, this.eps);
      // [N·P, T, D] → [N, P, T, D] → [N, T, P, D] → [N·T·P, D]
      const resTRows = resT
        .reshape([n, p, t, d])
        .transpose([0, 2, 1, 3])
        .reshape([n * t * p, d]) as tf.Tensor2D;
      const resTfc = linear(
        resTRows,
        this.tFcW.read() as tf.Tensor2D,
        this.tFcB.read() as tf.Tensor1D,
      );
      const xtOut = tokens.add(resTfc.reshape([n, t * p, d])); // [N, T·P, D]

      // Spatial: within each frame; the class token joins every frame. [N, T·P, D] → [N·T, P, D]
      const frames = xtOut.reshape([n * t, p, d]);
      let y: tf.Tensor;
      if (cls) {
        const clsPerFrame = tf.broadcastTo(cls, [n, t, d]).reshape([n * t, 1, d]); // [N, 1, D] → [N·T, 1, D]
        const xs = tf.concat([clsPerFrame, frames], 1) as tf.Tensor3D; // [N·T, 1+P, D]
        const resS = attnBranch(xs, this.heads, this.sAttn, this.eps); // [N·T, 1+P, D]
        const resCls = resS
          .slice([0, 0, 0], [n * t, 1, d])
          .reshape([n, t, d])
          .mean(1, true); // [N, 1, D]: mean over frames
        const resPatches = resS.slice([0, 1, 0], [n * t, p, d]).reshape([n, t * p, d]);
        y = tf.concat([cls, xtOut], 1).add(tf.concat([resCls, resPatches], 1)); // [N, 1+T·P, D]
      } else {
        y = xtOut.add(
          attnBranch(frames as tf.Tensor3D, this.heads, this.sAttn, this.eps).reshape([
            n,
            t * p,
            d,
          ]),
        ); // [N, T·P, D]
      }

      return mlpResidual(y.reshape([n * len, d]) as tf.Tensor2D, this.mlp, this.eps).reshape([
        n,
        len,
        d,
      ]);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numFrames: this.numFrames, classToken: this.classToken };
  }
}

export interface NormPoolArgs extends LayerArgs {
  eps: number;
  /** 'cls': read out token 0 (the class token); 'mean': average all tokens. */
  pool: 'cls' | 'mean';
}

/** Final LayerNorm and pooling over the token axis:
 *  [N, L, D] → [N, D]; [N, S, L, D] → [N, S, D] (one vector per frame). */
export class NormPool extends tf.layers.Layer {
  static className = 'ClipscopeNormPool';
  readonly eps: number;
  readonly pool: NormPoolArgs['pool'];
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;
  constructor(args: NormPoolArgs) {
    super(args);
    this.eps = args.eps;
    this.pool = args.pool;
  }
  build(inputShape: Shape | Shape[]): void {
    const s = oneShape(inputShape);
    const d = s[s.length - 1] as number;
    this.gamma = this.addWeight('gamma', [d], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [d], 'float32', tf.initializers.zeros());
    this.built = true;
  }
  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = oneShape(inputShape);
    return [...s.slice(0, -2), s[s.length - 1]];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const { b, l, d } = tokenGroups(x);
      const gamma = this.gamma.read() as tf.Tensor1D;
      const beta = this.beta.read() as tf.Tensor1D;
      let y: tf.Tensor2D;
      if (this.pool === 'cls') {
        // LayerNorm is per token, so normalising only the class token gives the same readout:
        // [N·S, L, D] → [N·S, D]
        const cls = x.reshape([b, l, d]).slice([0, 0, 0], [b, 1, d]).reshape([b, d]) as tf.Tensor2D;
        y = layerNorm2d(cls, gamma, beta, this.eps);
      } else {
        // [N·S·L, D] → LayerNorm → [N·S, L, D] → mean over L → [N·S, D]
        y = layerNorm2d(x.reshape([b * l, d]) as tf.Tensor2D, gamma, beta, this.eps)
          .reshape([b, l, d])
          .mean(1) as tf.Tensor2D;
      }
      return y.reshape([...x.shape.slice(0, -2), d]);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), eps: this.eps, pool: this.pool };
  }
}

for (const cls of [PatchEmbed, TokenEmbed, EncoderBlock, DividedBlock, NormPool])
  tf.serialization.registerClass(cls);
