// 2D trunks, written once against `Net` (net.ts), for the families that run a 2D CNN on frames
// (single frame, late and early fusion, CNN + RNN, the two-stream streams). Configs and the
// resnet18 preset are plain data in presets/trunk-2d.ts.
//
//   conv-stack trunk:  [H, W, C] ─▶ (conv k×k ─▶ BN? ─▶ ReLU ─▶ pool 2×2) × len(widths)
//                        ─▶ GAP ─▶ [F = widths.at(-1)]   or   flatten ─▶ [F = h·w·widths.at(-1)]
//                      (flatten keeps WHERE things are on the small final map; GAP throws it away)
//   resnet trunk:      [H, W, C] ─▶ conv 7×7/2 ─▶ BN ─▶ ReLU ─▶ maxpool 3×3/2
//                        ─▶ stage 1..S (BasicBlock × blocks, first block of stages ≥ 2 strides 2)
//                        ─▶ GAP ─▶ [stageWidths.at(-1)]
//   BasicBlock (He et al. 2016, torchvision.models.resnet.BasicBlock):
//        x ─▶ conv3×3/s ─▶ BN ─▶ ReLU ─▶ conv3×3 ─▶ BN ─┐
//        └─────────── (conv1×1/s ─▶ BN if shape changes) ┴─▶ add ─▶ ReLU
//
// Torchvision exactness: bias-free convs before each BN, explicit symmetric zero padding (see
// layers-net.ts); the 3×3/2 max pool pads with zeros, which equals PyTorch's −∞ padding because
// its input comes straight out of a ReLU (≥ 0). Layer names follow torchvision (layer1.0.bn1, …).
// Everything runs on rank-4 tensors (callers fold T into N), so no rank-5 pad ever reaches WebGPU.

import type { Trunk2dConfig } from '../presets/trunk-2d';
import { convBnRelu } from './conv-bn-relu';
import type { Net } from './net';

/** torchvision BasicBlock (expansion 1). */
export function basicBlock<X>(net: Net<X>, x: X, filters: number, stride: number, name: string): X {
  const cin = net.shape(x).at(-1);
  let y = net.conv(x, { name: `${name}.conv1`, filters, kernel: 3, stride, pad: 1, bias: false });
  y = net.relu(net.batchNorm(y, `${name}.bn1`), `${name}.relu1`);
  y = net.conv(y, { name: `${name}.conv2`, filters, kernel: 3, stride: 1, pad: 1, bias: false });
  y = net.batchNorm(y, `${name}.bn2`);
  let shortcut = x;
  if (stride !== 1 || cin !== filters) {
    shortcut = net.conv(x, {
      name: `${name}.downsample.0`,
      filters,
      kernel: 1,
      stride,
      pad: 0,
      bias: false,
    });
    shortcut = net.batchNorm(shortcut, `${name}.downsample.1`);
  }
  return net.relu(net.add(y, shortcut, `${name}.add`), `${name}.relu2`);
}

function validateTrunk(cfg: Trunk2dConfig): void {
  const widths = cfg.kind === 'conv-stack' ? cfg.widths : cfg.stageWidths;
  if (widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w < 1))
    throw new Error(`Trunk widths must be whole numbers ≥ 1, got [${widths.join(', ')}].`);
  if (cfg.kind === 'conv-stack' && !(cfg.kernel >= 1 && cfg.kernel % 2 === 1))
    throw new Error(`Kernel size must be odd and ≥ 1, got ${cfg.kernel}.`);
  if (cfg.kind === 'resnet' && cfg.blocksPerStage.length !== cfg.stageWidths.length)
    throw new Error(
      `ResNet: ${cfg.stageWidths.length} stage widths but ${cfg.blocksPerStage.length} block counts.`,
    );
}

/**
 * One trunk shared by every frame of a clip: [N, T, H, W, C] ──fold──▶ [N·T, H, W, C] ──trunk──▶
 * [N·T, F] ──unfold──▶ [N, T, F] (layers `<prefix>fold_time`, `<prefix>unfold_time`).
 */
export function perFrameTrunk<X>(net: Net<X>, clip: X, cfg: Trunk2dConfig, prefix = ''): X {
  const numFrames = net.shape(clip)[0];
  const feats = trunk2d(net, net.foldTime(clip, `${prefix}fold_time`), cfg, prefix);
  return net.unfoldTime(feats, numFrames, `${prefix}unfold_time`);
}

/**
 * A 2D trunk from one frame (or a frame stack) [H, W, C] to a feature vector [F]. `prefix` goes
 * in front of every layer name, so several trunks can share one model ('rgb.', 'motion.').
 */
export function trunk2d<X>(net: Net<X>, x: X, cfg: Trunk2dConfig, prefix = ''): X {
  validateTrunk(cfg);
  let y = x;
  if (cfg.kind === 'conv-stack') {
    cfg.widths.forEach((filters, i) => {
      const name = `${prefix}conv${i + 1}`;
      y = cfg.batchNorm
        ? convBnRelu(net, y, { name, filters, kernel: cfg.kernel })
        : net.relu(net.conv(y, { name, filters, kernel: cfg.kernel }), `${name}.relu`);
      const [h, w] = net.shape(y).slice(-3, -1);
      // Halve H and W while there is something to halve; a 1×1 map is left alone.
      if (h >= 2 && w >= 2)
        y = net.pool(y, { name: `${prefix}pool${i + 1}`, kind: cfg.pool, size: 2 });
    });
  } else {
    y = net.conv(y, {
      name: `${prefix}conv1`,
      filters: cfg.stemWidth,
      kernel: 7,
      stride: 2,
      pad: 3,
      bias: false,
    });
    y = net.relu(net.batchNorm(y, `${prefix}bn1`), `${prefix}relu`);
    y = net.pool(y, { name: `${prefix}maxpool`, kind: 'max', size: 3, stride: 2, pad: 1 });
    cfg.stageWidths.forEach((filters, s) => {
      for (let b = 0; b < cfg.blocksPerStage[s]; b++)
        y = basicBlock(net, y, filters, s > 0 && b === 0 ? 2 : 1, `${prefix}layer${s + 1}.${b}`);
    });
  }
  if (cfg.kind === 'conv-stack' && cfg.head === 'flatten')
    return net.flatten(y, `${prefix}flatten`, 2); // [h, w, c] → [h·w·c]
  return net.globalAvgPool(y, `${prefix}avgpool`, 2);
}
