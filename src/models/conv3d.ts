// 3D convolution family: filters that slide over time as well as space, so every layer can
// respond to motion. Two builders over the same blocks (blocks-3d.ts):
//
// C3D-style stack (Tran et al., "Learning Spatiotemporal Features with 3D Convolutional
// Networks", ICCV 2015): stages of k_t×k×k convs and 3D pooling, then a classifier.
//
//   clip [N, T, H, W, C]
//     ─▶ stage 1: (conv k_t×k×k ─▶ [BN] ─▶ ReLU) × convs ─▶ pool p_t×p×p      (C3D pool1 is 1×2×2:
//     ─▶ stage 2 … S                                                            keep time early)
//     ─▶ head: flatten ─▶ (fc ─▶ ReLU ─▶ dropout) × len(fc)    or    global mean over T·H·W
//     ─▶ fc K + softmax ─▶ [N, K]
//
// Video ResNets (Tran et al., "A Closer Look at Spatiotemporal Convolutions for Action
// Recognition", CVPR 2018), exactly as torchvision.models.video builds them:
//   R3D-18:      stem 3×7×7 ─▶ 4 stages × 2 BasicBlocks of 3×3×3 convs ─▶ GAP ─▶ fc
//   MC3-18:      stage 1 with 3×3×3 convs, stages 2–4 with 1×3×3 ("mixed convolutions": 3D
//                low, 2D high)
//   R(2+1)D-18:  every 3×3×3 conv factorised into 1×3×3 then 3×1×1 (see blocks-3d.ts)
//
// All shapes are channels-last; T, H, W shrink by the strides shown in `describe()`.

import * as tf from '@tensorflow/tfjs';
import { convBnRelu, Describe3d, Layers3d, midplanes, videoResNetStages, videoStem, type ConvMaker, type Net3d, type Triple } from './blocks-3d';
import { sumTotals } from './describe';
import type { BuiltModel, ClipSpec, Description, FamilyDef } from './types';

export interface C3dStage {
  filters: number;
  convs: number; // k_t×k×k convs in this stage
  pool: Triple; // pooling after the stage, [p_t, p, p]; [1, 1, 1] for none
}

export interface Conv3dConfig {
  /** 'c3d': the configurable stack; the rest: torchvision's video ResNets. */
  variant: 'c3d' | 'r3d' | 'mc3' | 'r2plus1d'; // default 'c3d'
  // ── C3D stack ──
  stages: C3dStage[]; // default tiny: [8 ch, 1 conv, pool 1×2×2], [16 ch, 1 conv, pool 2×2×2]
  kernelT: number; // default 3: k_t, the temporal extent of every conv
  kernel: number; // default 3: k, the spatial extent
  batchNorm: boolean; // default true: BN after each conv (C3D itself has none; BN trains faster)
  head: 'flatten' | 'gap'; // default 'gap': C3D flattens pool5 into fc6
  fc: number[]; // default []: hidden fc widths before the classifier; C3D: [4096, 4096]
  dropout: number; // default 0: after each hidden fc (C3D: 0.5)
  // ── video ResNets ──
  stemWidth: number; // default 64
  widths: number[]; // default [64, 128, 256, 512]
  blocks: number[]; // default [2, 2, 2, 2] (the "18")
}

export const defaultConv3dConfig: Conv3dConfig = {
  variant: 'c3d',
  stages: [
    { filters: 8, convs: 1, pool: [1, 2, 2] },
    { filters: 16, convs: 1, pool: [2, 2, 2] },
  ],
  kernelT: 3,
  kernel: 3,
  batchNorm: true,
  head: 'gap',
  fc: [],
  dropout: 0,
  stemWidth: 64,
  widths: [64, 128, 256, 512],
  blocks: [2, 2, 2, 2],
};

/** The conv maker of each ResNet stage, per variant (torchvision's `conv_makers`). */
function makersOf(variant: Conv3dConfig['variant'], stages: number): ConvMaker[] {
  if (variant === 'r3d') return Array<ConvMaker>(stages).fill('3d');
  if (variant === 'mc3') return Array.from({ length: stages }, (_, i): ConvMaker => (i === 0 ? '3d' : 'no-temporal'));
  return Array<ConvMaker>(stages).fill('2plus1d');
}

