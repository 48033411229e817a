// The one vocabulary every model family is written in. A family composes these operations ONCE,
// generically over `X`, and two implementations run that code:
//   LayersNet   (layers-net.ts)    X = tf.SymbolicTensor: applies tf.layers, so model.countParams() works;
//   DescribeNet (describe-net.ts)  X = number[], a shape without N: threads shapes and appends one
//                                  LayerRow per parameterised or shape-changing layer, allocating nothing.
// A model's description and its built layers therefore cannot disagree.
//
// Shapes exclude the batch axis N. A per-frame trunk folds T into the batch ([N, T, H, W, C] →
// [N·T, H, W, C]); DescribeNet keeps that T as a leading axis ([T, H, W, C]) so the MACs count
// every frame. 2D operations therefore read the last three axes as [H, W, C]; 3D operations take
// exactly [T, H, W, C]. Where an operation could mean either (global pooling, flatten), the caller
// says which with `dims` and LayersNet checks it against the tensor's rank.
//
// Describe-only fields (`temporal`, `note`) only label rows; they never change the built model.
// No tfjs here: presets and the page may import these types.

import type { ClipSpec, InputKind } from '../types';

export type Triple = readonly [number, number, number];
export type Activation = 'relu' | 'softmax' | 'linear';

export interface ConvSpec {
  name: string;
  filters: number;
  /** k: a k×k 2D conv on [..., H, W, C]; [k_t, k_h, k_w]: a 3D conv on [T, H, W, C]. */
  kernel: number | Triple;
  stride?: number | Triple; // default 1
  /** 'same' (TF), 'valid', or p: symmetric zero padding, PyTorch style (2D only: a rank-5 pad is
   *  silently wrong on WebGPU, and 'same' gives PyTorch's k//2 sizes for every odd 3D kernel here). */
  pad?: 'same' | 'valid' | number; // default 'same'
  bias?: boolean; // default true
  /** Describe only: does this conv mix time? Default: a 3D kernel with k_t > 1, or a 2D conv on time stacked in channels. */
  temporal?: boolean;
  note?: string;
}

export interface PoolSpec {
  name: string;
  kind: 'max' | 'avg';
  /** p: a p×p 2D window; [p_t, p_h, p_w]: a 3D window. */
  size: number | Triple;
  stride?: number | Triple; // default = size
  /** 'valid', 'same', or p: zero padding (2D; exact for max pooling after a ReLU, whose input is ≥ 0). */
  pad?: 'same' | 'valid' | number; // default 'valid'
}

/** Describe-only labels for a parameter-free join or reshape. */
export interface RowLabel {
  temporal?: boolean;
  note?: string;
}

export interface RnnSpec {
  name: string;
  cell: 'lstm' | 'gru';
  units: number; // U
  /** true: every step's state [T, U]; false: the last state [U]. */
  returnSequences: boolean;
}

export interface PickFramesSpec {
  name: string;
  numFrames: number; // T the model is built for
  /** At inference, pass every frame as its own row ([N·T, H, W, C]) for AverageFrameScores. */
  averageAtInference: boolean;
}

export interface AttentionBlockSpec {
  name: string;
  heads: number;
  mlpDim: number;
  eps: number; // LayerNorm ε
  /** Describe only: do this block's sequences run along time? */
  temporal: boolean;
}

export interface DividedBlockSpec extends Omit<AttentionBlockSpec, 'temporal'> {
  numFrames: number; // T'
  classToken: boolean;
}

export interface TokenEmbedSpec {
  name: string;
  /** 'spacetime': [T, P, D] → [(1 +) T·P, D] with space and time embeddings (TimeSformer);
   *  'frames': [T, P, D] → [T, (1 +) P, D], a class token per frame (ViViT spatial encoder);
   *  'sequence': [T, D] → [(1 +) T, D], position embeddings over time (ViViT temporal encoder). */
  mode: 'spacetime' | 'frames' | 'sequence';
  classToken: boolean;
}

/** What a block may do to a tensor: a symbolic tensor (build) or a shape (describe). */
export interface Net<X> {
  /** Shape without N. DescribeNet also keeps axes folded into the batch (see the header), so
   *  blocks read shapes from the end: `.at(-1)` is C. */
  shape(x: X): number[];

