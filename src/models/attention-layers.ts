// Custom tfjs layers for the video transformer family (transformer.ts): patch / tubelet
// embedding, token assembly with space and time position embeddings, a pre-norm encoder block
// (joint or per-group attention), TimeSformer's divided space-time block, and a final
// LayerNorm that reads out the class token (or the mean of the tokens).
//
// Why custom layers: the Layers API has no multi-head self-attention, and the attention maths
// needs reshapes that fold the batch with time or space ([N, T, P, D] → [N·P, T, D]). All maths
// here is matMul / softmax / reshape / transpose with tensors of rank ≤ 4 (no einsum: it has no
// gradient in tfjs; no rank-5 pad, slice gradients or [C]-bias broadcasts: they are silently
// wrong on WebGPU in tfjs 4.22, ../../shared/TFJS-NOTES.md). Bias adds are done on rank-2
// [rows, D] tensors.
//
// Every layer is registered with tf.serialization.registerClass (with getConfig) so models can be
// cloned or saved; weights are plain layer variables, so the Layers API trains them as usual.

import * as tf from '@tensorflow/tfjs';

/** The base-layer arguments we use (tfjs does not export its LayerArgs type). */
interface LayerArgs {
  name?: string;
  trainable?: boolean;
}
/** `Layer.addWeight` is protected: layers hand this closure to the variable-bundle helpers. */
type AddWeight = (name: string, shape: number[], init: ReturnType<typeof tf.initializers.ones>) => tf.LayerVariable;
type Shape = (number | null)[];

const single = (inputs: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(inputs) ? inputs[0] : inputs);
const singleShape = (s: Shape | Shape[]): Shape => (Array.isArray(s[0]) ? (s[0] as Shape) : (s as Shape));

// Linear layers start as in TimeSformer / timm's ViT: truncated normal, std 0.02, zero bias. Small
// weights keep each block near the identity, so plain SGD at ordinary rates does not overshoot.
const linearInit = () => tf.initializers.truncatedNormal({ stddev: 0.02 });
const tokenInit = () => tf.initializers.truncatedNormal({ stddev: 0.02 });
// The class token starts at unit scale rather than ViT's ~0: its stream is read out through a
// LayerNorm, which divides by its spread, so a near-zero token makes every gradient into it 50×
// larger and a plain SGD step overshoots.
const clsInit = () => tf.initializers.randomNormal({ stddev: 1 });

// ───────────────────────────── maths helpers (pure tensor functions) ─────────────────────────────

/** LayerNorm over the last axis of a rank-2 [rows, D] tensor. */
function layerNorm2d(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).mul(tf.rsqrt(variance.add(eps))).mul(gamma).add(beta);
}

/** Dense on a rank-2 tensor: [rows, Din] · [Din, Dout] + [Dout]. */
const linear = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D => tf.matMul(x, w).add(b);

/** Exact GELU (PyTorch's nn.GELU default): x·Φ(x) = ½x(1 + erf(x/√2)). */
const gelu = (x: tf.Tensor2D): tf.Tensor2D => x.mul(tf.erf(x.mul(Math.SQRT1_2)).add(1)).mul(0.5);

/**
 * Multi-head self-attention over independent sequences.
 * x: [B, L, D] (already normalised) → [B, L, D]. q·kᵀ/√dh, softmax over keys, ·v, output proj.
 */
function selfAttention(x: tf.Tensor3D, heads: number, qkvW: tf.Tensor2D, qkvB: tf.Tensor1D, projW: tf.Tensor2D, projB: tf.Tensor1D): tf.Tensor3D {
  const [B, L, D] = x.shape;
  const dh = D / heads;
  const qkv = linear(x.reshape([B * L, D]), qkvW, qkvB); // [B·L, 3D]
  const [q, k, v] = tf.split(qkv, 3, 1); // 3 × [B·L, D]
  // [B·L, D] → [B, L, H, dh] → [B, H, L, dh] → [B·H, L, dh]
  const toHeads = (t: tf.Tensor2D): tf.Tensor3D => t.reshape([B, L, heads, dh]).transpose([0, 2, 1, 3]).reshape([B * heads, L, dh]);
  const scores = tf.matMul(toHeads(q as tf.Tensor2D), toHeads(k as tf.Tensor2D), false, true).mul(1 / Math.sqrt(dh)); // [B·H, L, L]
  const attn = tf.softmax(scores, -1);
  const out = tf.matMul(attn, toHeads(v as tf.Tensor2D)); // [B·H, L, dh]
  // [B·H, L, dh] → [B, H, L, dh] → [B, L, H, dh] → [B·L, D]
  const merged = out.reshape([B, heads, L, dh]).transpose([0, 2, 1, 3]).reshape([B * L, D]) as tf.Tensor2D;
  return linear(merged, projW, projB).reshape([B, L, D]);
}

