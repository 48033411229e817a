// The third interpreter of `Net` (models/blocks/net.ts), beside LayersNet (builds tf.layers) and
// DescribeNet (rows): TorchNet runs a family's NetSpec once and writes PyTorch — the modules of
// `__init__`, the lines of `forward`, and for every PyTorch parameter or buffer the tfjs weight it
// comes from and how its layout changes. Names match by construction: a layer the family calls
// `layer1.0.conv1` is the module at that dotted path in model.py (model-py.ts), so its state_dict
// keys are `layer1.0.conv1.weight`, ….
//
// Layouts. X is a Python expression's variable plus the tfjs shape it stands for (LayersNet's
// view: without N, time folded into the batch where the family folds it). tfjs is channels-last;
// PyTorch keeps images channels-first, so a tfjs [N, H, W, C] is a torch [N, C, H, W] and a tfjs
// [N, T, H, W, C] is a torch [N, C, T, H, W] (`cf`); every other tensor (vectors [N, F],
// sequences [N, T, F], tokens [N, (S,) L, D]) has the same layout on both sides. Where tfjs's
// order matters (flatten, stacking time in channels, folding time into the batch) the forward
// permutes first, so every element lands where tfjs puts it.
//
// Padding. tfjs 'same' pads (k − s)-ish zeros, the extra one after, exactly as TF; PyTorch pads
// symmetrically. Each conv and pool therefore gets its padding computed here from the static
// shape: symmetric pads go to the module, lopsided ones become an explicit F.pad (−∞ for max
// pooling, which TF's 'same' max pool ignores; average pooling divides by the cells inside).
//
// Nothing here touches tfjs: weights are read later (weights.ts) through the recorded sources.

import { BN_ARGS } from '../models/blocks/layers-net';
import type * as ops from '../models/blocks/net';
import { perAxis, prod } from '../models/blocks/net';
import { middleFrameIdx } from '../models/blocks/time-layers';

/** BatchNorm as LayersNet builds it: ε, and Keras momentum 0.9 = PyTorch momentum 0.1. */
const BN_EPSILON = BN_ARGS.epsilon;
const BN_MOMENTUM_TORCH = Number((1 - BN_ARGS.momentum).toFixed(6));

/** A Python tensor variable and the tfjs shape (without N) it stands for. */
export interface TorchX {
  v: string;
  shape: number[];
  /** Channels-first in torch: a tfjs rank-4 image or rank-5 clip. */
  cf: boolean;
}

/** How a tfjs weight array becomes the PyTorch tensor. */
export type Layout =
  | { kind: 'copy' }
  /** Reshape the tfjs array to `from`, then permute its axes by `perm`. */
  | { kind: 'permute'; from: number[]; perm: number[] }
  /** An RNN matrix [F, G·U] (or bias [G·U]): gates reordered by `order`, matrices transposed to [G·U, F]. */
  | { kind: 'gates'; gates: number; order: number[]; transpose: boolean };

/** One entry of PyTorch's state_dict and the tfjs weight it comes from. */
export interface TorchTensorSource {
  key: string;
  /** PyTorch shape. */
  shape: number[];
  /** 'param': a trainable nn.Parameter; 'buffer': BN running statistics; 'counter': num_batches_tracked (int64, 0). */
  role: 'param' | 'buffer' | 'counter';
  /** The tfjs layer name and the weight's own name inside it (e.g. 'kernel', 'moving_mean'); none for counters. */
  tf?: { layer: string; weight: string; shape: number[]; layout: Layout };
}

/** The model cannot be written in PyTorch by this exporter (a clear, specific reason). */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/** The helper modules of model.py a model uses (model-py.ts writes only these). */
export type Helper = 'LSTMLayer' | 'GRULayer' | 'TokenEmbed' | 'EncoderBlock' | 'DividedBlock' | 'NormPool' | 'Attention' | 'Mlp';

const tup = (xs: readonly number[]): string => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);
const pyInt = (xs: readonly number[]): string => (xs.every((x) => x === xs[0]) ? String(xs[0]) : tup(xs));

/**
 * tfjs's 'same' padding of one axis: [before, after]. 2D ops clamp the total at 0, as TF does;
 * tfjs 4.22's 3D ops (get3DPadAndOutInfo) do not: a kernel smaller than its stride (a 1×1×1
 * stride-2 downsample) gets a NEGATIVE front pad of −1, so it reads positions 1, 3, 5, … instead
 * of 0, 2, 4, …. The export reproduces what tfjs computes (a negative F.pad crops).
 */
