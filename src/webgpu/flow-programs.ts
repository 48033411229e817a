// Fused WGSL programs for the optical flow (src/flow/fused-flow.ts drives them; the tfjs-op path
// in src/flow/optical-flow.ts is the reference they must match and the fallback elsewhere).
// Registered as kernels of our own names on the 'webgpu' backend, so they run through tfjs's
// engine (tensors tracked, tf.profile sees them by name) like every other kernel.
//
// Layouts, all float32, channels innermost (shapes as the tensors the driver passes):
//   image  [B, h, w]      grey, one pyramid level (B = 2N: the N first frames, then the N second)
//   G      [B, h, w, 3]   (s, ∂x s, ∂y s) with s the pre-blurred level
//   u      [N, h, w, 2]   the flow (dx, dy) at this level
//   P      [N, h, w, 5]   per-pixel products [Ix², IxIy, Iy², Ix·e, Iy·e] before the window sums
//   Q      [N, h, w, C]   the same after the vertical window pass
//
// Programs (one invocation per output pixel, every size and filter tap a shader constant,
// borders reflected as mirrorPad 'reflect' does: i < 0 → −i, i ≥ n → 2(n − 1) − i; the driver
// checks every radius < the side it filters):
//   FlowDown    image → half-size image: binomial 5-tap blur, then the 2×2 mean (the op path's
//               separable blur + avgPool), as one 6-tap filter per axis at stride 2
//   FlowBlur    image → image: separable 2-D filter (the pre-blur), both passes in one
//   FlowGrad    image → G: the Farid–Simoncelli 5×5 pair, value kept as channel 0
//   FlowWarp    G (both frames), u → P: bilinear warp of the second frame's (s, ∂x, ∂y) by u,
//               e = (s1(x + u) − s0)·inside, ∇ = ½(∇s0 + ∇s1(x + u)), the five products
//   FlowWinY    P → Q: vertical window pass over C channels
//   FlowSolve   Q, u → u': horizontal window pass, (G + λ) Δu = −b, |Δu| ≤ maxStep, u + Δu
//   FlowUp      u (coarse) → u (fine) ×2, bilinear at the exact pixel-centre mapping
//   FlowConfY   G (first frames) → Q (C = 3): vertical window pass of [Ix², IxIy, Iy²]
//   FlowConfX   Q → [N, h, w]: horizontal pass, then the structure tensor's smaller eigenvalue
//
// Conditions use the non-short-circuit `&` (see flat-program.ts: SwiftShader and `&&` in loops);
// every loop is unrolled here anyway.

import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram, flatView, sizeOf } from './flat-program';

/** A WGSL f32 literal (always with a point or an exponent). */
function lit(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`flow shader constant must be finite, got ${v}`);
  const s = String(Math.fround(v));
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A WGSL expression reflecting integer expression `i` into [0, n) (mirrorPad 'reflect'; needs |overshoot| < n). */
function reflect(i: string, n: number): string {
  return `select(select(${i}, ${2 * (n - 1)} - (${i}), (${i}) >= ${n}), -(${i}), (${i}) < 0)`;
}

const tapsKey = (t: readonly number[]): string => t.map((v) => Math.fround(v).toPrecision(7)).join(',');

/** Index arithmetic shared by the per-pixel programs: n, y, x of pixel `index` in [N, h, w]. */
const pixelOf = (h: number, w: number): string => `let x = index % ${w};
      let y = (index / ${w}) % ${h};
      let n = index / ${h * w};`;