// A bundle of variables for LN + MHSA, created in `build`.
interface AttnVars {
  lnG: tf.LayerVariable;
  lnB: tf.LayerVariable;
  qkvW: tf.LayerVariable;
  qkvB: tf.LayerVariable;
  projW: tf.LayerVariable;
  projB: tf.LayerVariable;
}
interface MlpVars {
  lnG: tf.LayerVariable;
  lnB: tf.LayerVariable;
  w1: tf.LayerVariable;
  b1: tf.LayerVariable;
  w2: tf.LayerVariable;
  b2: tf.LayerVariable;
}

function addAttnVars(add: AddWeight, prefix: string, d: number): AttnVars {
  return {
    lnG: add(`${prefix}_ln_gamma`, [d], tf.initializers.ones()),
    lnB: add(`${prefix}_ln_beta`, [d], tf.initializers.zeros()),
    qkvW: add(`${prefix}_qkv_kernel`, [d, 3 * d], linearInit()),
    qkvB: add(`${prefix}_qkv_bias`, [3 * d], tf.initializers.zeros()),
    projW: add(`${prefix}_proj_kernel`, [d, d], linearInit()),
    projB: add(`${prefix}_proj_bias`, [d], tf.initializers.zeros()),
  };
}
function addMlpVars(add: AddWeight, d: number, m: number): MlpVars {
  return {
    lnG: add('mlp_ln_gamma', [d], tf.initializers.ones()),
    lnB: add('mlp_ln_beta', [d], tf.initializers.zeros()),
    w1: add('fc1_kernel', [d, m], linearInit()),
    b1: add('fc1_bias', [m], tf.initializers.zeros()),
    w2: add('fc2_kernel', [m, d], linearInit()),
    b2: add('fc2_bias', [d], tf.initializers.zeros()),
  };
}

/** LN then attention on [B, L, D] sequences (no residual). */
function attnBranch(x: tf.Tensor3D, heads: number, v: AttnVars, eps: number): tf.Tensor3D {
  const [B, L, D] = x.shape;
  const n = layerNorm2d(x.reshape([B * L, D]), v.lnG.read() as tf.Tensor1D, v.lnB.read() as tf.Tensor1D, eps).reshape([B, L, D]) as tf.Tensor3D;
  return selfAttention(n, heads, v.qkvW.read() as tf.Tensor2D, v.qkvB.read() as tf.Tensor1D, v.projW.read() as tf.Tensor2D, v.projB.read() as tf.Tensor1D);
}