export function samePads(len: number, k: number, s: number, dims: 2 | 3): [number, number] {
  const out = Math.ceil(len / s);
  const raw = (out - 1) * s + k - len;
  const total = dims === 2 ? Math.max(0, raw) : raw;
  const before = Math.floor(total / 2);
  return [before, total - before];
}

const outLen = (len: number, k: number, s: number, before: number, after: number): number => Math.floor((len + before + after - k) / s) + 1;

export class TorchNet implements ops.Net<TorchX> {
  /** `self.put("<path>", <module>)` constructor expressions, in order. */
  readonly modules: { path: string; ctor: string }[] = [];
  readonly forward: string[] = [];
  readonly tensors: TorchTensorSource[] = [];
  readonly helpers = new Set<Helper>();
  private n = 0;

  private fresh(shape: number[], cf: boolean, expr: string, comment = ''): TorchX {
    const v = `x${++this.n}`;
    const x = { v, shape, cf };
    this.forward.push(`${v} = ${expr}  # ${torchShape(x)}${comment ? ` ${comment}` : ''}`);
    return x;
  }

  private put(path: string, ctor: string): void {
    if (this.modules.some((m) => m.path === path)) throw new ExportError(`Two layers are named "${path}"; PyTorch needs one module per name.`);
    this.modules.push({ path, ctor });
  }

  private weight(key: string, shape: number[], layer: string, weight: string, tfShape: number[], layout: Layout, role: 'param' | 'buffer' = 'param'): void {
    this.tensors.push({ key, shape, role, tf: { layer, weight, shape: tfShape, layout } });
  }

  private needImage(x: TorchX, rank: 4 | 5, name: string, what: string): void {
    if (!x.cf || x.shape.length + 1 !== rank)
      throw new ExportError(`${name}: the exporter writes ${what} on ${rank === 4 ? '[N, H, W, C] frames' : '[N, T, H, W, C] clips'}, got a tfjs [N, ${x.shape.join(', ')}] tensor.`);
  }

  private needPlain(x: TorchX, name: string, what: string): void {
    if (x.cf) throw new ExportError(`${name}: the exporter cannot write ${what} on an image tensor [N, ${x.shape.join(', ')}] (flatten or pool it first).`);
  }

  shape(x: TorchX): number[] {
    return x.shape;
  }

  conv(x: TorchX, o: ops.ConvSpec): TorchX {
    const dims = typeof o.kernel === 'number' ? 2 : 3;
    this.needImage(x, dims === 2 ? 4 : 5, o.name, `a ${dims}D conv`);
    const k = perAxis(o.kernel, dims);
    const s = perAxis(o.stride ?? 1, dims);
    const spatial = x.shape.slice(0, dims);
    const cin = x.shape[dims];
    const pad = o.pad ?? 'same';
    const pads = spatial.map((len, i): [number, number] => (pad === 'same' ? samePads(len, k[i], s[i], dims) : pad === 'valid' ? [0, 0] : [pad, pad]));
    const out = spatial.map((len, i) => outLen(len, k[i], s[i], ...pads[i]));
    if (out.some((d) => !(d >= 1))) throw new ExportError(`${o.name}: input [${x.shape.join(', ')}] is too small for this conv.`);
    const symmetric = pads.every(([a, b]) => a === b && a >= 0);
    const bias = o.bias ?? true;
    const cls = dims === 2 ? 'nn.Conv2d' : 'nn.Conv3d';
    const padArg = symmetric && pads.some(([a]) => a > 0) ? `, padding=${pyInt(pads.map(([a]) => a))}` : '';
    const strideArg = s.some((v) => v !== 1) ? `, stride=${pyInt(s)}` : '';
    this.put(o.name, `${cls}(${cin}, ${o.filters}, ${pyInt(k)}${strideArg}${padArg}${bias ? '' : ', bias=False'})`);
    const tfKernel = [...k, cin, o.filters];
    this.weight(`${o.name}.weight`, [o.filters, cin, ...k], o.name, 'kernel', tfKernel, { kind: 'permute', from: tfKernel, perm: dims === 2 ? [3, 2, 0, 1] : [4, 3, 0, 1, 2] });
    if (bias) this.weight(`${o.name}.bias`, [o.filters], o.name, 'bias', [o.filters], { kind: 'copy' });
    const input = symmetric ? x.v : `F.pad(${x.v}, ${torchPads(pads)})`;
    return this.fresh([...out, o.filters], true, `self["${o.name}"](${input})`);
  }

