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
// Programs (one invocation per output pixel or tile, filter taps as shader constants, sizes as uniforms,
// borders reflected as mirrorPad 'reflect' does: i < 0 → −i, i ≥ n → 2(n − 1) − i; the driver
// checks every radius < the side it filters):
//   FlowGray    frames [F, H, W, C], pair indices → images [2P, H, W] (the op path's toGray + gathers)
//   FlowDown    image → half-size image: binomial 5-tap blur, then the 2×2 mean (the op path's
//               separable blur + avgPool), as one 6-tap filter per axis at stride 2
//   FlowBlur    image → image: separable 2-D filter (the pre-blur), both passes in one
//   FlowGrad    image → G: the Farid–Simoncelli 5×5 pair, value kept as channel 0
//   FlowWarp    G (both frames), u → P: bilinear warp of the second frame's (s, ∂x, ∂y) by u,
//               e = (s1(x + u) − s0)·inside, ∇ = ½(∇s0 + ∇s1(x + u)), the five products
//   FlowWinY    P → Q: vertical window pass over C channels (TILE rows an invocation)
//   FlowSolve   Q, u → u': horizontal window pass (TILE columns an invocation), (G + λ) Δu = −b, |Δu| ≤ maxStep, u + Δu
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
function reflect(i: string, n: string): string {
  return `select(select(${i}, 2 * (${n} - 1) - (${i}), (${i}) >= ${n}), -(${i}), (${i}) < 0)`;
}

/** reflect, then clamped into [0, n): the clamp only matters for a tile's rows past the edge, which are not written. */
const reflectClamped = (i: string, n: string): string => `clamp(${reflect(i, n)}, 0, ${n} - 1)`;

const tapsKey = (t: readonly number[]): string => t.map((v) => Math.fround(v).toPrecision(7)).join(',');

/**
 * A flow program: sizes are uniforms, not shader constants (only filter taps and the tile are
 * baked in), so one pipeline serves every pyramid level, pair count and working size. On
 * SwiftShader each pipeline costs ~0.2–0.3 s to compile; with sizes baked in, a clip's first
 * flow compiled ~28 of them (and again for every new pair count the flow store asked for).
 */
abstract class FlowProgram extends FlatProgram {
  uniforms: string;
  private readonly dimValues: number[];
  constructor(threads: number, outputSize: number, shaderKey: string, dims: Record<string, number>) {
    super(threads, outputSize, shaderKey);
    this.uniforms = ['threads', ...Object.keys(dims)].map((k) => `${k} : i32,`).join(' ');
    this.dimValues = [threads, ...Object.values(dims)];
  }
  uniformData(): { type: string; data: number[] }[] {
    return this.dimValues.map((v) => ({ type: 'int32', data: [v] }));
  }
  protected override prologue(): string {
    return `if (index >= uniforms.threads) { return; }`;
  }
}

/** Index arithmetic shared by the per-pixel programs: n, y, x of pixel `index` in [N, h, w]. */
const pixelOf = `let x = index % uniforms.w;
      let y = (index / uniforms.w) % uniforms.h;
      let n = index / (uniforms.h * uniforms.w);`;