function checkConfig(c: Conv3dConfig, clip: ClipSpec): void {
  const bad = (what: string) => {
    throw new Error(`conv3d: ${what}.`);
  };
  if (clip.numFrames < 1 || clip.height < 1 || clip.width < 1) bad(`the clip must have at least 1×1×1 frames, got ${clip.numFrames}×${clip.height}×${clip.width}`);
  if (clip.numClasses < 2) bad(`need at least 2 classes, got ${clip.numClasses}`);
  if (c.variant === 'c3d') {
    if (c.stages.length === 0) bad('the C3D stack needs at least one stage');
    if (!(c.kernelT >= 1 && c.kernel >= 1)) bad(`kernel sizes must be ≥ 1, got k_t=${c.kernelT}, k=${c.kernel}`);
    if (c.dropout < 0 || c.dropout >= 1) bad(`dropout must be in [0, 1), got ${c.dropout}`);
  } else if (c.widths.length === 0 || c.widths.length !== c.blocks.length) bad(`a video ResNet needs as many widths as block counts, got ${c.widths.length} and ${c.blocks.length}`);
}

/** The whole network on either Net3d: the one code path behind build and describe. */
function conv3dNet<X>(net: Net3d<X>, input: X, c: Conv3dConfig, clip: ClipSpec): X {
  checkConfig(c, clip);
  let x = input;
  if (c.variant === 'c3d') {
    c.stages.forEach((st, i) => {
      for (let j = 0; j < st.convs; j++) {
        const name = `conv${i + 1}${String.fromCharCode(97 + j)}`; // conv1a, conv3b, … as in the paper
        const spec = { name, filters: st.filters, kernel: [c.kernelT, c.kernel, c.kernel] as Triple };
        x = c.batchNorm ? convBnRelu(net, x, spec) : net.relu(net.conv(x, spec), `${name}.relu`);
      }
      if (st.pool.some((p) => p > 1)) x = net.pool(x, { name: `pool${i + 1}`, kind: 'max', size: st.pool });
    });
    if (c.head === 'gap') x = net.globalAvgPool(x, 'gap');
    else x = net.flatten(x, 'flatten');
    c.fc.forEach((units, i) => {
      x = net.dropout(net.dense(x, units, `fc${i + c.stages.length + 1}`, 'relu'), c.dropout, `fc${i + c.stages.length + 1}.dropout`);
    });
    return net.dense(x, clip.numClasses, 'fc_out', 'softmax');
  }
  x = videoStem(net, x, c.variant === 'r2plus1d' ? '2plus1d' : 'basic', c.stemWidth);
  x = videoResNetStages(net, x, { widths: c.widths, blocks: c.blocks, makers: makersOf(c.variant, c.widths.length) });
  x = net.globalAvgPool(x, 'avgpool');
  return net.dense(x, clip.numClasses, 'fc', 'softmax');
}

export function buildConv3d(config: Conv3dConfig, clip: ClipSpec): BuiltModel {
  const input = tf.input({ shape: [clip.numFrames, clip.height, clip.width, clip.channels], name: 'frames' });
  const out = conv3dNet(new Layers3d(), input, config, clip);
  return { model: tf.model({ inputs: input, outputs: out, name: `conv3d_${config.variant}` }), inputs: ['frames'] };
}