  batchNorm(x: TorchX, name: string): TorchX {
    const rank = x.shape.length + 1;
    if (x.cf ? rank !== 4 && rank !== 5 : rank !== 2) throw new ExportError(`${name}: the exporter writes batch norm on frames, clips or vectors, got a tfjs [N, ${x.shape.join(', ')}] tensor.`);
    const c = x.shape.at(-1) as number;
    const cls = rank === 4 ? 'nn.BatchNorm2d' : rank === 5 ? 'nn.BatchNorm3d' : 'nn.BatchNorm1d';
    this.put(name, `${cls}(${c}, eps=${BN_EPSILON}, momentum=${BN_MOMENTUM_TORCH})`);
    const copy = { kind: 'copy' } as const;
    this.weight(`${name}.weight`, [c], name, 'gamma', [c], copy);
    this.weight(`${name}.bias`, [c], name, 'beta', [c], copy);
    this.weight(`${name}.running_mean`, [c], name, 'moving_mean', [c], copy, 'buffer');
    this.weight(`${name}.running_var`, [c], name, 'moving_variance', [c], copy, 'buffer');
    this.tensors.push({ key: `${name}.num_batches_tracked`, shape: [], role: 'counter' });
    return this.fresh(x.shape, x.cf, `self["${name}"](${x.v})`);
  }

  relu(x: TorchX): TorchX {
    return this.fresh(x.shape, x.cf, `F.relu(${x.v})`);
  }

  pool(x: TorchX, o: ops.PoolSpec): TorchX {
    const dims = typeof o.size === 'number' ? 2 : 3;
    this.needImage(x, dims === 2 ? 4 : 5, o.name, `a ${dims}D pool`);
    const k = perAxis(o.size, dims);
    const s = perAxis(o.stride ?? o.size, dims);
    const spatial = x.shape.slice(0, dims);
    const pad = o.pad ?? 'valid';
    const pads = spatial.map((len, i): [number, number] => (pad === 'same' ? samePads(len, k[i], s[i], dims) : pad === 'valid' ? [0, 0] : [pad, pad]));
    const out = spatial.map((len, i) => outLen(len, k[i], s[i], ...pads[i]));
    if (out.some((d) => !(d >= 1))) throw new ExportError(`${o.name}: input [${x.shape.join(', ')}] is too small for this pool.`);
    const fn = `F.${o.kind}_pool${dims}d`;
    const args = `${pyInt(k)}, ${pyInt(s)}`;
    const padded = pads.some(([a, b]) => a !== 0 || b !== 0);
    let expr: string;
    if (!padded) expr = `${fn}(${x.v}, ${args})`;
    else if (typeof pad === 'number') expr = `${fn}(F.pad(${x.v}, ${torchPads(pads)}), ${args})`; // tfjs zero-pads, then pools 'valid'
    else if (o.kind === 'max') expr = `${fn}(F.pad(${x.v}, ${torchPads(pads)}, value=float("-inf")), ${args})`;
    else {
      // TF 'same' average pooling divides by the cells inside the frame: sum / count.
      const ones = `torch.ones_like(${x.v}[:, :1])`;
      expr = `${fn}(F.pad(${x.v}, ${torchPads(pads)}), ${args}, divisor_override=1) / ${fn}(F.pad(${ones}, ${torchPads(pads)}), ${args}, divisor_override=1)`;
    }
    return this.fresh([...out, x.shape[dims]], true, expr, `${o.name}`);
  }

  globalAvgPool(x: TorchX, name: string, dims: 2 | 3): TorchX {
    this.needImage(x, dims === 2 ? 4 : 5, name, `a global ${dims}D pool`);
    return this.fresh([x.shape[dims]], false, `${x.v}.mean(${dims === 2 ? '(2, 3)' : '(2, 3, 4)'})`, name);
  }

