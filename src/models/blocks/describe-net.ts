// The describing side of `Net` (net.ts): every operation threads a shape (without N) and appends
// a LayerRow (rows.ts) for each parameterised or shape-changing layer; ReLUs, dropout and the
// free fold/unfold views change neither and get no row, to keep the table readable. Nothing is
// allocated, so paper-scale presets describe instantly.
//
// Folding time into the batch keeps T as a leading axis here ([N, T, H, W, C] → [T, H, W, C]
// rather than [H, W, C]), so a per-frame trunk's rows show T and its MACs count every frame.

import type { DescriptionTotals, LayerRow } from '../types';
import {
  attentionRow,
  batchNormRow,
  convOutLen,
  convRow,
  denseRow,
  mlpRow,
  paramRow,
  shapeRow,
  sumTotals,
} from './rows';
import { middleFrameIdx } from './time-layers';
import { perAxis, prod } from './net';
import type * as ops from './net';

type Shape = number[];

/** Gates per recurrent cell: LSTM has input, forget, cell and output; GRU update, reset and candidate. */
const GATES = { lstm: 4, gru: 3 } as const;

const same = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);
const dimsText = (x: readonly number[]): string => `[${x.join(', ')}]`;

function assertPositive(out: readonly number[], name: string, input: readonly number[]): void {
  if (out.some((d) => !(d >= 1)))
    throw new Error(
      `${name}: input ${dimsText(input)} is too small for this layer (it would give ${dimsText(out)}). Use a larger frame size or fewer downsampling stages.`,
    );
}

function assertClip(x: Shape, name: string, what: string): void {
  if (x.length !== 4)
    throw new Error(`${name}: ${what} needs a [T, H, W, C] input, got ${dimsText(x)}.`);
}

/** A conv's or pool's window per axis: k → a 2D k×k window, a triple → 3D on [T, H, W, C]. */
function windowOf(
  x: Shape,
  name: string,
  what: string,
  size: number | ops.Triple,
  stride: number | ops.Triple,
): { dims: 2 | 3; size: number[]; strides: number[] } {
  const dims = typeof size === 'number' ? 2 : 3;
  if (dims === 3) assertClip(x, name, `a 3D ${what}`);
  return { dims, size: perAxis(size, dims), strides: perAxis(stride, dims) };
}

export class DescribeNet implements ops.Net<Shape> {
  readonly rows: LayerRow[] = [];
  /** Maps stackTimeInChannels' output to its T: the conv that reads it is where time is mixed. */
  private readonly stackedSteps = new WeakMap<Shape, number>();

  private push(row: LayerRow): Shape {
    this.rows.push(row);
    return row.outputShape;
  }

  shape(x: Shape): Shape {
    return x;
  }

  conv(x: Shape, o: ops.ConvSpec): Shape {
    const { size: kernel, strides } = windowOf(x, o.name, 'conv', o.kernel, o.stride ?? 1);
    const steps = this.stackedSteps.get(x);
    const stacked =
      steps === undefined
        ? {}
        : {
            temporal: true,
            note: `sees all ${steps} stacked time steps at once: each filter is ${kernel.join('×')}×${x.at(-1)}`,
          };
    const row = convRow(x, {
      name: o.name,
      kernel,
      filters: o.filters,
      strides,
      padding: o.pad ?? 'same',
      bias: o.bias ?? true,
      ...stacked,
      ...(o.temporal === undefined ? {} : { temporal: o.temporal }),
      ...(o.note === undefined ? {} : { note: o.note }),
    });
    assertPositive(row.outputShape, o.name, x);
    return this.push(row);
  }

  batchNorm(x: Shape, name: string): Shape {
    return this.push(batchNormRow(x, name));
  }

  relu(x: Shape): Shape {
    return x;
  }

  pool(x: Shape, o: ops.PoolSpec): Shape {
    const { dims, size, strides } = windowOf(x, o.name, 'pool', o.size, o.stride ?? o.size);
    const pad = o.pad ?? 'valid';
    const spatial = x.slice(-1 - dims, -1).map((n, i) => convOutLen(n, size[i], strides[i], pad));
    const out = [...x.slice(0, -1 - dims), ...spatial, x[x.length - 1]];
    assertPositive(out, o.name, x);
    const note = `${o.kind} ${size.join('×')}${same(size, strides) ? '' : ` /${strides.join('×')}`}${typeof pad === 'number' && pad > 0 ? `, pad ${pad}` : ''}`;
    return this.push(shapeRow(out, o.name, 'pool', { temporal: dims === 3 && size[0] > 1, note }));
  }