class DownProgram extends FlatProgram {
  variableNames = ['img'];
  constructor(
    b: number,
    private readonly hIn: number,
    private readonly wIn: number,
    private readonly binomial: readonly number[],
  ) {
    const size = b * Math.floor(hIn / 2) * Math.floor(wIn / 2);
    super(size, size, `cs_flow_down_${b}_${hIn}_${wIn}_${tapsKey(binomial)}`);
  }
  getUserCode(): string {
    const { hIn, wIn, binomial } = this;
    const hOut = Math.floor(hIn / 2);
    const wOut = Math.floor(wIn / 2);
    const r = (binomial.length - 1) / 2;
    // Output i averages blurred rows 2i and 2i + 1: row 2i + s − r, s = 0 … 2r + 1, weight ½(t[s] + t[s − 1]).
    const k = Array.from({ length: binomial.length + 1 }, (_, s) => 0.5 * ((binomial[s] ?? 0) + (binomial[s - 1] ?? 0)));
    const lines: string[] = [];
    for (let s = 0; s < k.length; s++) lines.push(`let r${s} = base + ${reflect(`2 * oy + ${s - r}`, hIn)} * ${wIn};`);
    for (let s = 0; s < k.length; s++) lines.push(`let c${s} = ${reflect(`2 * ox + ${s - r}`, wIn)};`);
    const rows = k.map((_, sy) => `(${k.map((kx, sx) => `${lit(kx)} * img[r${sy} + c${sx}]`).join(' + ')})`);
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let ox = index % ${wOut};
      let oy = (index / ${wOut}) % ${hOut};
      let base = (index / ${hOut * wOut}) * ${hIn * wIn};
      ${lines.join('\n      ')}
      result[index] = ${rows.map((row, sy) => `${lit(k[sy])} * ${row}`).join(' +\n        ')};
    }`;
  }
}

class BlurProgram extends FlatProgram {
  variableNames = ['img'];
  constructor(
    b: number,
    private readonly h: number,
    private readonly w: number,
    private readonly taps: readonly number[],
  ) {
    const size = b * h * w;
    super(size, size, `cs_flow_blur_${b}_${h}_${w}_${tapsKey(taps)}`);
  }
  getUserCode(): string {
    const { h, w, taps } = this;
    const r = (taps.length - 1) / 2;
    const lines: string[] = [];
    taps.forEach((_, j) => lines.push(`let r${j} = base + ${reflect(`y + ${j - r}`, h)} * ${w};`));
    taps.forEach((_, k) => lines.push(`let c${k} = ${reflect(`x + ${k - r}`, w)};`));
    // The op path filters along y first, then x: Σ_k tx[k] · (Σ_j ty[j] · I[y + j − r, x + k − r]).
    const col = (k: number) => `(${taps.map((ty, j) => `${lit(ty)} * img[r${j} + c${k}]`).join(' + ')})`;
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${pixelOf(h, w)}
      let base = n * ${h * w};
      ${lines.join('\n      ')}
      result[index] = ${taps.map((tx, k) => `${lit(tx)} * ${col(k)}`).join(' +\n        ')};
    }`;
  }
}

class GradProgram extends FlatProgram {
  variableNames = ['img'];
  constructor(
    b: number,
    private readonly h: number,
    private readonly w: number,
    private readonly p: readonly number[],
    private readonly d: readonly number[],
  ) {
    const size = b * h * w;
    super(size, 3 * size, `cs_flow_grad_${b}_${h}_${w}_${tapsKey(p)}_${tapsKey(d)}`);
  }
  getUserCode(): string {
    const { h, w, p, d } = this;
    const r = (p.length - 1) / 2;
    const lines: string[] = [];
    p.forEach((_, j) => lines.push(`let r${j} = base + ${reflect(`y + ${j - r}`, h)} * ${w};`));
    p.forEach((_, k) => lines.push(`let c${k} = ${reflect(`x + ${k - r}`, w)};`));
    // v[j][k] = s[y + j − r, x + k − r];  ∂x = Σ_k d[k] Σ_j p[j] v,  ∂y = Σ_k p[k] Σ_j d[j] v.
    for (let j = 0; j < p.length; j++) for (let k = 0; k < p.length; k++) lines.push(`let v${j}_${k} = img[r${j} + c${k}];`);
    const pass = (ty: readonly number[], tx: readonly number[]) =>
      tx.map((wx, k) => `${lit(wx)} * (${ty.map((wy, j) => `${lit(wy)} * v${j}_${k}`).join(' + ')})`).join(' + ');
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${pixelOf(h, w)}
      let base = n * ${h * w};
      ${lines.join('\n      ')}
      result[3 * index] = v${r}_${r};
      result[3 * index + 1] = ${pass(p, d)};
      result[3 * index + 2] = ${pass(d, p)};
    }`;
  }
}

class WarpProgram extends FlatProgram {
  variableNames = ['G', 'u'];
  constructor(
    private readonly n: number,
    private readonly h: number,
    private readonly w: number,
  ) {
    const size = n * h * w;
    super(size, 5 * size, `cs_flow_warp_${n}_${h}_${w}`);
  }
  getUserCode(): string {
    const { n, h, w } = this;
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${pixelOf(h, w)}
      let xs = f32(x) + u[2 * index];
      let ys = f32(y) + u[2 * index + 1];
      let xc = clamp(xs, 0.0, ${lit(w - 1)});
      let yc = clamp(ys, 0.0, ${lit(h - 1)});
      let x0 = min(floor(xc), ${lit(w - 2)});
      let y0 = min(floor(yc), ${lit(h - 2)});
      let fx = xc - x0;
      let fy = yc - y0;
      // The second frame of pair n is image N + n of G.
      let i00 = 3 * ((${n} + n) * ${h * w} + i32(y0) * ${w} + i32(x0));
      var warped : array<f32, 3>;
      for (var c = 0; c < 3; c++) {
        let v00 = G[i00 + c];
        let v01 = G[i00 + 3 + c];
        let v10 = G[i00 + ${3 * w} + c];
        let v11 = G[i00 + ${3 * w + 3} + c];
        let top = v00 + fx * (v01 - v00);
        let bottom = v10 + fx * (v11 - v10);
        warped[c] = top + fy * (bottom - top);
      }
      let inside = select(0.0, 1.0, (xs >= 0.0) & (xs <= ${lit(w - 1)}) & (ys >= 0.0) & (ys <= ${lit(h - 1)}));
      let e = (warped[0] - G[3 * index]) * inside;
      let ix = (G[3 * index + 1] + warped[1]) * 0.5;
      let iy = (G[3 * index + 2] + warped[2]) * 0.5;
      result[5 * index] = ix * ix;
      result[5 * index + 1] = ix * iy;
      result[5 * index + 2] = iy * iy;
      result[5 * index + 3] = ix * e;
      result[5 * index + 4] = iy * e;
    }`;
  }
}