  flatten(x: TorchX, name: string, dims: 2 | 3): TorchX {
    this.needImage(x, dims === 2 ? 4 : 5, name, `a ${dims}D flatten`);
    // tfjs flattens channels-last: move C to the end first.
    const perm = dims === 2 ? '0, 2, 3, 1' : '0, 2, 3, 4, 1';
    return this.fresh([prod(x.shape)], false, `${x.v}.permute(${perm}).flatten(1)`, `${name} (channels-last order, as tfjs)`);
  }

  add(a: TorchX, b: TorchX, name: string): TorchX {
    if (a.cf !== b.cf || a.shape.join() !== b.shape.join()) throw new ExportError(`${name}: cannot add [${a.shape.join(', ')}] and [${b.shape.join(', ')}].`);
    return this.fresh(a.shape, a.cf, `${a.v} + ${b.v}`, name);
  }

  concat(xs: TorchX[], name: string): TorchX {
    const cf = xs[0].cf;
    if (xs.some((x) => x.cf !== cf || x.shape.length !== xs[0].shape.length)) throw new ExportError(`${name}: cannot concatenate tensors of different layouts.`);
    const c = xs.reduce((a, x) => a + (x.shape.at(-1) as number), 0);
    return this.fresh([...xs[0].shape.slice(0, -1), c], cf, `torch.cat([${xs.map((x) => x.v).join(', ')}], ${cf ? 1 : -1})`, name);
  }

  average(xs: TorchX[], name: string): TorchX {
    return this.fresh(xs[0].shape, xs[0].cf, `(${xs.map((x) => x.v).join(' + ')}) / ${xs.length}`, name);
  }

  dense(x: TorchX, units: number, name: string, activation: ops.Activation = 'linear'): TorchX {
    this.needPlain(x, name, 'a dense layer');
    const f = x.shape.at(-1) as number;
    this.put(name, `nn.Linear(${f}, ${units})`);
    this.weight(`${name}.weight`, [units, f], name, 'kernel', [f, units], { kind: 'permute', from: [f, units], perm: [1, 0] });
    this.weight(`${name}.bias`, [units], name, 'bias', [units], { kind: 'copy' });
    const y = `self["${name}"](${x.v})`;
    const expr = activation === 'softmax' ? `torch.softmax(${y}, -1)` : activation === 'relu' ? `F.relu(${y})` : y;
    return this.fresh([...x.shape.slice(0, -1), units], false, expr);
  }

  dropout(x: TorchX, rate: number, name: string): TorchX {
    if (!(rate > 0)) return x;
    return this.fresh(x.shape, x.cf, `F.dropout(${x.v}, ${rate}, self.training)`, name);
  }

  foldTime(x: TorchX, name: string): TorchX {
    this.needImage(x, 5, name, 'folding time into the batch');
    const [t, h, w, c] = x.shape;
    void t;
    return this.fresh([h, w, c], true, `${x.v}.transpose(1, 2).reshape(-1, ${c}, ${h}, ${w})`, `${name}: row n·T + t is frame t of clip n`);
  }

  unfoldTime(x: TorchX, numFrames: number, name: string): TorchX {
    if (x.cf) {
      if (x.shape.length !== 3) throw new ExportError(`${name}: cannot unfold time from [N, ${x.shape.join(', ')}].`);
      const [h, w, c] = x.shape;
      return this.fresh([numFrames, h, w, c], true, `${x.v}.reshape(-1, ${numFrames}, ${c}, ${h}, ${w}).transpose(1, 2)`, name);
    }
    return this.fresh([numFrames, ...x.shape], false, `${x.v}.reshape(-1, ${numFrames}, ${x.shape.join(', ')})`, name);
  }

  stackTimeInChannels(x: TorchX, name: string): TorchX {
    this.needImage(x, 5, name, 'stacking time in channels');
    const [t, h, w, c] = x.shape;
    return this.fresh([h, w, t * c], true, `${x.v}.transpose(1, 2).reshape(-1, ${t * c}, ${h}, ${w})`, `${name}: step t's channels at t·${c} … t·${c} + ${c - 1}`);
  }

  pickFrames(x: TorchX, o: ops.PickFramesSpec): TorchX {
    this.needImage(x, 5, o.name, 'picking a frame');
    const [t, h, w, c] = x.shape;
    if (t !== o.numFrames) throw new ExportError(`${o.name}: built for ${o.numFrames} frames, got ${t}.`);
    const mid = `${x.v}[:, :, ${middleFrameIdx(t)}]`;
    const expr = o.averageAtInference ? `${mid} if self.training else ${x.v}.transpose(1, 2).reshape(-1, ${c}, ${h}, ${w})` : mid;
    return this.fresh([h, w, c], true, expr, o.averageAtInference ? `${o.name}: the middle frame in training, every frame at inference` : `${o.name}: the middle frame`);
  }

