// WGSL programs for a fast Conv3D on tfjs's WebGPU backend: forward, input gradient and filter
// gradient, each a register-tiled implicit GEMM.
//
// tfjs 4.22 computes all three with one thread per output element that re-derives 5-D indices
// from uniforms for every multiply (Conv3DNaiveProgram, Conv3DDerInputProgram,
// Conv3DDerFilterProgram). Seen as GEMMs over the channels-last layout:
//
//   forward        y[M=N·OD·OH·OW, CO]      = A_x[M, K=KD·KH·KW·CI] · W[K, CO]
//   input grad     dx[M'=N·ID·IH·IW, CI]    = A_dy[M', KD·KH·KW·CO] · Wᵀ
//   filter grad    dW[KD·KH·KW·CI, CO]      = A_xᵀ[KD·KH·KW·CI, R] · dy[R=N·OD·OH·OW, CO]
//
// where A is never materialised (implicit GEMM): each thread owns a TM × 4 register tile
// (TM = 4 neighbouring positions along W × 4 channels), walks the taps (kd, kh, kw) once per
// tile, and in the innermost channel loop does 4·TM fused multiply-adds per 4 + TM loads.
// Every size, stride and padding is baked into the shader as a constant, so loops have known
// trip counts and index arithmetic folds away (one compiled pipeline per layer geometry).
//
// The filter gradient has few outputs and a very long reduction (every output position), so it
// is split along the reduction (split-K): S partial sums of the whole filter, then one small
// pass adds them. Each thread's tap (kd, kh, kw) is fixed, so the valid range of `ow` is worked
// out once per thread and the inner loop has no bounds tests.
//
// Tensors are handed to these programs flattened to rank 1 (a free view): rank-5 index helpers
// are the source of several silent WebGPU bugs in tfjs 4.22 (../../../shared/TFJS-NOTES.md), and
// we index the buffers directly anyway.

import { FlatProgram } from './flat-program';

/** The geometry of one 3-D convolution, channels-last, as tfjs's Conv3DInfo gives it. */
export interface Conv3DGeometry {
  batch: number; // N
  inD: number; // ID (T)
  inH: number;
  inW: number;
  inC: number; // CI
  outD: number;
  outH: number;
  outW: number;
  outC: number; // CO
  kD: number;
  kH: number;
  kW: number;
  sD: number; // strides
  sH: number;
  sW: number;
  dD: number; // dilations (1 for the gradients)
  dH: number;
  dW: number;
  pD: number; // padding before (front, top, left)
  pH: number;
  pW: number;
}

/** Positions along W per thread (the M side of the register tile). */
const TILE_M = 4;
/** Channels per thread (the N side of the register tile; one vec4). */
const TILE_N = 4;

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

function geometryKey(g: Conv3DGeometry): string {
  return [
    g.batch,
    g.inD,
    g.inH,
    g.inW,
    g.inC,
    g.outD,
    g.outH,
    g.outW,
    g.outC,
    g.kD,
    g.kH,
    g.kW,
    g.sD,
    g.sH,
    g.sW,
    g.dD,
    g.dH,
    g.dW,
    g.pD,
    g.pH,
    g.pW,
  ].join('_');
}

/** `vec4<f32>(B[i + 0], …, B[i + 3])`, clamping lanes past `limit` (exclusive) to stay in bounds. */
function loadVec4(
  buf: string,
  base: string,
  lane0: string,
  limit: number,
  exact: boolean,
  stride = 1,
): string {
  const lanes = [0, 1, 2, 3].map((j) => {
    const lane = exact ? `${lane0} + ${j}` : `min(${lane0} + ${j}, ${limit - 1})`;
    return `${buf}[${base} + (${lane}) * ${stride}]`;
  });
  return `vec4<f32>(${lanes.join(', ')})`;
}

/**
 * y[n, od, oh, ow, co] = Σ_{kd,kh,kw,ci} x[n, od·sD − pD + kd·dD, …, ci] · W[kd, kh, kw, ci, co].
 * Thread ↔ (n, od, oh, a run of TILE_M ow, a group of 4 co); co-group fastest so neighbouring
 * invocations share x loads and read consecutive filter columns.
 */
export class Conv3DForwardProgram extends FlatProgram {
  variableNames = ['x', 'W'];