  // ── convolutional ──
  conv(x: X, o: ConvSpec): X;
  /** Batch norm over the channels; `zeroGamma` starts its scale at 0 (a residual branch's last BN). */
  batchNorm(x: X, name: string, o?: { zeroGamma?: boolean }): X;
  relu(x: X, name: string): X;
  pool(x: X, o: PoolSpec): X;
  /** Mean over H×W (dims 2: [..., H, W, C] → [..., C]) or T×H×W (dims 3: [T, H, W, C] → [C]). */
  globalAvgPool(x: X, name: string, dims: 2 | 3): X;
  /** [..., H, W, C] → [..., H·W·C] (dims 2) or [T, H, W, C] → [T·H·W·C] (dims 3). */
  flatten(x: X, name: string, dims: 2 | 3): X;

  // ── joins, dense ──
  add(a: X, b: X, name: string): X;
  /** Channels side by side: all axes but the last must match. */
  concat(xs: X[], name: string, o?: RowLabel): X;
  /** Element-wise mean of equal shapes (e.g. two streams' class scores). */
  average(xs: X[], name: string, o?: RowLabel): X;
  dense(x: X, units: number, name: string, activation?: Activation): X;
  dropout(x: X, rate: number, name: string): X;

  // ── time ──
  /** [T, H, W, C] → every frame its own batch row: [N·T, H, W, C]. */
  foldTime(x: X, name: string): X;
  /** Back from the batch: [N·T, ...F] → [N, T, ...F]. */
  unfoldTime(x: X, numFrames: number, name: string): X;
  /** [T, H, W, C] → [H, W, T·C]: step t's channels land at t·C … t·C + C − 1. */
  stackTimeInChannels(x: X, name: string, o?: { note?: string }): X;
  /** [T, H, W, C] → the middle frame [H, W, C] (see PickFramesSpec for inference). */
  pickFrames(x: X, o: PickFramesSpec): X;
  /** Pairs with pickFrames: [N·T, K] → mean over T → [N, K] when every frame was scored. */
  averageFrameScores(x: X, o: PickFramesSpec): X;
  /** Frames by index: [T, H, W, C] → [K, H, W, C]. */
  gatherTime(x: X, name: string, indices: readonly number[], o?: { note?: string }): X;
  /** Mean or max over the steps of a sequence: [T, F] → [F] (order-blind). */
  temporalPool(x: X, name: string, kind: 'mean' | 'max', o?: { note?: string }): X;
  /** An LSTM or GRU over [T, F] → [U] or [T, U]. */
  rnn(x: X, o: RnnSpec): X;

  // ── attention (attention-layers.ts) ──
  /** Tubelets [T, H, W, C] → tokens [T/tt, (H/p)·(W/p), D]: a conv with kernel = stride = [tt, p, p]. */
  patchEmbed(x: X, o: { name: string; patchSize: number; tubeletFrames: number; dim: number }): X;
  tokenEmbed(x: X, o: TokenEmbedSpec): X;
  /** Pre-norm block, x + MHSA(LN(x)), x + MLP(LN(x)), over the last-but-one axis: [..., L, D]. */
  encoderBlock(x: X, o: AttentionBlockSpec): X;
  /** TimeSformer's divided space-time block on [(1 +) T·P, D]. */
  dividedBlock(x: X, o: DividedBlockSpec): X;
  /** Final LayerNorm, then the class token or the mean of the tokens: [..., L, D] → [..., D]. */
  normPool(x: X, o: { name: string; eps: number; pool: 'cls' | 'mean' }): X;
}

/** One input of a model: its kind, its tfjs name and its shape without N. */
export interface NetInput {
  kind: InputKind;
  name: string;
  shape: number[];
}

/** A whole model written once: its inputs and the body that maps them to class scores. */
export interface NetSpec {
  inputs: NetInput[];
  body: <X>(net: Net<X>, xs: X[]) => X;
}

/** The clip input every family takes: sampled RGB frames [T, H, W, C]. */
export const framesInput = (clip: ClipSpec): NetInput => ({
  kind: 'frames',
  name: 'frames',
  shape: [clip.numFrames, clip.height, clip.width, clip.channels],
});

export const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** The kernel, stride or window of a 2D (k → [k, k]) or 3D spec, per spatial(-temporal) axis. */
export const perAxis = (v: number | Triple, dims: number): number[] =>
  typeof v === 'number' ? Array<number>(dims).fill(v) : [...v];
