// SlowFast networks (Feichtenhofer, Fan, Malik, He, "SlowFast Networks for Video Recognition",
// ICCV 2019): the 'slowfast' variant of the two-stream family (two-stream.ts registers it).
// Two pathways read the same clip at two frame rates and are fused by lateral connections:
//
//   frames [N, T, H, W, 3]
//     ├─ every frame ──────────────▶ fast pathway: T frames, β·C channels (cheap, sees motion)
//     └─ T/α frames (linspace) ────▶ slow pathway: T/α frames, C channels (sees appearance)
//
//   slow: stem(1×7×7, C) ─┬─cat─ res2 ─cat─ res3 ─cat─ res4 ─cat─ res5 ─ avg-pool ─┐
//                          │       ▲       ▲       ▲       ▲                        ├─cat─ fc ─ softmax
//   fast: stem(5×7×7, βC) ─┴─ lateral ─ res2 ─ lateral ─ res3 ─ lateral ─ res4 ─ lateral ─ res5 ─ avg-pool ─┘
//                 lateral = conv (k_f×1×1, 2·βC_f channels, temporal stride α) + BN + ReLU:
//                 it squeezes the fast features to the slow frame rate, then concatenates them
//                 to the slow pathway's channels.
//
// Each res stage is a stack of 3D bottleneck blocks (k_t×1×1 → 1×3×3 → 1×1×1, ×4 expansion, BN,
// ReLU; projection shortcut on the first block). Slow uses temporal kernel 1 in res2/res3 and 3 in
// res4/res5 (temporal convs only where the features are semantic); fast uses 3 everywhere.
//
// Reference preset `slowfast_r50`: PySlowFast's configs/Kinetics/SLOWFAST_4x16_R50.yaml
// (facebookresearch/SlowFast, slowfast/models/video_model_builder.py `SlowFast`): 32 input frames
// (fast T = 32, slow T/α = 4, α = 8, β = 1/8), 224×224, 400 classes, R50 stages [3, 4, 6, 3],
// width_per_group 64, FUSION_CONV_CHANNEL_RATIO 2, FUSION_KERNEL_SZ 5, stem kernels 1×7×7 (slow)
// and 5×7×7 (fast), bias-free convs, BatchNorm3d everywhere, head Linear(2048 + 256 → 400).
// That definition has exactly 34,480,216 trainable parameters (+ 60,688 BN running statistics)
// and 27.64 G conv/linear MACs at 224×224; at the paper's 256×256 test crop the same count gives
// 36.1 G, the paper's "36.1 GFLOPs" per view (Table 2). pytorchvideo's `slowfast_r50`, whose
// laterals are 7×1×1 instead of 5×1×1, has 2·(8·16 + 32·64 + 64·128 + 128·256) = 86,272 more
// weights: 34,566,488, the "34.57 M" it publishes.
//
// Written once against `Net` (blocks/net.ts): the rank-5 batch norm and pooling workarounds live in
// blocks/layers-net.ts. Convolutions use 'same' padding, which gives PyTorch's k//2 output sizes
// for every (odd) kernel here. Configs and presets: presets/two-stream.ts.

import { describeNet } from './blocks/describe-net';
import { buildNet } from './blocks/layers-net';
import { convBn, convBnRelu } from './blocks/conv-bn-relu';
import { framesInput, type Net, type NetSpec } from './blocks/net';
import type { SlowFastConfig } from './presets/two-stream';
import type { BuiltModel, ClipSpec, Description } from './types';

/**
 * The slow pathway's frame indices, as PySlowFast's pack_pathway_output: linspace(0, T−1, K)
 * truncated, with K = T/α. When α does not divide T we take K = ⌈T/α⌉, the frame count the
 * lateral convs (temporal stride α, padding k_f/2) produce, so the pathways still line up.
 */
export function slowFrameIndices(numFrames: number, alpha: number): number[] {
  if (!(Number.isInteger(alpha) && alpha >= 1))
    throw new Error(`SlowFast: α must be a positive integer, got ${alpha}.`);
  if (numFrames < 1) throw new Error(`SlowFast: the clip has no frames.`);
  const k = Math.ceil(numFrames / alpha);
  if (k === 1) return [0];
  return Array.from({ length: k }, (_, i) => Math.floor((i * (numFrames - 1)) / (k - 1)));
}