class DownProgram extends FlowProgram {
  variableNames = ['img'];
  constructor(
    b: number,
    hIn: number,
    wIn: number,
    private readonly binomial: readonly number[],
  ) {
    const size = b * Math.floor(hIn / 2) * Math.floor(wIn / 2);
    super(size, size, `cs_flow_down_${tapsKey(binomial)}`, { hIn, wIn, hOut: Math.floor(hIn / 2), wOut: Math.floor(wIn / 2) });
  }
  getUserCode(): string {
    const { binomial } = this;
    const r = (binomial.length - 1) / 2;
    // Output i averages blurred rows 2i and 2i + 1: row 2i + s − r, s = 0 … 2r + 1, weight ½(t[s] + t[s − 1]).
    const k = Array.from({ length: binomial.length + 1 }, (_, s) => 0.5 * ((binomial[s] ?? 0) + (binomial[s - 1] ?? 0)));
    const lines: string[] = [];
    for (let s = 0; s < k.length; s++) lines.push(`let r${s} = base + ${reflect(`2 * oy + ${s - r}`, 'uniforms.hIn')} * uniforms.wIn;`);
    for (let s = 0; s < k.length; s++) lines.push(`let c${s} = ${reflect(`2 * ox + ${s - r}`, 'uniforms.wIn')};`);
    const rows = k.map((_, sy) => `(${k.map((kx, sx) => `${lit(kx)} * img[r${sy} + c${sx}]`).join(' + ')})`);
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let ox = index % uniforms.wOut;
      let oy = (index / uniforms.wOut) % uniforms.hOut;
      let base = (index / (uniforms.hOut * uniforms.wOut)) * uniforms.hIn * uniforms.wIn;
      ${lines.join('\n      ')}
      result[index] = ${rows.map((row, sy) => `${lit(k[sy])} * ${row}`).join(' +\n        ')};
    }`;
  }
}

class BlurProgram extends FlowProgram {
  variableNames = ['img'];
  constructor(
    b: number,
    h: number,
    w: number,
    private readonly taps: readonly number[],
  ) {
    const size = b * h * w;
    super(size, size, `cs_flow_blur_${tapsKey(taps)}`, { h, w });
  }
  getUserCode(): string {
    const { taps } = this;
    const r = (taps.length - 1) / 2;
    const lines: string[] = [];
    taps.forEach((_, j) => lines.push(`let r${j} = base + ${reflect(`y + ${j - r}`, 'uniforms.h')} * uniforms.w;`));
    taps.forEach((_, k) => lines.push(`let c${k} = ${reflect(`x + ${k - r}`, 'uniforms.w')};`));
    // The op path filters along y first, then x: Σ_k tx[k] · (Σ_j ty[j] · I[y + j − r, x + k − r]).
    const col = (k: number) => `(${taps.map((ty, j) => `${lit(ty)} * img[r${j} + c${k}]`).join(' + ')})`;
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${pixelOf}
      let base = n * uniforms.h * uniforms.w;
      ${lines.join('\n      ')}
      result[index] = ${taps.map((tx, k) => `${lit(tx)} * ${col(k)}`).join(' +\n        ')};
    }`;
  }
}

