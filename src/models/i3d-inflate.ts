// I3D inflation (Carreira & Zisserman, "Quo Vadis, Action Recognition? A New Model and the
// Kinetics Dataset", CVPR 2017, §2.4): turn a trained 2D CNN into a 3D one by repeating every
// k×k kernel k_t times along a new time axis and dividing by k_t. On a "boring" clip — one frame
// repeated — each 3D filter then sums k_t identical 2D responses / k_t, so the 3D network
// computes exactly what the 2D one computes on that frame: a good starting point for training.
//
//   2D model [N, H, W, C] (or a clip model that picks frames, e.g. the single-frame family)
//     conv2d k×k, stride s        ─▶ conv3d k_t×k×k, stride 1×s×s, W₃[t] = W₂ / k_t
//     zeroPadding2d               ─▶ the same padding on every frame
//     max/avg pool k×k            ─▶ pool 1×k×k (time is pooled only at the end)
//     global average pool         ─▶ mean over T·H·W
//     flatten                     ─▶ mean over T, then flatten
//     batch norm, activations, dropout, dense, add/concatenate ─▶ the same layer, same weights
//   3D model [N, T, H, W, C]
//
// Time boundaries: a zero-padded temporal conv would see zeros past the first and last frame and
// break the boring-clip identity, so each inflated conv replicate-pads time ((k_t−1)/2 copies of
// the edge frames, as a gather), and after a 'same' conv the padded frames are dropped again.
// The gathers and the per-frame spatial padding reshape to rank 3 / rank 4 first: tfjs 4.22's
// webgpu backend gets rank-5 pads (and so the gradient of a rank-5 slice) silently wrong
// (shared/TFJS-NOTES.md).

import * as tf from '@tensorflow/tfjs';
import { batchNormLayer } from './blocks/layers-net';
import { one, oneShape } from './blocks/layer-io';
import { TemporalGather } from './blocks/time-layers';

// ─── The layer the inflated model needs besides TemporalGather (blocks/time-layers.ts) ─────────

/** Zero-pads H and W of every frame: [N, T, H, W, C] → [N, T, H+t+b, W+l+r, C], via rank 4. */
export class FramePad2d extends tf.layers.Layer {
  static className = 'FramePad2d';
  readonly padding: [[number, number], [number, number]];
  constructor(args: { padding: [[number, number], [number, number]]; name?: string }) {
    super({ name: args.name });
    this.padding = args.padding;
  }
  computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, t, h, w, c] = oneShape(s);
    const [[pt, pb], [pl, pr]] = this.padding;
    return [n, t, h === null ? null : h + pt + pb, w === null ? null : w + pl + pr, c];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const [n, t, h, w, c] = x.shape;
      const [[pt, pb], [pl, pr]] = this.padding;
      const frames = x.reshape([n * t, h, w, c]) as tf.Tensor4D; // [N, T, H, W, C] → [N·T, H, W, C]
      const padded = tf.pad(frames, [[0, 0], [pt, pb], [pl, pr], [0, 0]]);
      return padded.reshape([n, t, h + pt + pb, w + pl + pr, c]); // [N·T, H', W', C] → [N, T, H', W', C]
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding };
  }
}
tf.serialization.registerClass(FramePad2d);

// ─── Inflation ───────────────────────────────────────────────────────────────────────────────

export interface InflateOptions {
  /** T of the 3D model's clip; default: the 2D model's own T if it takes clips, else 8. */
  numFrames?: number;
  /** k_t for a k_h×k_w conv; default k_h (I3D: 3×3 → 3×3×3, 7×7 → 7×7×7, 1×1 stays 1×1×1). Must be odd. */
  temporalKernel?: (conv: { name: string; kernel: [number, number] }) => number;
  /** Layer classes that map a clip to frames or frame scores back to a clip score (identity in 3D). */
  passThrough?: string[]; // default ['PickFrames', 'AverageFrameScores'] (the single-frame family)
}

type Conf = tf.serialization.ConfigDict;
const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)]);

/**
 * Inflates a 2D CNN into its 3D counterpart with inflated weights. The 2D model is not changed;
 * the caller owns (and disposes) the returned model.
 */