  globalAvgPool(x: Shape, name: string, dims: 2 | 3): Shape {
    const axes = x.slice(-1 - dims, -1);
    const out = [...x.slice(0, -1 - dims), x[x.length - 1]];
    return this.push(
      shapeRow(out, name, 'pool', {
        temporal: dims === 3 && axes[0] > 1,
        note: `mean over ${axes.join('×')} (${dims === 3 ? 'T·H·W' : 'H·W'})`,
      }),
    );
  }

  flatten(x: Shape, name: string, dims: 2 | 3): Shape {
    const axes = x.slice(-1 - dims);
    return this.push(
      shapeRow([...x.slice(0, -1 - dims), prod(axes)], name, 'reshape', {
        note: `${axes.join('×')} map flattened: keeps where things are`,
      }),
    );
  }

  add(a: Shape, b: Shape, name: string): Shape {
    if (!same(a, b))
      throw new Error(`${name}: cannot add shapes ${dimsText(a)} and ${dimsText(b)}.`);
    return this.push(shapeRow(a, name, 'add', { note: 'residual sum' }));
  }

  concat(xs: Shape[], name: string, o: ops.RowLabel = {}): Shape {
    const lead = xs[0].slice(0, -1);
    if (xs.some((x) => !same(x.slice(0, -1), lead)))
      throw new Error(
        `${name}: cannot put ${xs.map(dimsText).join(' and ')} side by side (all axes but the channels must match).`,
      );
    return this.push(
      shapeRow([...lead, xs.reduce((a, x) => a + x[x.length - 1], 0)], name, 'concat', o),
    );
  }

  average(xs: Shape[], name: string, o: ops.RowLabel = {}): Shape {
    if (xs.some((x) => !same(x, xs[0])))
      throw new Error(`${name}: cannot average ${xs.map(dimsText).join(' and ')}.`);
    return this.push(shapeRow(xs[0], name, 'average', o));
  }

  dense(x: Shape, units: number, name: string, activation: ops.Activation = 'linear'): Shape {
    const note =
      activation === 'softmax' ? 'then softmax' : activation === 'relu' ? 'then ReLU' : undefined;
    return this.push(denseRow(x, units, name, note === undefined ? {} : { note }));
  }

  dropout(x: Shape): Shape {
    return x;
  }

  foldTime(x: Shape, name: string): Shape {
    assertClip(x, name, 'folding time into the batch');
    return x; // T stays as the leading axis (see the header)
  }

  unfoldTime(x: Shape, numFrames: number, name: string): Shape {
    if (x[0] !== numFrames)
      throw new Error(`${name}: expected ${numFrames} frames in the batch, got ${dimsText(x)}.`);
    return x;
  }

  stackTimeInChannels(x: Shape, name: string, o: { note?: string } = {}): Shape {
    assertClip(x, name, 'stacking time in channels');
    const [t, h, w, c] = x;
    const out = this.push(
      shapeRow([h, w, t * c], name, 'reshape', {
        note: o.note ?? `${t} steps × ${c} channels stacked as ${t * c} channels`,
      }),
    );
    this.stackedSteps.set(out, t);
    return out;
  }

  pickFrames(x: Shape, o: ops.PickFramesSpec): Shape {
    assertClip(x, o.name, 'picking a frame');
    if (x[0] !== o.numFrames)
      throw new Error(`${o.name}: built for ${o.numFrames} frames, got ${x[0]}.`);
    return this.push(
      shapeRow(x.slice(1), o.name, 'select', {
        note: `frame ${middleFrameIdx(o.numFrames)} of ${o.numFrames} (the middle one)`,
      }),
    );
  }

  averageFrameScores(x: Shape): Shape {
    return x; // training (what is described) scores the middle frame only
  }

  gatherTime(x: Shape, name: string, indices: readonly number[], o: { note?: string } = {}): Shape {
    assertClip(x, name, 'picking frames');
    if (indices.length === 0 || indices.some((i) => !(Number.isInteger(i) && i >= 0 && i < x[0])))
      throw new Error(
        `${name}: frames ${indices.join(', ')} are not all among the ${x[0]} frames.`,
      );
    return this.push(
      shapeRow([indices.length, ...x.slice(1)], name, 'subsample', {
        note: o.note ?? `frames ${indices.join(', ')} of ${x[0]}`,
      }),
    );
  }

  temporalPool(x: Shape, name: string, kind: 'mean' | 'max', o: { note?: string } = {}): Shape {
    if (x.length !== 2)
      throw new Error(`${name}: pooling over time needs a [T, F] sequence, got ${dimsText(x)}.`);
    return this.push(
      shapeRow([x[1]], name, 'pool', {
        temporal: true,
        note: o.note ?? `${kind} over ${x[0]} steps`,
      }),
    );
  }