function validate(c: SlowFastConfig, clip: ClipSpec): void {
  const n = c.blocks.length;
  if (c.slowTemporal.length !== n || c.fastTemporal.length !== n || c.spatialStrides.length !== n) {
    throw new Error(
      `SlowFast: blocks, slowTemporal, fastTemporal and spatialStrides need one entry per stage (${n}).`,
    );
  }
  if (c.stemWidth % c.betaInv !== 0 || c.widthPerGroup % c.betaInv !== 0) {
    throw new Error(
      `SlowFast: widths ${c.stemWidth} and ${c.widthPerGroup} must divide by β_inv = ${c.betaInv}.`,
    );
  }
  slowFrameIndices(clip.numFrames, c.alpha);
}

type Pathway = 'slow' | 'fast';

/** Channels of stage i per pathway: bottleneck inner width and output (expansion 4). */
function stageWidths(
  c: SlowFastConfig,
  i: number,
): Record<Pathway, { inner: number; out: number }> {
  const inner = c.widthPerGroup * 2 ** i;
  return {
    slow: { inner, out: 4 * inner },
    fast: { inner: inner / c.betaInv, out: (4 * inner) / c.betaInv },
  };
}

/** PySlowFast's layer names: a conv `x`, then `x_bn` and `x_relu`. */
const pyNames = (conv: string) => ({ bn: `${conv}_bn`, relu: `${conv}_relu` });

interface BottleneckSpec {
  name: string;
  inner: number;
  out: number;
  kt: number; // temporal kernel of the first conv
  stride: number; // spatial stride of the 3×3 conv
}

/** A 3D bottleneck: k_t×1×1 → 1×3×3 (stride 1×s×s) → 1×1×1, projection shortcut when the shape changes. */
function bottleneck<X>(net: Net<X>, x: X, o: BottleneckSpec): X {
  const cin = net.shape(x).at(-1);
  const s = o.stride;
  const [a, b, c, proj] = ['a', 'b', 'c', 'branch1'].map((part) => `${o.name}.${part}`);
  let y = convBnRelu(net, x, { name: a, filters: o.inner, kernel: [o.kt, 1, 1] }, pyNames(a));
  y = convBnRelu(
    net,
    y,
    { name: b, filters: o.inner, kernel: [1, 3, 3], stride: [1, s, s] },
    pyNames(b),
  );
  // The last BN starts at zero (PySlowFast's ZERO_INIT_FINAL_BN): each block starts as the identity.
  y = convBn(
    net,
    y,
    { name: c, filters: o.out, kernel: [1, 1, 1] },
    { bn: `${c}_bn`, zeroGamma: true },
  );
  const needsProj = cin !== o.out || s !== 1;
  const shortcut = needsProj
    ? convBn(
        net,
        x,
        { name: proj, filters: o.out, kernel: [1, 1, 1], stride: [1, s, s] },
        { bn: `${proj}_bn` },
      )
    : x;
  return net.relu(net.add(shortcut, y, `${o.name}.add`), `${o.name}.relu`);
}