/** Vertical window pass over C channels: from P (C = 5) or, for the confidence, from G's gradients (C = 3 products). */
class WindowYProgram extends FlatProgram {
  variableNames = ['P'];
  constructor(
    n: number,
    private readonly h: number,
    private readonly w: number,
    private readonly taps: readonly number[],
    /** 'products': P is [N, h, w, 5]; 'structure': P is G [≥N, h, w, 3], products [Ix², IxIy, Iy²] made here. */
    private readonly source: 'products' | 'structure',
  ) {
    const size = n * h * w;
    super(size, (source === 'products' ? 5 : 3) * size, `cs_flow_winy_${source}_${n}_${h}_${w}_${tapsKey(taps)}`);
  }
  getUserCode(): string {
    const { h, w, taps, source } = this;
    const r = (taps.length - 1) / 2;
    const c = source === 'products' ? 5 : 3;
    const acc = Array.from({ length: c }, (_, ch) => ch);
    const body = taps
      .map((t, j) => {
        const at = `(base + ${reflect(`y + ${j - r}`, h)} * ${w} + x)`;
        if (source === 'products') return `{ let q = 5 * ${at};\n        ${acc.map((ch) => `a${ch} += ${lit(t)} * P[q + ${ch}];`).join(' ')} }`;
        return `{ let q = 3 * ${at}; let gx = P[q + 1]; let gy = P[q + 2];\n        a0 += ${lit(t)} * (gx * gx); a1 += ${lit(t)} * (gx * gy); a2 += ${lit(t)} * (gy * gy); }`;
      })
      .join('\n      ');
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${pixelOf(h, w)}
      let base = n * ${h * w};
      ${acc.map((ch) => `var a${ch} = 0.0;`).join(' ')}
      ${body}
      ${acc.map((ch) => `result[${c} * index + ${ch}] = a${ch};`).join(' ')}
    }`;
  }
}

/** Horizontal window pass of Q, then either the Lucas–Kanade update of u or the smaller eigenvalue. */
class WindowXProgram extends FlatProgram {
  variableNames: string[];
  constructor(
    n: number,
    private readonly h: number,
    private readonly w: number,
    private readonly taps: readonly number[],
    private readonly mode: { solve: true; regularization: number; maxStep: number } | { solve: false },
  ) {
    const size = n * h * w;
    const key = mode.solve ? `solve_${lit(mode.regularization)}_${lit(mode.maxStep)}` : 'eig';
    super(size, (mode.solve ? 2 : 1) * size, `cs_flow_winx_${key}_${n}_${h}_${w}_${tapsKey(taps)}`);
    this.variableNames = mode.solve ? ['Q', 'u'] : ['Q'];
  }
  getUserCode(): string {
    const { h, w, taps, mode } = this;
    const r = (taps.length - 1) / 2;
    const c = mode.solve ? 5 : 3;
    const acc = Array.from({ length: c }, (_, ch) => ch);
    const body = taps
      .map((t, k) => `{ let q = ${c} * (row + ${reflect(`x + ${k - r}`, w)});\n        ${acc.map((ch) => `a${ch} += ${lit(t)} * Q[q + ${ch}];`).join(' ')} }`)
      .join('\n      ');
    const tail = mode.solve
      ? `let aa = a0 + ${lit(mode.regularization)};
      let cc = a2 + ${lit(mode.regularization)};
      let det = aa * cc - a1 * a1;
      // (G + λ) Δu = −[p, q]  ⇒  Δu = −[c·p − b·q, a·q − b·p] / det
      let du = clamp((a1 * a4 - cc * a3) / det, ${lit(-mode.maxStep)}, ${lit(mode.maxStep)});
      let dv = clamp((a1 * a3 - aa * a4) / det, ${lit(-mode.maxStep)}, ${lit(mode.maxStep)});
      result[2 * index] = u[2 * index] + du;
      result[2 * index + 1] = u[2 * index + 1] + dv;`
      : `let half = (a0 - a2) * 0.5;
      let root = sqrt(half * half + a1 * a1);
      result[index] = max((a0 + a2) * 0.5 - root, 0.0);`;
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${pixelOf(h, w)}
      let row = (n * ${h} + y) * ${w};
      ${acc.map((ch) => `var a${ch} = 0.0;`).join(' ')}
      ${body}
      ${tail}
    }`;
  }
}