  averageFrameScores(x: TorchX, o: ops.PickFramesSpec): TorchX {
    if (!o.averageAtInference) return x;
    const k = x.shape.at(-1) as number;
    return this.fresh(x.shape, false, `${x.v} if self.training else ${x.v}.reshape(-1, ${o.numFrames}, ${k}).mean(1)`, `${o.name}: mean of the frames' scores at inference`);
  }

  gatherTime(x: TorchX, name: string, indices: readonly number[]): TorchX {
    this.needImage(x, 5, name, 'picking frames');
    return this.fresh([indices.length, ...x.shape.slice(1)], true, `${x.v}[:, :, [${indices.join(', ')}]]`, name);
  }

  temporalPool(x: TorchX, name: string, kind: 'mean' | 'max'): TorchX {
    this.needPlain(x, name, 'pooling over time');
    if (x.shape.length !== 2) throw new ExportError(`${name}: pooling over time needs [N, T, F], got [N, ${x.shape.join(', ')}].`);
    return this.fresh([x.shape[1]], false, `${x.v}.${kind === 'mean' ? 'mean' : 'amax'}(1)`, name);
  }

  rnn(x: TorchX, o: ops.RnnSpec): TorchX {
    this.needPlain(x, o.name, 'a recurrence');
    if (x.shape.length !== 2) throw new ExportError(`${o.name}: a recurrence needs [N, T, F], got [N, ${x.shape.join(', ')}].`);
    const [t, f] = x.shape;
    const u = o.units;
    const lstm = o.cell === 'lstm';
    const g = lstm ? 4 : 3;
    // tfjs gates: LSTM i, f, c, o (= PyTorch i, f, g, o); GRU z, r, h → PyTorch's r, z, n.
    const order = lstm ? [0, 1, 2, 3] : [1, 0, 2];
    this.helpers.add(lstm ? 'LSTMLayer' : 'GRULayer');
    this.put(o.name, `${lstm ? 'LSTMLayer' : 'GRULayer'}(${f}, ${u}, return_sequences=${o.returnSequences ? 'True' : 'False'})`);
    this.weight(`${o.name}.weight_ih`, [g * u, f], o.name, 'kernel', [f, g * u], { kind: 'gates', gates: g, order, transpose: true });
    this.weight(`${o.name}.weight_hh`, [g * u, u], o.name, 'recurrent_kernel', [u, g * u], { kind: 'gates', gates: g, order, transpose: true });
    this.weight(`${o.name}.bias`, [g * u], o.name, 'bias', [g * u], { kind: 'gates', gates: g, order, transpose: false });
    return this.fresh(o.returnSequences ? [t, u] : [u], false, `self["${o.name}"](${x.v})`);
  }

  patchEmbed(x: TorchX, o: { name: string; patchSize: number; tubeletFrames: number; dim: number }): TorchX {
    this.needImage(x, 5, o.name, 'a patch embedding');
    const [t, h, w, c] = x.shape;
    const [tt, p, d] = [o.tubeletFrames, o.patchSize, o.dim];
    if (t % tt !== 0) throw new ExportError(`${o.name}: ${t} frames do not split into tubelets of ${tt}.`);
    const [tp, hp, wp] = [t / tt, Math.floor(h / p), Math.floor(w / p)];
    this.put(o.name, `nn.Conv3d(${c}, ${d}, ${pyInt([tt, p, p])}, stride=${pyInt([tt, p, p])})`);
    // tfjs computes it as a conv2d on tt·C channels (frame-major): kernel [p, p, tt·C, D].
    this.weight(`${o.name}.weight`, [d, c, tt, p, p], o.name, 'kernel', [p, p, tt * c, d], { kind: 'permute', from: [p, p, tt, c, d], perm: [4, 3, 2, 0, 1] });
    this.weight(`${o.name}.bias`, [d], o.name, 'bias', [d], { kind: 'copy' });
    return this.fresh([tp, hp * wp, d], false, `self["${o.name}"](${x.v} * 2 - 1).flatten(3).permute(0, 2, 3, 1)`, `${o.name}: frames centred to [−1, 1], tokens row-major per frame`);
  }