  rnn(x: Shape, o: ops.RnnSpec): Shape {
    if (x.length !== 2)
      throw new Error(`${o.name}: a recurrence needs a [T, F] sequence, got ${dimsText(x)}.`);
    const [t, f] = x;
    const { units: u, cell } = o;
    const g = GATES[cell];
    return this.push(
      paramRow(o.returnSequences ? [t, u] : [u], o.name, cell, g * (f * u + u * u + u), {
        temporal: true,
        macs: t * g * u * (f + u), // input and recurrent matmuls of every time step
        note: `${g} gates × (${f} inputs + ${u} recurrent + bias) × ${u} units, run over ${t} steps`,
      }),
    );
  }

  patchEmbed(
    x: Shape,
    o: { name: string; patchSize: number; tubeletFrames: number; dim: number },
  ): Shape {
    assertClip(x, o.name, 'a patch embedding');
    const [tt, p] = [o.tubeletFrames, o.patchSize];
    const kernel = [tt, p, p];
    const row = convRow(x, {
      name: o.name,
      kernel,
      strides: kernel,
      padding: 'valid',
      filters: o.dim,
      temporal: tt > 1,
    });
    const [t, h, w] = row.outputShape;
    row.note = `frames centred to [−1, 1]; ${tt}×${p}×${p} tubelets → ${t}×${h}×${w} tokens`;
    this.push(row);
    return [t, h * w, o.dim]; // the conv's [T', h, w, D] map read as T' × N_p tokens
  }

  tokenEmbed(x: Shape, o: ops.TokenEmbedSpec): Shape {
    const k = o.classToken ? 1 : 0;
    const d = x[x.length - 1];
    if (o.mode === 'sequence') {
      const [t] = x;
      return this.push(
        paramRow([k + t, d], o.name, 'embedding', k * d + (k + t) * d, {
          temporal: true,
          note: `${k ? 'class token + ' : ''}${k + t} time position embeddings`,
        }),
      );
    }
    const [t, n] = x;
    if (o.mode === 'frames')
      return this.push(
        paramRow([t, k + n, d], o.name, 'embedding', k * d + (k + n) * d, {
          note: `${k ? 'class token per frame + ' : ''}${k + n} space position embeddings (shared by all frames)`,
        }),
      );
    return this.push(
      paramRow([k + t * n, d], o.name, 'embedding', k * d + (k + n) * d + t * d, {
        temporal: true,
        note: `${k ? 'class token + ' : ''}${k + n} space + ${t} time position embeddings`,
      }),
    );
  }

  encoderBlock(x: Shape, o: ops.AttentionBlockSpec): Shape {
    const [l, d] = x.slice(-2);
    this.push(
      attentionRow(x, {
        name: `${o.name}.attn`,
        sequences: prod(x.slice(0, -2)),
        seqLen: l,
        dim: d,
        heads: o.heads,
        temporal: o.temporal,
      }),
    );
    return this.push(mlpRow(x, o.mlpDim, `${o.name}.mlp`));
  }

  dividedBlock(x: Shape, o: ops.DividedBlockSpec): Shape {
    const [len, d] = x;
    const k = o.classToken ? 1 : 0;
    const t = o.numFrames;
    const n = (len - k) / t;
    if (!Number.isInteger(n))
      throw new Error(`${o.name}: ${len - k} tokens do not split into ${t} frames.`);
    const attn = { dim: d, heads: o.heads };
    this.push(
      attentionRow([t * n, d], {
        ...attn,
        name: `${o.name}.time_attn`,
        sequences: n,
        seqLen: t,
        temporal: true,
      }),
    );
    this.push(denseRow([t * n, d], d, `${o.name}.temporal_fc`, { temporal: true }));
    this.push(
      attentionRow(x, {
        ...attn,
        name: `${o.name}.space_attn`,
        sequences: t,
        seqLen: k + n,
        temporal: false,
      }),
    );
    return this.push(mlpRow(x, o.mlpDim, `${o.name}.mlp`));
  }

  normPool(x: Shape, o: { name: string; eps: number; pool: 'cls' | 'mean' }): Shape {
    const d = x[x.length - 1];
    const out = [...x.slice(0, -2), d];
    const readout =
      o.pool === 'cls'
        ? 'LayerNorm, then the class token'
        : 'LayerNorm, then the mean of the tokens';
    return this.push(
      paramRow(out, o.name, 'layernorm', 2 * d, {
        note: out.length > 1 ? `${readout}, per frame` : readout,
      }),
    );
  }
}

/** The rows of a family's NetSpec on its input shapes, and their totals. */
export function describeNet(spec: ops.NetSpec): { layers: LayerRow[]; totals: DescriptionTotals } {
  const net = new DescribeNet();
  spec.body(
    net,
    spec.inputs.map((i) => [...i.shape]),
  );
  return { layers: net.rows, totals: sumTotals(net.rows) };
}