export function describeConv3d(config: Conv3dConfig, clip: ClipSpec): Description {
  const net = new Describe3d();
  conv3dNet(net, [clip.numFrames, clip.height, clip.width, clip.channels], config, clip);
  const totals = sumTotals(net.rows);
  const first = net.rows.find((r) => r.kind === 'conv3d' && r.outputShape.length === 4);
  const extras: Description['extras'] = [];
  if (first) {
    const [kt, k] = config.variant === 'c3d' ? [config.kernelT, config.kernel] : [3, 3];
    const cin = clip.channels;
    const w3 = kt * k * k * cin;
    const w2 = k * k * cin;
    extras.push({ label: 'Weights per filter, first layer', value: `3D: ${kt}×${k}×${k}×${cin} = ${w3}   vs   2D: ${k}×${k}×${cin} = ${w2} (${(w3 / w2).toFixed(1)}×)` });
    extras.push({ label: 'Why 3D costs more', value: `every output voxel sums over k_t = ${kt} frames, so MACs and weights grow ${kt}× over the 2D layer of the same width` });
  }
  if (config.variant === 'r2plus1d') {
    const m = midplanes(config.widths[0], config.widths[0]);
    const w = config.widths[0];
    extras.push({ label: '(2+1)D factorisation', value: `a ${w}→${w} 3×3×3 conv (${27 * w * w} weights) becomes 1×3×3 to M = ⌊27·${w}·${w} / (9·${w} + 3·${w})⌋ = ${m} channels, then 3×1×1 (${9 * w * m + 3 * m * w} weights), with a ReLU between` });
  }
  if (config.variant === 'mc3') extras.push({ label: 'Mixed convolutions', value: 'time is convolved only in the stem and stage 1 (3×3×3); stages 2–4 use 1×3×3' });
  return { family: 'conv3d', variant: config.variant, clip, layers: net.rows, totals, extras };
}

// ─── Presets ─────────────────────────────────────────────────────────────────────────────────

const tinyClip: ClipSpec = { numFrames: 8, height: 32, width: 32, channels: 3, numClasses: 4 };
const kineticsClip: ClipSpec = { numFrames: 16, height: 112, width: 112, channels: 3, numClasses: 400 };
const tinyResNet = { stemWidth: 8, widths: [8, 16], blocks: [1, 1] };

/** C3D as in Tran et al. 2015: 8 convs 3×3×3, 5 pools, fc6/fc7 4096, Sports-1M's 487 classes. */
const c3dPaper: Conv3dConfig = {
  ...defaultConv3dConfig,
  stages: [
    { filters: 64, convs: 1, pool: [1, 2, 2] },
    { filters: 128, convs: 1, pool: [2, 2, 2] },
    { filters: 256, convs: 2, pool: [2, 2, 2] },
    { filters: 512, convs: 2, pool: [2, 2, 2] },
    { filters: 512, convs: 2, pool: [2, 2, 2] },
  ],
  batchNorm: false,
  head: 'flatten',
  fc: [4096, 4096],
  dropout: 0.5,
};

export const conv3d: FamilyDef<Conv3dConfig> = {
  id: 'conv3d',
  defaultConfig: defaultConv3dConfig,
  presets: {
    tiny: { config: defaultConv3dConfig, clip: tinyClip, note: 'two 3×3×3 conv stages; trains in seconds on 8×32×32 clips' },
    r3d_tiny: { config: { ...defaultConv3dConfig, variant: 'r3d', ...tinyResNet }, clip: tinyClip, note: 'R3D with 2 small stages of one block' },
    mc3_tiny: { config: { ...defaultConv3dConfig, variant: 'mc3', ...tinyResNet }, clip: tinyClip, note: 'MC3 with 2 small stages of one block' },
    r2plus1d_tiny: { config: { ...defaultConv3dConfig, variant: 'r2plus1d', ...tinyResNet }, clip: tinyClip, note: 'R(2+1)D with 2 small stages of one block' },
    c3d: {
      config: c3dPaper,
      clip: { ...kineticsClip, numClasses: 487 },
      paper: true,
      note: 'C3D (Tran et al. 2015) on 16×112×112, 487 Sports-1M classes; pool5 rounds 7→4 so fc6 sees 512·1·4·4 = 8192',
    },
    r3d_18: { config: { ...defaultConv3dConfig, variant: 'r3d' }, clip: kineticsClip, paper: true, note: 'torchvision r3d_18: 33,371,472 parameters, 40.70 GFLOPS' },
    mc3_18: { config: { ...defaultConv3dConfig, variant: 'mc3' }, clip: kineticsClip, paper: true, note: 'torchvision mc3_18: 11,695,440 parameters, 43.34 GFLOPS' },
    r2plus1d_18: { config: { ...defaultConv3dConfig, variant: 'r2plus1d' }, clip: kineticsClip, paper: true, note: 'torchvision r2plus1d_18: 31,505,325 parameters, 40.52 GFLOPS' },
  },
  build: buildConv3d,
  describe: describeConv3d,
};