/** x + MLP(LN(x)) on rows [R, D]. */
function mlpResidual(x: tf.Tensor2D, v: MlpVars, eps: number): tf.Tensor2D {
  const n = layerNorm2d(x, v.lnG.read() as tf.Tensor1D, v.lnB.read() as tf.Tensor1D, eps);
  const h = gelu(linear(n, v.w1.read() as tf.Tensor2D, v.b1.read() as tf.Tensor1D));
  return x.add(linear(h, v.w2.read() as tf.Tensor2D, v.b2.read() as tf.Tensor1D));
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
    const s = singleShape(inputShape);
    const c = s[4] as number;
    const p = this.patchSize;
    this.kernel = this.addWeight('kernel', [p, p, this.tubeletFrames * c, this.dim], 'float32', tf.initializers.glorotUniform({}));
    this.bias = this.addWeight('bias', [this.dim], 'float32', tf.initializers.zeros());
    this.built = true;
  }
  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, t, h, w] = singleShape(inputShape) as number[];
    const p = this.patchSize;
    return [n ?? null, Math.floor(t / this.tubeletFrames), Math.floor(h / p) * Math.floor(w / p), this.dim];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      // Frames arrive in [0, 1]; centre them to [−1, 1] first, as scenic's ViViT input pipeline
      // does (zero_centering). Uncentred pixels make the embedding's gradients add up coherently
      // over all patches, and a plain gradient step overshoots.
      const x = single(inputs).mul(2).sub(1);
      const [n, t, h, w, c] = x.shape;
      const tt = this.tubeletFrames;
      const p = this.patchSize;
      if (t % tt !== 0) throw new Error(`PatchEmbed: ${t} frames do not split into tubelets of ${tt} frames.`);
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
    return { ...super.getConfig(), patchSize: this.patchSize, tubeletFrames: this.tubeletFrames, dim: this.dim };
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
    const s = singleShape(inputShape) as number[];
    const d = s[s.length - 1];
    const k = this.classToken ? 1 : 0;
    if (this.classToken) this.cls = this.addWeight('cls_token', [1, d], 'float32', clsInit());
    if (this.mode === 'sequence') {
      this.pos = this.addWeight('pos_embed', [k + s[1], d], 'float32', tokenInit());
    } else {
      this.pos = this.addWeight('pos_embed', [k + s[2], d], 'float32', tokenInit());
      if (this.mode === 'spacetime') this.time = this.addWeight('time_embed', [s[1], d], 'float32', tokenInit());
    }
    this.built = true;
  }
  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(inputShape) as number[];
    const k = this.classToken ? 1 : 0;
    if (this.mode === 'sequence') return [s[0] ?? null, k + s[1], s[2]];
    if (this.mode === 'frames') return [s[0] ?? null, s[1], k + s[2], s[3]];
    return [s[0] ?? null, k + s[1] * s[2], s[3]];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const pos = this.pos.read() as tf.Tensor2D;
      const d = x.shape[x.shape.length - 1];
      const k = this.classToken ? 1 : 0;
      // The class token plus its position embedding: [1, D] (null without a class token).
      const clsPos = this.cls ? (this.cls.read() as tf.Tensor2D).add(pos.slice([0, 0], [1, d])) : null;
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
 * Pre-norm transformer block: x + MHSA(LN(x)); x + MLP(LN(x)).
 * [N, L, D] attends over all L tokens (joint space-time / temporal encoder);
 * [N, S, L, D] attends within each of the S groups (per-frame spatial encoder).
 */
export class EncoderBlock extends tf.layers.Layer {
  static className = 'ClipscopeEncoderBlock';
  readonly heads: number;
  readonly mlpDim: number;
  readonly eps: number;
  private attn!: AttnVars;
  private mlp!: MlpVars;
  constructor(args: EncoderBlockArgs) {
    super(args);
    this.heads = args.heads;
    this.mlpDim = args.mlpDim;
    this.eps = args.eps;
  }
  build(inputShape: Shape | Shape[]): void {
    const s = singleShape(inputShape);
    const d = s[s.length - 1] as number;
    if (d % this.heads !== 0) throw new Error(`EncoderBlock: dim ${d} is not divisible by ${this.heads} heads.`);
    const add: AddWeight = (name, shape, init) => this.addWeight(name, shape, 'float32', init);
    this.attn = addAttnVars(add, 'attn', d);
    this.mlp = addMlpVars(add, d, this.mlpDim);
    this.built = true;
  }
  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(inputShape);
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const shape = x.shape;
      const d = shape[shape.length - 1];
      const l = shape[shape.length - 2];
      const b = x.size / (l * d);
      // [N, (S,) L, D] → [N·S, L, D]
      const x3 = x.reshape([b, l, d]) as tf.Tensor3D;
      const y = x3.add(attnBranch(x3, this.heads, this.attn, this.eps)) as tf.Tensor3D;
      return mlpResidual(y.reshape([b * l, d]), this.mlp, this.eps).reshape(shape);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, mlpDim: this.mlpDim, eps: this.eps };
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
export class DividedBlock extends tf.layers.Layer {
  static className = 'ClipscopeDividedBlock';
  readonly heads: number;
  readonly mlpDim: number;
  readonly eps: number;
  readonly numFrames: number;
  readonly classToken: boolean;
  private tAttn!: AttnVars;
  private tFcW!: tf.LayerVariable;
  private tFcB!: tf.LayerVariable;
  private sAttn!: AttnVars;
  private mlp!: MlpVars;
  constructor(args: DividedBlockArgs) {
    super(args);
    this.heads = args.heads;
    this.mlpDim = args.mlpDim;
    this.eps = args.eps;
    this.numFrames = args.numFrames;
    this.classToken = args.classToken ?? true;
  }
  build(inputShape: Shape | Shape[]): void {
    const s = singleShape(inputShape);
    const d = s[s.length - 1] as number;
    if (d % this.heads !== 0) throw new Error(`DividedBlock: dim ${d} is not divisible by ${this.heads} heads.`);
    const add: AddWeight = (name, shape, init) => this.addWeight(name, shape, 'float32', init);
    this.tAttn = addAttnVars(add, 'temporal', d);
    this.tFcW = this.addWeight('temporal_fc_kernel', [d, d], 'float32', linearInit());
    this.tFcB = this.addWeight('temporal_fc_bias', [d], 'float32', tf.initializers.zeros());
    this.sAttn = addAttnVars(add, 'spatial', d);
    this.mlp = addMlpVars(add, d, this.mlpDim);
    this.built = true;
  }
  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(inputShape);
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor3D;
      const [n, len, d] = x.shape;
      const t = this.numFrames;
      const k = this.classToken ? 1 : 0;
      const p = (len - k) / t;
      if (!Number.isInteger(p)) throw new Error(`DividedBlock: ${len - k} tokens do not split into ${t} frames.`);
      const cls = k ? x.slice([0, 0, 0], [n, 1, d]) : null; // [N, 1, D]
      const tokens = k ? x.slice([0, 1, 0], [n, t * p, d]) : x; // [N, T·P, D]