export function inflate2dTo3d(model2d: tf.LayersModel, opts: InflateOptions = {}): tf.LayersModel {
  if (model2d.inputs.length !== 1) throw new Error(`I3D inflation: the 2D model must have one input, it has ${model2d.inputs.length}.`);
  const inShape = model2d.inputs[0].shape;
  if (inShape.length !== 4 && inShape.length !== 5) throw new Error(`I3D inflation: the 2D model takes [N, ${inShape.slice(1).join(', ')}]; expected frames [N, H, W, C] or clips [N, T, H, W, C].`);
  const [h, w, c] = inShape.slice(-3) as number[];
  const t = opts.numFrames ?? (inShape.length === 5 ? (inShape[1] as number) : 8);
  if (!(t >= 1)) throw new Error(`I3D inflation: numFrames must be ≥ 1, got ${t}.`);
  const passThrough = new Set(opts.passThrough ?? ['PickFrames', 'AverageFrameScores']);
  const ktOf = opts.temporalKernel ?? ((conv) => conv.kernel[0]);

  const input = tf.input({ shape: [t, h, w, c], name: 'frames' });
  const mapped = new Map<number, tf.SymbolicTensor>([[model2d.inputs[0].id, input]]);
  /** Weights to copy after the graph exists: 3D layer ← values. */
  const assignments: { layer: tf.layers.Layer; values: () => tf.Tensor[]; inflated?: boolean }[] = [];

  for (const layer of model2d.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    const node = layer.inboundNodes[0];
    const ins = node.inputTensors.map((s) => {
      const m = mapped.get(s.id);
      if (!m) throw new Error(`I3D inflation: layer ${layer.name} reads a tensor the inflated graph does not have.`);
      return m;
    });
    const cfg = layer.getConfig() as Conf;
    const x = ins[0];
    const xs = x.shape as number[];
    const name = `${layer.name}_3d`;
    let y: tf.SymbolicTensor;
    const apply = (l: tf.layers.Layer, v: tf.SymbolicTensor | tf.SymbolicTensor[] = x) => l.apply(v) as tf.SymbolicTensor;

    if (passThrough.has(cls)) y = x;
    else if (cls === 'Conv2D') {
      const [kh, kw] = pair(cfg.kernelSize);
      const [sh, sw] = pair(cfg.strides);
      const [dh, dw] = pair(cfg.dilationRate ?? 1);
      if (dh !== 1 || dw !== 1) throw new Error(`I3D inflation: dilated conv ${layer.name} is not supported.`);
      const kt = ktOf({ name: layer.name, kernel: [kh, kw] });
      if (!(kt >= 1 && kt % 2 === 1)) throw new Error(`I3D inflation: the temporal kernel of ${layer.name} must be odd and ≥ 1, got ${kt}.`);
      const p = (kt - 1) / 2;
      const frames = xs[1];
      const range = Array.from({ length: frames }, (_, i) => i);
      let z = x;
      // Replicate-pad time so the boring-clip identity holds at the first and last frames too.
      if (p > 0) z = apply(new TemporalGather({ name: `${name}.tpad`, indices: [...Array<number>(p).fill(0), ...range, ...Array<number>(p).fill(frames - 1)] }), z);
      const conv = tf.layers.conv3d({
        name,
        filters: cfg.filters as number,
        kernelSize: [kt, kh, kw],
        strides: [1, sh, sw],
        padding: cfg.padding as 'same' | 'valid',
        useBias: cfg.useBias as boolean,
        activation: cfg.activation as 'linear',
      });
      z = apply(conv, z);
      // 'same' also zero-padded time: drop the p frames at each end that saw those zeros.
      if (p > 0 && cfg.padding === 'same') z = apply(new TemporalGather({ name: `${name}.tcrop`, indices: range.map((i) => i + p) }), z);
      y = z;
      assignments.push({
        layer: conv,
        values: () => {
          const [k2, ...rest] = layer.getWeights();
          // [kh, kw, Cin, F] → [kt, kh, kw, Cin, F], repeated along time and divided by k_t.
          return [tf.tidy(() => tf.tile(k2.expandDims(0), [kt, 1, 1, 1, 1]).div(kt)), ...rest];
        },
        inflated: true,
      });
    } else if (cls === 'ZeroPadding2D') {
      const pd = cfg.padding as number[][];
      y = apply(new FramePad2d({ name, padding: [[pd[0][0], pd[0][1]], [pd[1][0], pd[1][1]]] }));
    } else if (cls === 'MaxPooling2D' || cls === 'AveragePooling2D') {
      const [ph, pw] = pair(cfg.poolSize);
      const [sh, sw] = pair(cfg.strides ?? cfg.poolSize);
      const args = { name, poolSize: [1, ph, pw] as [number, number, number], strides: [1, sh, sw] as [number, number, number], padding: cfg.padding as 'same' | 'valid' };
      y = apply(cls === 'MaxPooling2D' ? tf.layers.maxPooling3d(args) : tf.layers.averagePooling3d(args));
    } else if (cls === 'GlobalAveragePooling2D' || cls === 'GlobalMaxPooling2D') {
      const [tt, hh, ww, cc] = xs.slice(1);
      const flat = apply(tf.layers.reshape({ name: `${name}.reshape`, targetShape: [tt * hh * ww, cc] })); // [N, T, H, W, C] → [N, T·H·W, C]
      y = apply(cls === 'GlobalAveragePooling2D' ? tf.layers.globalAveragePooling1d({ name }) : tf.layers.globalMaxPooling1d({ name }), flat);
    } else if (cls === 'Flatten') {
      // Mean over T first, so the flattened [H·W·C] features line up with the 2D dense layer.
      const tt = xs[1];
      const pooled = apply(tf.layers.averagePooling3d({ name: `${name}.tmean`, poolSize: [tt, 1, 1], strides: [tt, 1, 1], padding: 'valid' }));
      y = apply(tf.layers.flatten({ name }), pooled);
    } else if (cls === 'BatchNormalization') {
      const axis = cfg.axis as number;
      if (axis !== -1 && axis !== 3) throw new Error(`I3D inflation: batch norm ${layer.name} normalises axis ${axis}; only channels-last is supported.`);
      const args = { axis: -1, momentum: cfg.momentum as number, epsilon: cfg.epsilon as number, center: cfg.center as boolean, scale: cfg.scale as boolean };
      y = batchNormLayer(x, name, args);
      const bnName = name;
      assignments.push({ layer: findLayer(y, bnName), values: () => layer.getWeights() });
    } else if (cls === 'Dense') {
      if (xs.length !== 2) throw new Error(`I3D inflation: dense layer ${layer.name} on a rank-${xs.length} input is not supported (pool or flatten first).`);
      const dense = tf.layers.dense({ name, units: cfg.units as number, activation: cfg.activation as 'linear', useBias: cfg.useBias as boolean });
      y = apply(dense);
      assignments.push({ layer: dense, values: () => layer.getWeights() });
    } else if (cls === 'Activation') y = apply(tf.layers.activation({ name, activation: cfg.activation as 'relu' }));
    else if (cls === 'ReLU') y = apply(tf.layers.reLU({ name, maxValue: (cfg.maxValue as number | null) ?? undefined }));
    else if (cls === 'Dropout') y = apply(tf.layers.dropout({ name, rate: cfg.rate as number }));
    else if (cls === 'Add') y = apply(tf.layers.add({ name }), ins);
    else if (cls === 'Concatenate') {
      const axis = cfg.axis as number;
      if (axis !== -1 && axis !== (node.inputTensors[0].shape.length - 1)) throw new Error(`I3D inflation: ${layer.name} concatenates on axis ${axis}; only channels are supported.`);
      y = apply(tf.layers.concatenate({ name, axis: -1 }), ins);
    } else throw new Error(`I3D inflation: cannot inflate layer ${layer.name} of class ${cls}.`);

    mapped.set(node.outputTensors[0].id, y);
  }

  const out = mapped.get(model2d.outputs[0].id);
  if (!out) throw new Error('I3D inflation: the 2D model’s output was not reached.');
  const model3d = tf.model({ inputs: input, outputs: out, name: `${model2d.name}_inflated` });
  for (const a of assignments) {
    const values = a.values();
    try {
      a.layer.setWeights(values); // copies into the 3D layer's variables
    } finally {
      // The inflated kernel is a fresh tensor; the rest are the 2D layer's own variables.
      if (a.inflated) values[0].dispose();
    }
  }
  return model3d;
}

/** The layer that produced a symbolic tensor, walking back through reshape views (batchNormLayer). */
function findLayer(y: tf.SymbolicTensor, name: string): tf.layers.Layer {
  let st: tf.SymbolicTensor | undefined = y;
  while (st) {
    if (st.sourceLayer.name === name) return st.sourceLayer as tf.layers.Layer;
    const inbound = st.sourceLayer.inboundNodes[0]?.inputTensors[0] as tf.SymbolicTensor | undefined;
    st = inbound;
  }
  throw new Error(`I3D inflation: layer ${name} not found.`);
}