class GradProgram extends FlowProgram {
  variableNames = ['img'];
  constructor(
    b: number,
    h: number,
    w: number,
    private readonly p: readonly number[],
    private readonly d: readonly number[],
  ) {
    const size = b * h * w;
    super(size, 3 * size, `cs_flow_grad_${tapsKey(p)}_${tapsKey(d)}`, { h, w });
  }
  getUserCode(): string {
    const { p, d } = this;
    const r = (p.length - 1) / 2;
    const lines: string[] = [];
    p.forEach((_, j) => lines.push(`let r${j} = base + ${reflect(`y + ${j - r}`, 'uniforms.h')} * uniforms.w;`));
    p.forEach((_, k) => lines.push(`let c${k} = ${reflect(`x + ${k - r}`, 'uniforms.w')};`));
    // v[j][k] = s[y + j − r, x + k − r];  ∂x = Σ_k d[k] Σ_j p[j] v,  ∂y = Σ_k p[k] Σ_j d[j] v.
    for (let j = 0; j < p.length; j++) for (let k = 0; k < p.length; k++) lines.push(`let v${j}_${k} = img[r${j} + c${k}];`);
    const pass = (ty: readonly number[], tx: readonly number[]) =>
      tx.map((wx, k) => `${lit(wx)} * (${ty.map((wy, j) => `${lit(wy)} * v${j}_${k}`).join(' + ')})`).join(' + ');
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${pixelOf}
      let base = n * uniforms.h * uniforms.w;
      ${lines.join('\n      ')}
      result[3 * index] = v${r}_${r};
      result[3 * index + 1] = ${pass(p, d)};
      result[3 * index + 2] = ${pass(d, p)};
    }`;
  }
}

class WarpProgram extends FlowProgram {
  variableNames = ['G', 'u'];
  constructor(n: number, h: number, w: number) {
    const size = n * h * w;
    super(size, 5 * size, 'cs_flow_warp', { h, w, pairs: n });
  }
  getUserCode(): string {
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${pixelOf}
      let wl = f32(uniforms.w - 1);
      let hl = f32(uniforms.h - 1);
      let xs = f32(x) + u[2 * index];
      let ys = f32(y) + u[2 * index + 1];
      let xc = clamp(xs, 0.0, wl);
      let yc = clamp(ys, 0.0, hl);
      let x0 = min(floor(xc), wl - 1.0);
      let y0 = min(floor(yc), hl - 1.0);
      let fx = xc - x0;
      let fy = yc - y0;
      // The second frame of pair n is image N + n of G.
      let i00 = 3 * ((uniforms.pairs + n) * uniforms.h * uniforms.w + i32(y0) * uniforms.w + i32(x0));
      let i10 = i00 + 3 * uniforms.w;
      var warped : array<f32, 3>;
      for (var c = 0; c < 3; c++) {
        let v00 = G[i00 + c];
        let v01 = G[i00 + 3 + c];
        let v10 = G[i10 + c];
        let v11 = G[i10 + 3 + c];
        let top = v00 + fx * (v01 - v00);
        let bottom = v10 + fx * (v11 - v10);
        warped[c] = top + fy * (bottom - top);
      }
      let inside = select(0.0, 1.0, (xs >= 0.0) & (xs <= wl) & (ys >= 0.0) & (ys <= hl));
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

/** Outputs per invocation of the window passes (along the filtered axis): neighbours share loads. */
const TILE = 8;

/**
 * Vertical window pass over C channels, TILE rows an invocation (each input row is read once and
 * added into every output row whose window holds it): from P (C = 5) or, for the confidence,
 * from G's gradients (C = 3 products [Ix², IxIy, Iy²] made here).
 */
class WindowYProgram extends FlowProgram {
  variableNames = ['P'];
  constructor(
    n: number,
    h: number,
    w: number,
    private readonly taps: readonly number[],
    private readonly source: 'products' | 'structure',
  ) {
    const tiles = Math.ceil(h / TILE);
    super(n * tiles * w, (source === 'products' ? 5 : 3) * n * h * w, `cs_flow_winy_${source}_${tapsKey(taps)}`, { h, w, tiles });
  }
  getUserCode(): string {
    const { taps, source } = this;
    const r = (taps.length - 1) / 2;
    const c = source === 'products' ? 5 : 3;
    const chans = Array.from({ length: c }, (_, ch) => ch);
    const rows = Array.from({ length: TILE }, (_, j) => j);
    const lines: string[] = [];
    for (let t = 0; t < TILE + 2 * r; t++) {
      const at = `(base + ${reflectClamped(`y0 + ${t - r}`, 'uniforms.h')} * uniforms.w)`;
      if (source === 'products') lines.push(`{ let q = 5 * ${at};`, ...chans.map((ch) => `let v${ch} = P[q + ${ch}];`));
      else lines.push(`{ let q = 3 * ${at}; let gx = P[q + 1]; let gy = P[q + 2];`, 'let v0 = gx * gx; let v1 = gx * gy; let v2 = gy * gy;');
      // Input row t feeds output row j with tap t − j.
      for (const j of rows) if (t - j >= 0 && t - j < taps.length) lines.push(chans.map((ch) => `a${j}_${ch} += ${lit(taps[t - j])} * v${ch};`).join(' '));
      lines.push('}');
    }
    const write = (j: number) => {
      const body = chans.map((ch) => `result[o + ${j * c} * uniforms.w + ${ch}] = a${j}_${ch};`).join(' ');
      return j > 0 ? `if (y0 + ${j} < uniforms.h) { ${body} }` : body;
    };
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let x = index % uniforms.w;
      let y0 = ((index / uniforms.w) % uniforms.tiles) * ${TILE};
      let n = index / (uniforms.w * uniforms.tiles);
      let base = n * uniforms.h * uniforms.w + x;
      ${rows.map((j) => chans.map((ch) => `var a${j}_${ch} = 0.0;`).join(' ')).join('\n      ')}
      ${lines.join('\n      ')}
      let o = ${c} * (base + y0 * uniforms.w);
      ${rows.map(write).join('\n      ')}
    }`;
  }
}

/**
 * Horizontal window pass of Q, TILE columns an invocation, then per pixel either the
 * Lucas–Kanade update of u or the smaller eigenvalue.
 */
class WindowXProgram extends FlowProgram {
  variableNames: string[];
  constructor(
    n: number,
    h: number,
    w: number,
    private readonly taps: readonly number[],
    private readonly mode: { solve: true; regularization: number; maxStep: number } | { solve: false },
  ) {
    const key = mode.solve ? `solve_${lit(mode.regularization)}_${lit(mode.maxStep)}` : 'eig';
    const tiles = Math.ceil(w / TILE);
    super(n * h * tiles, (mode.solve ? 2 : 1) * n * h * w, `cs_flow_winx_${key}_${tapsKey(taps)}`, { h, w, tiles });
    this.variableNames = mode.solve ? ['Q', 'u'] : ['Q'];
  }
  getUserCode(): string {
    const { taps, mode } = this;
    const r = (taps.length - 1) / 2;
    const c = mode.solve ? 5 : 3;
    const chans = Array.from({ length: c }, (_, ch) => ch);
    const cols = Array.from({ length: TILE }, (_, j) => j);
    const lines: string[] = [];
    for (let t = 0; t < TILE + 2 * r; t++) {
      lines.push(`{ let q = ${c} * (row + ${reflectClamped(`x0 + ${t - r}`, 'uniforms.w')});`, ...chans.map((ch) => `let v${ch} = Q[q + ${ch}];`));
      for (const j of cols) if (t - j >= 0 && t - j < taps.length) lines.push(chans.map((ch) => `a${j}_${ch} += ${lit(taps[t - j])} * v${ch};`).join(' '));
      lines.push('}');
    }
    const tail = (j: number) => {
      const a = (ch: number) => `a${j}_${ch}`;
      const body = mode.solve
        ? `{ let p = row + x0 + ${j};
        let aa = ${a(0)} + ${lit(mode.regularization)};
        let cc = ${a(2)} + ${lit(mode.regularization)};
        let det = aa * cc - ${a(1)} * ${a(1)};
        // (G + λ) Δu = −[p, q]  ⇒  Δu = −[c·p − b·q, a·q − b·p] / det
        let du = clamp((${a(1)} * ${a(4)} - cc * ${a(3)}) / det, ${lit(-mode.maxStep)}, ${lit(mode.maxStep)});
        let dv = clamp((${a(1)} * ${a(3)} - aa * ${a(4)}) / det, ${lit(-mode.maxStep)}, ${lit(mode.maxStep)});
        result[2 * p] = u[2 * p] + du;
        result[2 * p + 1] = u[2 * p + 1] + dv; }`
        : `{ let half = (${a(0)} - ${a(2)}) * 0.5;
        let root = sqrt(half * half + ${a(1)} * ${a(1)});
        result[row + x0 + ${j}] = max((${a(0)} + ${a(2)}) * 0.5 - root, 0.0); }`;
      return j > 0 ? `if (x0 + ${j} < uniforms.w) ${body}` : body;
    };
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let x0 = (index % uniforms.tiles) * ${TILE};
      let y = (index / uniforms.tiles) % uniforms.h;
      let n = index / (uniforms.tiles * uniforms.h);
      let row = (n * uniforms.h + y) * uniforms.w;
      ${cols.map((j) => chans.map((ch) => `var a${j}_${ch} = 0.0;`).join(' ')).join('\n      ')}
      ${lines.join('\n      ')}
      ${cols.map(tail).join('\n      ')}
    }`;
  }
}

/**
 * Grey pairs from frames [F, H, W, C] (C = 1, 3 or 4, scaled by 1 / maxValue; BT.601 luma as the
 * op path's toGray) → images [2P, H, W]: image k < P is frame from[k], image P + k is frame to[k]
 * (`pairs` [2P] int32 = from ++ to).
 */
class GrayProgram extends FlowProgram {
  variableNames = ['frames', 'pairs'];
  constructor(
    images: number,
    h: number,
    w: number,
    private readonly c: number,
    private readonly maxValue: number,
  ) {
    const size = images * h * w;
    super(size, size, `cs_flow_gray_${c}_${lit(maxValue)}`, { hw: h * w });
  }
  getUserCode(): string {
    const { c, maxValue } = this;
    const m = lit(maxValue);
    const value =
      c === 1 ? `frames[at] / ${m}` : `(frames[at] / ${m}) * ${lit(0.299)} + (frames[at + 1] / ${m}) * ${lit(0.587)} + (frames[at + 2] / ${m}) * ${lit(0.114)}`;
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let pixel = index % uniforms.hw;
      let frame = pairs[index / uniforms.hw];
      let at = (frame * uniforms.hw + pixel) * ${c};
      result[index] = ${value};
    }`;
  }
}