  constructor(private readonly g: Conv3DGeometry) {
    super(
      g.batch * g.outD * g.outH * ceilDiv(g.outW, TILE_M) * ceilDiv(g.outC, TILE_N),
      g.batch * g.outD * g.outH * g.outW * g.outC,
      `cs_conv3d_fwd_${geometryKey(g)}`,
    );
  }

  getUserCode(): string {
    const g = this.g;
    const CO4 = ceilDiv(g.outC, TILE_N);
    const OWT = ceilDiv(g.outW, TILE_M);
    const coExact = g.outC % TILE_N === 0;
    const CI4 = Math.floor(g.inC / 4) * 4;
    const M = [...Array(TILE_M).keys()];
    const accDecl = M.map((i) => `var acc${i} = vec4<f32>(0.0);`).join('\n');
    const posSetup = M.map(
      (i) => `
              let iw${i} = (ow0 + ${i}) * ${g.sW} - ${g.pW} + kw * ${g.dW};
              let ok${i} = (iw${i} >= 0) & (iw${i} < ${g.inW}) & (ow0 + ${i} < ${g.outW});
              let xb${i} = select(0, (rowX + iw${i}) * ${g.inC}, ok${i});
              let m${i} = select(0.0, 1.0, ok${i});`,
    ).join('');
    const wRow = (r: string) => loadVec4('W', `wb + (${r}) * ${g.outC}`, 'co0', g.outC, coExact);
    const body4 = `
              for (var ci = 0; ci < ${CI4}; ci += 4) {
                let w0 = ${wRow('ci')};
                let w1 = ${wRow('ci + 1')};
                let w2 = ${wRow('ci + 2')};
                let w3 = ${wRow('ci + 3')};
                ${M.map(
                  (
                    i,
                  ) => `{ let xv = vec4<f32>(x[xb${i} + ci], x[xb${i} + ci + 1], x[xb${i} + ci + 2], x[xb${i} + ci + 3]) * m${i};
                  acc${i} += xv.x * w0 + xv.y * w1 + xv.z * w2 + xv.w * w3; }`,
                ).join('\n                ')}
              }`;
    const rem = [...Array(g.inC - CI4).keys()]
      .map((r) => {
        const ci = CI4 + r;
        return `{ let w = ${wRow(String(ci))};
                ${M.map((i) => `acc${i} += (x[xb${i} + ${ci}] * m${i}) * w;`).join(' ')} }`;
      })
      .join('\n              ');
    const writes = M.map(
      (i) => `
        if (ow0 + ${i} < ${g.outW}) {
          let o = (rowY + ow0 + ${i}) * ${g.outC} + co0;
          ${[0, 1, 2, 3].map((j) => (coExact ? `result[o + ${j}] = acc${i}[${j}];` : `if (co0 + ${j} < ${g.outC}) { result[o + ${j}] = acc${i}[${j}]; }`)).join(' ')}
        }`,
    ).join('');
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let cg = index % ${CO4};
      var t = index / ${CO4};
      let owt = t % ${OWT}; t = t / ${OWT};
      let oh = t % ${g.outH}; t = t / ${g.outH};
      let od = t % ${g.outD};
      let n = t / ${g.outD};
      let co0 = cg * 4;
      let ow0 = owt * ${TILE_M};
      ${accDecl}
      for (var kd = 0; kd < ${g.kD}; kd++) {
        let id = od * ${g.sD} - ${g.pD} + kd * ${g.dD};
        if ((id < 0) | (id >= ${g.inD})) { continue; }
        for (var kh = 0; kh < ${g.kH}; kh++) {
          let ih = oh * ${g.sH} - ${g.pH} + kh * ${g.dH};
          if ((ih < 0) | (ih >= ${g.inH})) { continue; }
          let rowX = ((n * ${g.inD} + id) * ${g.inH} + ih) * ${g.inW};
          for (var kw = 0; kw < ${g.kW}; kw++) {
            let wb = ((kd * ${g.kH} + kh) * ${g.kW} + kw) * ${g.inC * g.outC};
            ${posSetup}
            ${CI4 > 0 ? body4 : ''}
            ${rem}
          }
        }
      }
      let rowY = ((n * ${g.outD} + od) * ${g.outH} + oh) * ${g.outW};
      ${writes}
    }`;
  }
}

/**
 * dx[n, id, ih, iw, ci] = Σ_{kd,kh,kw,co} dy[n, od, oh, ow, co] · W[kd, kh, kw, ci, co]
 * over the (od, oh, ow) with od·sD − pD + kd = id etc. (dilation 1, as tfjs's gradient requires).
 * Thread ↔ (n, id, ih, a run of TILE_M iw, a group of 4 ci).
 */
export class Conv3DBackpropInputProgram extends FlatProgram {
  variableNames = ['dy', 'W'];

  constructor(private readonly g: Conv3DGeometry) {
    super(
      g.batch * g.inD * g.inH * ceilDiv(g.inW, TILE_M) * ceilDiv(g.inC, TILE_N),
      g.batch * g.inD * g.inH * g.inW * g.inC,
      `cs_conv3d_dx_${geometryKey(g)}`,
    );
  }

  getUserCode(): string {
    const g = this.g;
    const CI4g = ceilDiv(g.inC, TILE_N);
    const IWT = ceilDiv(g.inW, TILE_M);
    const ciExact = g.inC % TILE_N === 0;
    const CO4 = Math.floor(g.outC / 4) * 4;
    const M = [...Array(TILE_M).keys()];
    // Filter row for input channel ci0 + j, as 4 consecutive output channels starting at `co`.
    const ciLane = (j: number) => (ciExact ? `ci0 + ${j}` : `min(ci0 + ${j}, ${g.inC - 1})`);
    const wv = (j: number, co: string) =>
      `vec4<f32>(W[wb + (${ciLane(j)}) * ${g.outC} + ${co}], W[wb + (${ciLane(j)}) * ${g.outC} + ${co} + 1], W[wb + (${ciLane(j)}) * ${g.outC} + ${co} + 2], W[wb + (${ciLane(j)}) * ${g.outC} + ${co} + 3])`;
    const ws = (j: number, co: string) => `W[wb + (${ciLane(j)}) * ${g.outC} + ${co}]`;
    const posSetup = M.map(
      (i) => `
              let tw${i} = iw0 + ${i} + ${g.pW} - kw;
              let ok${i} = (tw${i} >= 0) & (tw${i} % ${g.sW} == 0) & (tw${i} / ${g.sW} < ${g.outW}) & (iw0 + ${i} < ${g.inW});
              let yb${i} = select(0, (rowY + tw${i} / ${g.sW}) * ${g.outC}, ok${i});
              let m${i} = select(0.0, 1.0, ok${i});`,
    ).join('');
    const body4 = `
              for (var co = 0; co < ${CO4}; co += 4) {
                let w0 = ${wv(0, 'co')};
                let w1 = ${wv(1, 'co')};
                let w2 = ${wv(2, 'co')};
                let w3 = ${wv(3, 'co')};
                ${M.map(
                  (
                    i,
                  ) => `{ let d = vec4<f32>(dy[yb${i} + co], dy[yb${i} + co + 1], dy[yb${i} + co + 2], dy[yb${i} + co + 3]) * m${i};
                  acc${i} += vec4<f32>(dot(d, w0), dot(d, w1), dot(d, w2), dot(d, w3)); }`,
                ).join('\n                ')}
              }`;
    const rem = [...Array(g.outC - CO4).keys()]
      .map((r) => {
        const co = String(CO4 + r);
        return `{ let w = vec4<f32>(${[0, 1, 2, 3].map((j) => ws(j, co)).join(', ')});
                ${M.map((i) => `acc${i} += (dy[yb${i} + ${co}] * m${i}) * w;`).join(' ')} }`;
      })
      .join('\n              ');
    const writes = M.map(
      (i) => `
        if (iw0 + ${i} < ${g.inW}) {
          let o = (rowX + iw0 + ${i}) * ${g.inC} + ci0;
          ${[0, 1, 2, 3].map((j) => (ciExact ? `result[o + ${j}] = acc${i}[${j}];` : `if (ci0 + ${j} < ${g.inC}) { result[o + ${j}] = acc${i}[${j}]; }`)).join(' ')}
        }`,
    ).join('');
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let cg = index % ${CI4g};
      var t = index / ${CI4g};
      let iwt = t % ${IWT}; t = t / ${IWT};
      let ih = t % ${g.inH}; t = t / ${g.inH};
      let id = t % ${g.inD};
      let n = t / ${g.inD};
      let ci0 = cg * 4;
      let iw0 = iwt * ${TILE_M};
      ${M.map((i) => `var acc${i} = vec4<f32>(0.0);`).join('\n')}
      for (var kd = 0; kd < ${g.kD}; kd++) {
        let td = id + ${g.pD} - kd;
        if ((td < 0) | (td % ${g.sD} != 0) | (td / ${g.sD} >= ${g.outD})) { continue; }
        let od = td / ${g.sD};
        for (var kh = 0; kh < ${g.kH}; kh++) {
          let th = ih + ${g.pH} - kh;
          if ((th < 0) | (th % ${g.sH} != 0) | (th / ${g.sH} >= ${g.outH})) { continue; }
          let oh = th / ${g.sH};
          let rowY = ((n * ${g.outD} + od) * ${g.outH} + oh) * ${g.outW};
          for (var kw = 0; kw < ${g.kW}; kw++) {
            let wb = ((kd * ${g.kH} + kh) * ${g.kW} + kw) * ${g.inC * g.outC};
            ${posSetup}
            ${CO4 > 0 ? body4 : ''}
            ${rem}
          }
        }
      }
      let rowX = ((n * ${g.inD} + id) * ${g.inH} + ih) * ${g.inW};
      ${writes}
    }`;
  }
}