class UpProgram extends FlatProgram {
  variableNames = ['u'];
  constructor(
    n: number,
    private readonly hc: number,
    private readonly wc: number,
    private readonly h: number,
    private readonly w: number,
  ) {
    const size = n * h * w;
    super(size, 2 * size, `cs_flow_up_${n}_${hc}_${wc}_${h}_${w}`);
  }
  getUserCode(): string {
    const { hc, wc, h, w } = this;
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${pixelOf(h, w)}
      // Fine pixel x sits at (x − ½)/2 on the coarse grid (coarse i centres on fine 2i + ½).
      let xc = clamp((f32(x) - 0.5) / 2.0, 0.0, ${lit(wc - 1)});
      let yc = clamp((f32(y) - 0.5) / 2.0, 0.0, ${lit(hc - 1)});
      let x0 = min(floor(xc), ${lit(wc - 2)});
      let y0 = min(floor(yc), ${lit(hc - 2)});
      let fx = xc - x0;
      let fy = yc - y0;
      let i00 = 2 * (n * ${hc * wc} + i32(y0) * ${wc} + i32(x0));
      for (var c = 0; c < 2; c++) {
        let v00 = u[i00 + c];
        let v01 = u[i00 + 2 + c];
        let v10 = u[i00 + ${2 * wc} + c];
        let v11 = u[i00 + ${2 * wc + 2} + c];
        let top = v00 + fx * (v01 - v00);
        let bottom = v10 + fx * (v11 - v10);
        result[2 * index + c] = (top + fy * (bottom - top)) * 2.0;
      }
    }`;
  }
}

/** The kernels' names (tf.profile shows them), with the attributes each takes. */
export const FLOW_KERNELS = ['FlowDown', 'FlowBlur', 'FlowGrad', 'FlowWarp', 'FlowWinY', 'FlowSolve', 'FlowUp', 'FlowConfY', 'FlowConfX'] as const;
export type FlowKernelName = (typeof FLOW_KERNELS)[number];

type Info = tf.TensorInfo;
type Run = (backend: WebGPUBackend, inputs: Info[], attrs: Record<string, unknown>) => { program: FlatProgram; shape: number[] };

const num = (attrs: Record<string, unknown>, k: string): number => attrs[k] as number;
const taps = (attrs: Record<string, unknown>, k: string): number[] => attrs[k] as number[];

/** Each kernel: its program and output shape from the inputs' shapes (see the layouts above). */
const PROGRAMS: Record<FlowKernelName, Run> = {
  FlowDown: (_, [x], a) => {
    const [b, h, w] = x.shape;
    return { program: new DownProgram(b, h, w, taps(a, 'taps')), shape: [b, Math.floor(h / 2), Math.floor(w / 2)] };
  },
  FlowBlur: (_, [x], a) => {
    const [b, h, w] = x.shape;
    return { program: new BlurProgram(b, h, w, taps(a, 'taps')), shape: [b, h, w] };
  },
  FlowGrad: (_, [x], a) => {
    const [b, h, w] = x.shape;
    return { program: new GradProgram(b, h, w, taps(a, 'prefilter'), taps(a, 'derivative')), shape: [b, h, w, 3] };
  },
  FlowWarp: (_, [g, u]) => {
    const [n, h, w] = u.shape;
    if (g.shape[0] !== 2 * n) throw new Error(`FlowWarp: G holds ${g.shape[0]} images for ${n} pairs.`);
    return { program: new WarpProgram(n, h, w), shape: [n, h, w, 5] };
  },
  FlowWinY: (_, [p], a) => {
    const [n, h, w] = p.shape;
    return { program: new WindowYProgram(n, h, w, taps(a, 'taps'), 'products'), shape: [n, h, w, 5] };
  },
  FlowSolve: (_, [q, u], a) => {
    const [n, h, w] = q.shape;
    if (u.shape.join() !== [n, h, w, 2].join()) throw new Error(`FlowSolve: flow [${u.shape}] does not fit window sums [${q.shape}].`);
    return { program: new WindowXProgram(n, h, w, taps(a, 'taps'), { solve: true, regularization: num(a, 'regularization'), maxStep: num(a, 'maxStep') }), shape: [n, h, w, 2] };
  },
  FlowUp: (_, [u], a) => {
    const [n, hc, wc] = u.shape;
    const h = num(a, 'height');
    const w = num(a, 'width');
    return { program: new UpProgram(n, hc, wc, h, w), shape: [n, h, w, 2] };
  },
  FlowConfY: (_, [g], a) => {
    const [, h, w] = g.shape;
    const n = num(a, 'pairs');
    return { program: new WindowYProgram(n, h, w, taps(a, 'taps'), 'structure'), shape: [n, h, w, 3] };
  },
  FlowConfX: (_, [q], a) => {
    const [n, h, w] = q.shape;
    return { program: new WindowXProgram(n, h, w, taps(a, 'taps'), { solve: false }), shape: [n, h, w] };
  },
};

const INPUT_NAMES: Record<FlowKernelName, string[]> = {
  FlowDown: ['x'],
  FlowBlur: ['x'],
  FlowGrad: ['x'],
  FlowWarp: ['G', 'u'],
  FlowWinY: ['P'],
  FlowSolve: ['Q', 'u'],
  FlowUp: ['u'],
  FlowConfY: ['G'],
  FlowConfX: ['Q'],
};

/** Register the flow kernels on 'webgpu' (once; later calls do nothing). */
export function registerFlowKernels(): void {
  for (const name of FLOW_KERNELS) {
    if (tf.getKernel(name, 'webgpu')) continue;
    tf.registerKernel({
      kernelName: name,
      backendName: 'webgpu',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const infos = INPUT_NAMES[name].map((k) => {
          const t = (inputs as Record<string, Info | undefined>)[k];
          if (!t || t.dtype !== 'float32') throw new Error(`${name}: input ${k} must be a float32 tensor.`);
          return t;
        });
        const { program, shape } = PROGRAMS[name](backend as WebGPUBackend, infos, attrs as Record<string, unknown>);
        if (sizeOf(shape) === 0) throw new Error(`${name}: empty output [${shape}].`);
        const out = (backend as WebGPUBackend).runWebGPUProgram(program, infos.map(flatView), 'float32');
        return { dataId: out.dataId, shape, dtype: 'float32' };
      },
    });
  }
}

/** Run one flow kernel on the current (webgpu) backend; the caller owns the result. */
export function runFlowKernel(name: FlowKernelName, inputs: tf.Tensor[], attrs: Record<string, number | number[]> = {}): tf.Tensor {
  const named = Object.fromEntries(INPUT_NAMES[name].map((k, i) => [k, inputs[i]]));
  return tf.engine().runKernel(name, named, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}