  tokenEmbed(x: TorchX, o: ops.TokenEmbedSpec): TorchX {
    this.needPlain(x, o.name, 'token embeddings');
    const k = o.classToken ? 1 : 0;
    const d = x.shape.at(-1) as number;
    this.helpers.add('TokenEmbed');
    const cls = o.classToken ? 'True' : 'False';
    const copy = { kind: 'copy' } as const;
    if (o.classToken) this.weight(`${o.name}.cls_token`, [1, d], o.name, 'cls_token', [1, d], copy);
    let out: number[];
    if (o.mode === 'sequence') {
      const [t] = x.shape;
      this.put(o.name, `TokenEmbed("sequence", ${d}, positions=${k + t}, class_token=${cls})`);
      this.weight(`${o.name}.pos_embed`, [k + t, d], o.name, 'pos_embed', [k + t, d], copy);
      out = [k + t, d];
    } else {
      const [t, n] = x.shape;
      const time = o.mode === 'spacetime' ? `, frames=${t}` : '';
      this.put(o.name, `TokenEmbed("${o.mode}", ${d}, positions=${k + n}${time}, class_token=${cls})`);
      this.weight(`${o.name}.pos_embed`, [k + n, d], o.name, 'pos_embed', [k + n, d], copy);
      if (o.mode === 'spacetime') this.weight(`${o.name}.time_embed`, [t, d], o.name, 'time_embed', [t, d], copy);
      out = o.mode === 'frames' ? [t, k + n, d] : [k + t * n, d];
    }
    return this.fresh(out, false, `self["${o.name}"](${x.v})`);
  }

  /** LayerNorm + attention (qkv, proj) variables of a block, PyTorch names under `prefix`. */
  private attnWeights(block: string, tfPrefix: string, norm: string, attn: string, d: number): void {
    const copy = { kind: 'copy' } as const;
    this.weight(`${block}.${norm}.weight`, [d], block, `${tfPrefix}_ln_gamma`, [d], copy);
    this.weight(`${block}.${norm}.bias`, [d], block, `${tfPrefix}_ln_beta`, [d], copy);
    this.weight(`${block}.${attn}.qkv.weight`, [3 * d, d], block, `${tfPrefix}_qkv_kernel`, [d, 3 * d], { kind: 'permute', from: [d, 3 * d], perm: [1, 0] });
    this.weight(`${block}.${attn}.qkv.bias`, [3 * d], block, `${tfPrefix}_qkv_bias`, [3 * d], copy);
    this.weight(`${block}.${attn}.proj.weight`, [d, d], block, `${tfPrefix}_proj_kernel`, [d, d], { kind: 'permute', from: [d, d], perm: [1, 0] });
    this.weight(`${block}.${attn}.proj.bias`, [d], block, `${tfPrefix}_proj_bias`, [d], copy);
  }

  private mlpWeights(block: string, d: number, m: number): void {
    const copy = { kind: 'copy' } as const;
    this.weight(`${block}.norm2.weight`, [d], block, 'mlp_ln_gamma', [d], copy);
    this.weight(`${block}.norm2.bias`, [d], block, 'mlp_ln_beta', [d], copy);
    this.weight(`${block}.mlp.fc1.weight`, [m, d], block, 'fc1_kernel', [d, m], { kind: 'permute', from: [d, m], perm: [1, 0] });
    this.weight(`${block}.mlp.fc1.bias`, [m], block, 'fc1_bias', [m], copy);
    this.weight(`${block}.mlp.fc2.weight`, [d, m], block, 'fc2_kernel', [m, d], { kind: 'permute', from: [m, d], perm: [1, 0] });
    this.weight(`${block}.mlp.fc2.bias`, [d], block, 'fc2_bias', [d], copy);
  }