export function slowFastNet(c: SlowFastConfig, clip: ClipSpec): NetSpec {
  validate(c, clip);
  const slowIdx = slowFrameIndices(clip.numFrames, c.alpha);
  const k = c.stemKernel;
  const temporalKernels: Record<Pathway, number[]> = { slow: c.slowTemporal, fast: c.fastTemporal };
  return {
    inputs: [framesInput(clip)],
    body: (net, [input]) => {
      const subsampled = net.gatherTime(input, 'slow.subsample', slowIdx, {
        note: `frames ${slowIdx.join(', ')} of ${clip.numFrames} (T/α)`,
      });
      const path: Record<Pathway, typeof input> = { slow: subsampled, fast: input }; // [N, T/α, H, W, C] and [N, T, H, W, C]
      const stem = (p: Pathway, kt: number, width: number) => {
        const conv = `${p}.stem`;
        const y = convBnRelu(
          net,
          path[p],
          { name: conv, filters: width, kernel: [kt, k, k], stride: [1, 2, 2] },
          pyNames(conv),
        );
        path[p] = c.stemPool
          ? net.pool(y, {
              name: `${p}.stem_pool`,
              kind: 'max',
              size: [1, 3, 3],
              stride: [1, 2, 2],
              pad: 'same',
            })
          : y;
      };
      // fast → slow: squeeze the fast features to the slow frame rate, then add them as channels.
      const lateral = (name: string) => {
        const filters = c.fusionRatio * (net.shape(path.fast).at(-1) as number);
        const note = `fast → slow: ${c.fusionKernel}×1×1, temporal stride α = ${c.alpha}`;
        const spec = {
          name: `${name}.conv`,
          filters,
          kernel: [c.fusionKernel, 1, 1] as const,
          stride: [c.alpha, 1, 1] as const,
          temporal: true,
          note,
        };
        const f = convBnRelu(net, path.fast, spec, { bn: `${name}.bn`, relu: `${name}.relu` });
        const [fromFast, slowFrames] = [net.shape(f)[0], net.shape(path.slow)[0]];
        if (fromFast !== slowFrames)
          throw new Error(
            `SlowFast: the lateral gives ${fromFast} frames but the slow pathway has ${slowFrames}.`,
          );
        path.slow = net.concat([path.slow, f], `${name}.concat`, {
          temporal: true,
          note: 'slow channels + lateral channels',
        });
      };
      stem('slow', c.stemTemporal[0], c.stemWidth);
      stem('fast', c.stemTemporal[1], c.stemWidth / c.betaInv);
      lateral('fuse1');
      c.blocks.forEach((nb, i) => {
        const widths = stageWidths(c, i);
        for (const p of ['slow', 'fast'] as const) {
          for (let b = 0; b < nb; b++) {
            const spec = {
              name: `${p}.res${i + 2}.${b}`,
              ...widths[p],
              kt: temporalKernels[p][i],
              stride: b === 0 ? c.spatialStrides[i] : 1,
            };
            path[p] = bottleneck(net, path[p], spec);
          }
        }
        if (i < c.blocks.length - 1) lateral(`fuse${i + 2}`);
      });
      // Global average pool per pathway, [N, T, H, W, C] → [N, C], then both side by side.
      const pooled = [
        net.globalAvgPool(path.slow, 'slow.pool', 3),
        net.globalAvgPool(path.fast, 'fast.pool', 3),
      ];
      const feat = net.concat(pooled, 'pool_concat', { note: 'slow + fast channels' });
      return net.dense(net.dropout(feat, c.dropout, 'dropout'), clip.numClasses, 'head', 'softmax');
    },
  };
}

export function buildSlowFast(c: SlowFastConfig, clip: ClipSpec): BuiltModel {
  return buildNet(slowFastNet(c, clip), 'slowfast');
}

export function describeSlowFast(c: SlowFastConfig, clip: ClipSpec): Description {
  const { layers, totals } = describeNet(slowFastNet(c, clip));
  const macsOf = (prefix: string) =>
    layers.filter((r) => r.name.startsWith(prefix)).reduce((a, r) => a + r.macs, 0);
  const [slowMacs, fastMacs, fuseMacs] = [macsOf('slow.'), macsOf('fast.'), macsOf('fuse')];
  const pct = (x: number) => `${((100 * x) / (slowMacs + fastMacs + fuseMacs)).toFixed(1)} %`;
  return {
    family: 'two-stream',
    variant: 'slowfast',
    clip,
    layers,
    totals,
    extras: [
      {
        label: 'Frame rates',
        value: `slow sees T/α = ${slowFrameIndices(clip.numFrames, c.alpha).length} frames, fast sees T = ${clip.numFrames} (α = ${c.alpha})`,
      },
      {
        label: 'Channels',
        value: `fast pathway has β = 1/${c.betaInv} of the slow channels (stem ${c.stemWidth} vs ${c.stemWidth / c.betaInv})`,
      },
      {
        label: 'Compute split',
        value: `slow ${pct(slowMacs)}, fast ${pct(fastMacs)}, lateral ${pct(fuseMacs)} of conv MACs`,
      },
    ],
  };
}