      // Temporal: [N, T·P, D] → [N, T, P, D] → [N, P, T, D] → [N·P, T, D]
      const xt = tokens.reshape([n, t, p, d]).transpose([0, 2, 1, 3]).reshape([n * p, t, d]) as tf.Tensor3D;
      const resT = attnBranch(xt, this.heads, this.tAttn, this.eps);
      // [N·P, T, D] → [N, P, T, D] → [N, T, P, D] → [N·T·P, D]
      const resTRows = resT.reshape([n, p, t, d]).transpose([0, 2, 1, 3]).reshape([n * t * p, d]) as tf.Tensor2D;
      const resTfc = linear(resTRows, this.tFcW.read() as tf.Tensor2D, this.tFcB.read() as tf.Tensor1D);
      const xtOut = tokens.add(resTfc.reshape([n, t * p, d])); // [N, T·P, D]

      // Spatial: within each frame; the class token joins every frame. [N, T·P, D] → [N·T, P, D]
      const frames = xtOut.reshape([n * t, p, d]);
      let y: tf.Tensor;
      if (cls) {
        const clsPerFrame = tf.broadcastTo(cls, [n, t, d]).reshape([n * t, 1, d]); // [N, 1, D] → [N·T, 1, D]
        const xs = tf.concat([clsPerFrame, frames], 1) as tf.Tensor3D; // [N·T, 1+P, D]
        const resS = attnBranch(xs, this.heads, this.sAttn, this.eps); // [N·T, 1+P, D]
        const resCls = resS.slice([0, 0, 0], [n * t, 1, d]).reshape([n, t, d]).mean(1, true); // [N, 1, D]: mean over frames
        const resPatches = resS.slice([0, 1, 0], [n * t, p, d]).reshape([n, t * p, d]);
        y = tf.concat([cls, xtOut], 1).add(tf.concat([resCls, resPatches], 1)); // [N, 1+T·P, D]
      } else {
        y = xtOut.add(attnBranch(frames as tf.Tensor3D, this.heads, this.sAttn, this.eps).reshape([n, t * p, d])); // [N, T·P, D]
      }

      return mlpResidual(y.reshape([n * len, d]) as tf.Tensor2D, this.mlp, this.eps).reshape([n, len, d]);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, mlpDim: this.mlpDim, eps: this.eps, numFrames: this.numFrames, classToken: this.classToken };
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
    const s = singleShape(inputShape);
    const d = s[s.length - 1] as number;
    this.gamma = this.addWeight('gamma', [d], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [d], 'float32', tf.initializers.zeros());
    this.built = true;
  }
  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(inputShape);
    return [...s.slice(0, -2), s[s.length - 1]];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const shape = x.shape;
      const d = shape[shape.length - 1];
      const l = shape[shape.length - 2];
      const b = x.size / (l * d);
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
        y = layerNorm2d(x.reshape([b * l, d]) as tf.Tensor2D, gamma, beta, this.eps).reshape([b, l, d]).mean(1) as tf.Tensor2D;
      }
      return y.reshape([...shape.slice(0, -2), d]);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), eps: this.eps, pool: this.pool };
  }
}

for (const cls of [PatchEmbed, TokenEmbed, EncoderBlock, DividedBlock, NormPool]) tf.serialization.registerClass(cls);