  encoderBlock(x: TorchX, o: ops.AttentionBlockSpec): TorchX {
    this.needPlain(x, o.name, 'an attention block');
    const d = x.shape.at(-1) as number;
    if (d % o.heads !== 0) throw new ExportError(`${o.name}: token width ${d} is not divisible by ${o.heads} heads.`);
    for (const h of ['EncoderBlock', 'Attention', 'Mlp'] as const) this.helpers.add(h);
    this.put(o.name, `EncoderBlock(${d}, heads=${o.heads}, mlp_dim=${o.mlpDim}, eps=${o.eps})`);
    this.attnWeights(o.name, 'attn', 'norm1', 'attn', d);
    this.mlpWeights(o.name, d, o.mlpDim);
    return this.fresh(x.shape, false, `self["${o.name}"](${x.v})`);
  }

  dividedBlock(x: TorchX, o: ops.DividedBlockSpec): TorchX {
    this.needPlain(x, o.name, 'an attention block');
    const d = x.shape.at(-1) as number;
    if (d % o.heads !== 0) throw new ExportError(`${o.name}: token width ${d} is not divisible by ${o.heads} heads.`);
    for (const h of ['DividedBlock', 'Attention', 'Mlp'] as const) this.helpers.add(h);
    this.put(o.name, `DividedBlock(${d}, heads=${o.heads}, mlp_dim=${o.mlpDim}, eps=${o.eps}, frames=${o.numFrames}, class_token=${o.classToken ? 'True' : 'False'})`);
    this.attnWeights(o.name, 'temporal', 'temporal_norm1', 'temporal_attn', d);
    this.weight(`${o.name}.temporal_fc.weight`, [d, d], o.name, 'temporal_fc_kernel', [d, d], { kind: 'permute', from: [d, d], perm: [1, 0] });
    this.weight(`${o.name}.temporal_fc.bias`, [d], o.name, 'temporal_fc_bias', [d], { kind: 'copy' });
    this.attnWeights(o.name, 'spatial', 'norm1', 'attn', d);
    this.mlpWeights(o.name, d, o.mlpDim);
    return this.fresh(x.shape, false, `self["${o.name}"](${x.v})`);
  }

  normPool(x: TorchX, o: { name: string; eps: number; pool: 'cls' | 'mean' }): TorchX {
    this.needPlain(x, o.name, 'a final LayerNorm');
    const d = x.shape.at(-1) as number;
    this.helpers.add('NormPool');
    this.put(o.name, `NormPool(${d}, eps=${o.eps}, pool="${o.pool}")`);
    this.weight(`${o.name}.weight`, [d], o.name, 'gamma', [d], { kind: 'copy' });
    this.weight(`${o.name}.bias`, [d], o.name, 'beta', [d], { kind: 'copy' });
    return this.fresh([...x.shape.slice(0, -2), d], false, `self["${o.name}"](${x.v})`);
  }
}

/** The torch shape of X with N, for comments: [N, C, H, W], [N, C, T, H, W] or [N, …]. */
export function torchShape(x: TorchX): string {
  const s = x.cf ? [x.shape.at(-1) as number, ...x.shape.slice(0, -1)] : x.shape;
  return `[N, ${s.join(', ')}]`;
}

/** F.pad's argument: pads of the last axis first. */
function torchPads(pads: [number, number][]): string {
  return `(${[...pads].reverse().flat().join(', ')})`;
}

/** What a family's NetSpec becomes in PyTorch: inputs (names, torch shapes), modules, forward. */
export interface TorchProgram {
  inputs: { name: string; kind: string; tfShape: number[]; torchShape: number[] }[];
  modules: { path: string; ctor: string }[];
  forward: string[];
  output: string;
  outputShape: number[];
  tensors: TorchTensorSource[];
  helpers: Helper[];
}

export function torchProgram(spec: ops.NetSpec): TorchProgram {
  const net = new TorchNet();
  const xs = spec.inputs.map((i): TorchX => {
    if (i.shape.length !== 4) throw new ExportError(`Input ${i.name}: the exporter takes clips [N, T, H, W, C], got [N, ${i.shape.join(', ')}].`);
    return { v: i.name, shape: [...i.shape], cf: true };
  });
  const out = spec.body(net, xs);
  if (out.cf) throw new ExportError('The model ends on an image tensor, not class scores.');
  return {
    inputs: spec.inputs.map((i) => {
      const [t, h, w, c] = i.shape;
      return { name: i.name, kind: i.kind, tfShape: [...i.shape], torchShape: [c, t, h, w] };
    }),
    modules: net.modules,
    forward: net.forward,
    output: out.v,
    outputShape: out.shape,
    tensors: net.tensors,
    helpers: [...net.helpers],
  };
}
