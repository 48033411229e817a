// tfjs → PyTorch weight layouts, on plain arrays (no tfjs):
//   conv2d kernel [kh, kw, in, out] → OIHW (permute 3, 2, 0, 1); conv3d [kd, kh, kw, in, out] → OIDHW;
//   dense [in, out] → [out, in]; patch embedding [p, p, tt·C, D] (a conv2d on frame-stacked
//   channels) → a Conv3d's [D, C, tt, p, p]; LSTM / GRU matrices [F, G·U] → [G·U, F] with the
//   gates reordered (GRU z, r, h → r, z, n).

import type { Layout } from './torch-net';

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Row-major strides of a shape. */
function strides(shape: readonly number[]): number[] {
  const s = Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** out = x.reshape(shape).permute(perm), row-major. */
export function permute(x: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  if (prod(shape) !== x.length) throw new Error(`permute: ${x.length} values do not fill [${shape.join(', ')}].`);
  if (perm.length !== shape.length || [...perm].sort().some((p, i) => p !== i)) throw new Error(`permute: [${perm.join(', ')}] is not a permutation of ${shape.length} axes.`);
  const inStr = strides(shape);
  const outShape = perm.map((p) => shape[p]);
  const out = new Float32Array(x.length);
  const idx = Array<number>(outShape.length).fill(0);
  const src = perm.map((p) => inStr[p]); // input stride of each output axis
  for (let o = 0; o < out.length; o++) {
    let at = 0;
    for (let k = 0; k < idx.length; k++) at += idx[k] * src[k];
    out[o] = x[at];
    for (let k = idx.length - 1; k >= 0; k--) {
      if (++idx[k] < outShape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** The PyTorch array of a tfjs weight of shape `tfShape`. */
export function convertLayout(x: Float32Array, tfShape: readonly number[], layout: Layout): Float32Array {
  if (prod(tfShape) !== x.length) throw new Error(`A weight of shape [${tfShape.join(', ')}] has ${x.length} values.`);
  if (layout.kind === 'copy') return Float32Array.from(x);
  if (layout.kind === 'permute') return permute(x, layout.from, layout.perm);
  const { gates, order } = layout;
  if (!layout.transpose) {
    // bias [G·U]: whole gate blocks moved
    const u = x.length / gates;
    const out = new Float32Array(x.length);
    order.forEach((g, k) => out.set(x.subarray(g * u, (g + 1) * u), k * u));
    return out;
  }
  const [f, gu] = tfShape;
  const u = gu / gates;
  // [F, G, U] → gates reordered → [G, U, F] = [G·U, F]
  const moved = permute(x, [f, gates, u], [1, 2, 0]); // [G, U, F]
  const out = new Float32Array(x.length);
  order.forEach((g, k) => out.set(moved.subarray(g * u * f, (g + 1) * u * f), k * u * f));
  return out;
}