/** How the filter gradient's reduction is split. */
interface SplitPlan {
  /** Number of partial sums (S). */
  splits: number;
  /** Rows (n, od, oh) per split; the last split may get fewer. */
  rowsPerSplit: number;
}

/**
 * Enough partial sums to keep ~`targetThreads` invocations busy, at least `minRows` rows of
 * reduction each, and at most ~`maxPartialFloats` floats of scratch.
 */
export function planFilterSplit(
  g: Conv3DGeometry,
  targetThreads = 16384,
  minRows = 4,
  maxPartialFloats = 1 << 24,
): SplitPlan {
  const rows = g.batch * g.outD * g.outH;
  const perSplit = g.kD * g.kH * g.kW * ceilDiv(g.inC, TILE_N) * ceilDiv(g.outC, TILE_N);
  const filterSize = g.kD * g.kH * g.kW * g.inC * g.outC;
  let splits = Math.max(
    1,
    Math.min(
      ceilDiv(targetThreads, perSplit),
      Math.floor(rows / minRows),
      Math.floor(maxPartialFloats / filterSize),
    ),
  );
  const rowsPerSplit = ceilDiv(rows, splits);
  splits = ceilDiv(rows, rowsPerSplit);
  return { splits, rowsPerSplit };
}

/**
 * Partial filter gradients: part[s, kd, kh, kw, ci, co] = Σ over rows (n, od, oh) of split s and
 * every ow of x[n, id, ih, iw, ci] · dy[n, od, oh, ow, co]. Thread ↔ (s, tap, 4 ci, 4 co) with a
 * 4 × 4 register tile (one outer product per position).
 */