class UpProgram extends FlowProgram {
  variableNames = ['u'];
  constructor(n: number, hc: number, wc: number, h: number, w: number) {
    const size = n * h * w;
    super(size, 2 * size, 'cs_flow_up', { hc, wc, h, w });
  }
  getUserCode(): string {
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${pixelOf}
      let wl = f32(uniforms.wc - 1);
      let hl = f32(uniforms.hc - 1);
      // Fine pixel x sits at (x − ½)/2 on the coarse grid (coarse i centres on fine 2i + ½).
      let xc = clamp((f32(x) - 0.5) / 2.0, 0.0, wl);
      let yc = clamp((f32(y) - 0.5) / 2.0, 0.0, hl);
      let x0 = min(floor(xc), wl - 1.0);
      let y0 = min(floor(yc), hl - 1.0);
      let fx = xc - x0;
      let fy = yc - y0;
      let i00 = 2 * (n * uniforms.hc * uniforms.wc + i32(y0) * uniforms.wc + i32(x0));
      let i10 = i00 + 2 * uniforms.wc;
      for (var c = 0; c < 2; c++) {
        let v00 = u[i00 + c];
        let v01 = u[i00 + 2 + c];
        let v10 = u[i10 + c];
        let v11 = u[i10 + 2 + c];
        let top = v00 + fx * (v01 - v00);
        let bottom = v10 + fx * (v11 - v10);
        result[2 * index + c] = (top + fy * (bottom - top)) * 2.0;
      }
    }`;
  }
}

/** The kernels' names (tf.profile shows them), with the attributes each takes. */
export const FLOW_KERNELS = ['FlowGray', 'FlowDown', 'FlowBlur', 'FlowGrad', 'FlowWarp', 'FlowWinY', 'FlowSolve', 'FlowUp', 'FlowConfY', 'FlowConfX'] as const;
export type FlowKernelName = (typeof FLOW_KERNELS)[number];

type Info = tf.TensorInfo;
type Run = (backend: WebGPUBackend, inputs: Info[], attrs: Record<string, unknown>) => { program: FlowProgram; shape: number[] };

const num = (attrs: Record<string, unknown>, k: string): number => attrs[k] as number;
const taps = (attrs: Record<string, unknown>, k: string): number[] => attrs[k] as number[];

/** Each kernel: its program and output shape from the inputs' shapes (see the layouts above). */
const PROGRAMS: Record<FlowKernelName, Run> = {
  FlowGray: (_, [frames, pairs], a) => {
    const [, h, w, c] = frames.shape;
    if (![1, 3, 4].includes(c)) throw new Error(`FlowGray wants 1, 3 or 4 channels, got ${c}.`);
    return { program: new GrayProgram(pairs.shape[0], h, w, c, num(a, 'maxValue')), shape: [pairs.shape[0], h, w] };
  },
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
  FlowGray: ['frames', 'pairs'],
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
          const dtype = k === 'pairs' ? 'int32' : 'float32';
          if (!t || t.dtype !== dtype) throw new Error(`${name}: input ${k} must be a ${dtype} tensor.`);
          return t;
        });
        const { program, shape } = PROGRAMS[name](backend as WebGPUBackend, infos, attrs as Record<string, unknown>);
        if (sizeOf(shape) === 0) throw new Error(`${name}: empty output [${shape}].`);
        const out = (backend as WebGPUBackend).runWebGPUProgram(program, infos.map(flatView), 'float32', program.uniformData());
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
