// The maths of the transformer blocks (attention-layers.ts) as pure tensor functions, and the
// variable bundles the blocks create: LayerNorm, linear, exact GELU, multi-head self-attention.
// Everything is matMul / softmax / reshape / transpose on tensors of rank ≤ 4 (no einsum: it has
// no gradient in tfjs; no rank-5 pad, slice gradients or [C]-bias broadcasts: they are silently
// wrong on WebGPU in tfjs 4.22, shared/TFJS-NOTES.md). Bias adds are done on rank-2 [rows, D].

import * as tf from '@tensorflow/tfjs';

/** `Layer.addWeight` is protected: layers hand this closure to the variable-bundle helpers. */
export type AddWeight = (
  name: string,
  shape: number[],
  init: ReturnType<typeof tf.initializers.ones>,
) => tf.LayerVariable;

// Linear layers start as in TimeSformer / timm's ViT: truncated normal, std 0.02, zero bias. Small
// weights keep each block near the identity, so plain SGD at ordinary rates does not overshoot.
export const linearInit = () => tf.initializers.truncatedNormal({ stddev: 0.02 });

// ───────────────────────────── maths helpers (pure tensor functions) ─────────────────────────────

/** LayerNorm over the last axis of a rank-2 [rows, D] tensor. */
export function layerNorm2d(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  eps: number,
): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return x
    .sub(mean)
    .mul(tf.rsqrt(variance.add(eps)))
    .mul(gamma)
    .add(beta);
}

/** Dense on a rank-2 tensor: [rows, Din] · [Din, Dout] + [Dout]. */
export const linear = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D =>
  tf.matMul(x, w).add(b);

/** Exact GELU (PyTorch's nn.GELU default): x·Φ(x) = ½x(1 + erf(x/√2)). */
const gelu = (x: tf.Tensor2D): tf.Tensor2D => x.mul(tf.erf(x.mul(Math.SQRT1_2)).add(1)).mul(0.5);

/**
 * Multi-head self-attention over independent sequences.
 * x: [B, L, D] (already normalised) → [B, L, D]. q·kᵀ/√dh, softmax over keys, ·v, output proj.
 */
function selfAttention(
  x: tf.Tensor3D,
  heads: number,
  qkvW: tf.Tensor2D,
  qkvB: tf.Tensor1D,
  projW: tf.Tensor2D,
  projB: tf.Tensor1D,
): tf.Tensor3D {
  const [B, L, D] = x.shape;
  const dh = D / heads;
  const qkv = linear(x.reshape([B * L, D]), qkvW, qkvB); // [B·L, 3D]
  const [q, k, v] = tf.split(qkv, 3, 1); // 3 × [B·L, D]
  // [B·L, D] → [B, L, H, dh] → [B, H, L, dh] → [B·H, L, dh]
  const toHeads = (t: tf.Tensor2D): tf.Tensor3D =>
    t
      .reshape([B, L, heads, dh])
      .transpose([0, 2, 1, 3])
      .reshape([B * heads, L, dh]);
  const scores = tf
    .matMul(toHeads(q as tf.Tensor2D), toHeads(k as tf.Tensor2D), false, true)
    .mul(1 / Math.sqrt(dh)); // [B·H, L, L]
  const attn = tf.softmax(scores, -1);
  const out = tf.matMul(attn, toHeads(v as tf.Tensor2D)); // [B·H, L, dh]
  // [B·H, L, dh] → [B, H, L, dh] → [B, L, H, dh] → [B·L, D]
  const merged = out
    .reshape([B, heads, L, dh])
    .transpose([0, 2, 1, 3])
    .reshape([B * L, D]) as tf.Tensor2D;
  return linear(merged, projW, projB).reshape([B, L, D]);
}

// A bundle of variables for LN + MHSA, created in `build`.
export interface AttnVars {
  lnG: tf.LayerVariable;
  lnB: tf.LayerVariable;
  qkvW: tf.LayerVariable;
  qkvB: tf.LayerVariable;
  projW: tf.LayerVariable;
  projB: tf.LayerVariable;
}
export interface MlpVars {
  lnG: tf.LayerVariable;
  lnB: tf.LayerVariable;
  w1: tf.LayerVariable;
  b1: tf.LayerVariable;
  w2: tf.LayerVariable;
  b2: tf.LayerVariable;
}

export function addAttnVars(add: AddWeight, prefix: string, d: number): AttnVars {
  return {
    lnG: add(`${prefix}_ln_gamma`, [d], tf.initializers.ones()),
    lnB: add(`${prefix}_ln_beta`, [d], tf.initializers.zeros()),
    qkvW: add(`${prefix}_qkv_kernel`, [d, 3 * d], linearInit()),
    qkvB: add(`${prefix}_qkv_bias`, [3 * d], tf.initializers.zeros()),
    projW: add(`${prefix}_proj_kernel`, [d, d], linearInit()),
    projB: add(`${prefix}_proj_bias`, [d], tf.initializers.zeros()),
  };
}
export function addMlpVars(add: AddWeight, d: number, m: number): MlpVars {
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
export function attnBranch(x: tf.Tensor3D, heads: number, v: AttnVars, eps: number): tf.Tensor3D {
  const [B, L, D] = x.shape;
  const n = layerNorm2d(
    x.reshape([B * L, D]),
    v.lnG.read() as tf.Tensor1D,
    v.lnB.read() as tf.Tensor1D,
    eps,
  ).reshape([B, L, D]) as tf.Tensor3D;
  return selfAttention(
    n,
    heads,
    v.qkvW.read() as tf.Tensor2D,
    v.qkvB.read() as tf.Tensor1D,
    v.projW.read() as tf.Tensor2D,
    v.projB.read() as tf.Tensor1D,
  );
}

/** x + MLP(LN(x)) on rows [R, D]. */
export function mlpResidual(x: tf.Tensor2D, v: MlpVars, eps: number): tf.Tensor2D {
  const n = layerNorm2d(x, v.lnG.read() as tf.Tensor1D, v.lnB.read() as tf.Tensor1D, eps);
  const h = gelu(linear(n, v.w1.read() as tf.Tensor2D, v.b1.read() as tf.Tensor1D));
  return x.add(linear(h, v.w2.read() as tf.Tensor2D, v.b2.read() as tf.Tensor1D));
}