export class Conv3DFilterPartialProgram extends FlatProgram {
  variableNames = ['x', 'dy'];

  constructor(
    private readonly g: Conv3DGeometry,
    private readonly plan: SplitPlan,
  ) {
    super(
      plan.splits * g.kD * g.kH * g.kW * ceilDiv(g.inC, TILE_N) * ceilDiv(g.outC, TILE_N),
      plan.splits * g.kD * g.kH * g.kW * g.inC * g.outC,
      `cs_conv3d_dw_${geometryKey(g)}_${plan.splits}_${plan.rowsPerSplit}`,
    );
  }

  getUserCode(): string {
    const g = this.g;
    const { rowsPerSplit } = this.plan;
    const rows = g.batch * g.outD * g.outH;
    const CO4 = ceilDiv(g.outC, TILE_N);
    const CI4 = ceilDiv(g.inC, TILE_N);
    const ciExact = g.inC % TILE_N === 0;
    const coExact = g.outC % TILE_N === 0;
    const filterSize = g.kD * g.kH * g.kW * g.inC * g.outC;
    const xLane = (j: number) => (ciExact ? `ci0 + ${j}` : `min(ci0 + ${j}, ${g.inC - 1})`);
    const dyLane = (j: number) => (coExact ? `co0 + ${j}` : `min(co0 + ${j}, ${g.outC - 1})`);
    const writes = [0, 1, 2, 3]
      .map((j) => {
        const row = `o + ${j} * ${g.outC}`;
        const lanes = [0, 1, 2, 3]
          .map((k) =>
            coExact
              ? `result[${row} + ${k}] = acc${j}[${k}];`
              : `if (co0 + ${k} < ${g.outC}) { result[${row} + ${k}] = acc${j}[${k}]; }`,
          )
          .join(' ');
        return ciExact ? lanes : `if (ci0 + ${j} < ${g.inC}) { ${lanes} }`;
      })
      .join('\n      ');
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let cog = index % ${CO4};
      var t = index / ${CO4};
      let cig = t % ${CI4}; t = t / ${CI4};
      let kw = t % ${g.kW}; t = t / ${g.kW};
      let kh = t % ${g.kH}; t = t / ${g.kH};
      let kd = t % ${g.kD};
      let s = t / ${g.kD};
      let ci0 = cig * 4;
      let co0 = cog * 4;
      // ow with 0 <= ow·sW − pW + kw < inW, worked out once for this thread's tap.
      let owLo = max(0, ${g.pW + g.sW - 1} - kw) / ${g.sW}; // ⌈(pW − kw) / sW⌉, at least 0
      let numHi = ${g.inW - 1 + g.pW} - kw;
      let owHi = select(0, min(${g.outW}, numHi / ${g.sW} + 1), numHi >= 0);
      var acc0 = vec4<f32>(0.0);
      var acc1 = vec4<f32>(0.0);
      var acc2 = vec4<f32>(0.0);
      var acc3 = vec4<f32>(0.0);
      let r0 = s * ${rowsPerSplit};
      let r1 = min(r0 + ${rowsPerSplit}, ${rows});
      for (var r = r0; r < r1; r++) {
        let oh = r % ${g.outH};
        let od = (r / ${g.outH}) % ${g.outD};
        let n = r / ${g.outH * g.outD};
        let id = od * ${g.sD} - ${g.pD} + kd;
        let ih = oh * ${g.sH} - ${g.pH} + kh;
        if ((id < 0) | (id >= ${g.inD}) | (ih < 0) | (ih >= ${g.inH})) { continue; }
        let rowX = ((n * ${g.inD} + id) * ${g.inH} + ih) * ${g.inW};
        let rowY = r * ${g.outW};
        for (var ow = owLo; ow < owHi; ow++) {
          let xb = (rowX + ow * ${g.sW} - ${g.pW} + kw) * ${g.inC};
          let yb = (rowY + ow) * ${g.outC};
          let xv = vec4<f32>(x[xb + ${xLane(0)}], x[xb + ${xLane(1)}], x[xb + ${xLane(2)}], x[xb + ${xLane(3)}]);
          let dv = vec4<f32>(dy[yb + ${dyLane(0)}], dy[yb + ${dyLane(1)}], dy[yb + ${dyLane(2)}], dy[yb + ${dyLane(3)}]);
          acc0 += xv.x * dv;
          acc1 += xv.y * dv;
          acc2 += xv.z * dv;
          acc3 += xv.w * dv;
        }
      }
      let o = s * ${filterSize} + ((((kd * ${g.kH} + kh) * ${g.kW} + kw) * ${g.inC}) + ci0) * ${g.outC} + co0;
      ${writes}
    }`;
  }
}

/** out[e] = Σ_s part[s·E + e]: adds the split-K partial sums of the filter gradient. */
export class SumPartialsProgram extends FlatProgram {
  variableNames = ['part'];

  constructor(
    private readonly numElements: number,
    private readonly splits: number,
  ) {
    super(numElements, numElements, `cs_sum_partials_${numElements}_${splits}`);
  }

  getUserCode(): string {
    return `
    fn main(index : i32) {
      ${this.prologue()}
      var acc = 0.0;
      for (var s = 0; s < ${this.splits}; s++) {
        acc += part[s * ${this.numElements} + index];
      }
      result[index] = acc;
    }`;
  }
}
