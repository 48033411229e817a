// Video ResNet blocks (Tran et al., "A Closer Look at Spatiotemporal Convolutions for Action
// Recognition", CVPR 2018), exactly as torchvision.models.video builds them, written once against
// `Net` (net.ts) so conv3d.ts builds and describes them through the same code.
//
//   (2+1)D conv (torchvision Conv2Plus1D):  ─▶ conv 1×3×3 (stride 1×s×s) ─▶ BN ─▶ ReLU ─▶ conv 3×1×1
//     (stride s×1×1) ─▶  with M = ⌊27·C_in·C_out / (9·C_in + 3·C_out)⌋ mid channels, so it has
//     about the parameters of one 3×3×3 conv.
//   BasicBlock (torchvision.models.video.resnet.BasicBlock):
//        x ─▶ conv(s) ─▶ BN ─▶ ReLU ─▶ conv ─▶ BN ─┐
//        └───── (conv 1×1×1 /s ─▶ BN if the shape changes) ┴─▶ add ─▶ ReLU
//     where "conv" is the conv maker: '3d' (R3D: 3×3×3), 'no-temporal' (MC3's later stages:
//     1×3×3) or '2plus1d' (R(2+1)D). torchvision computes M once per block from
//     (inplanes, planes) and uses it for both convs; so do we.
//
// Torchvision exactness: bias-free convs before each BN, BN as layers-net.ts. Padding is TF 'same'
// where torchvision pads k//2: output sizes, parameters and MACs are identical; only the stride-2
// alignment differs (TF pads 2 before and 3 after a 7-wide stride-2 window, PyTorch 3 and 3).

import { convBnRelu } from './conv-bn-relu';
import type { Net, Triple } from './net';

/** torchvision's mid-channel count for a (2+1)D block: the params of one 3×3×3 conv. */
export const midplanes = (inplanes: number, planes: number): number =>
  Math.floor((inplanes * planes * 3 * 3 * 3) / (inplanes * 3 * 3 + 3 * planes));

/** (2+1)D conv: spatial 1×3×3 (stride 1×s×s) → BN → ReLU → temporal 3×1×1 (stride s×1×1); no BN after. */
export function conv2plus1d<X>(
  net: Net<X>,
  x: X,
  o: { name: string; filters: number; mid: number; stride: number },
): X {
  const s = o.stride;
  const y = convBnRelu(net, x, {
    name: `${o.name}.spatial`,
    filters: o.mid,
    kernel: [1, 3, 3],
    stride: [1, s, s],
  });
  return net.conv(y, {
    name: `${o.name}.temporal`,
    filters: o.filters,
    kernel: [3, 1, 1],
    stride: [s, 1, 1],
    bias: false,
    note: `(2+1)D: ${o.mid} mid channels`,
  });
}

/** How a video ResNet convolves inside a block (torchvision's conv makers). */
export type ConvMaker = '3d' | 'no-temporal' | '2plus1d';

/** One conv of a block, before its BN: the conv maker's conv with stride s. */
function makerConv<X>(
  net: Net<X>,
  x: X,
  maker: ConvMaker,
  o: { name: string; filters: number; mid: number; stride: number },
): X {
  const s = o.stride;
  if (maker === '2plus1d') return conv2plus1d(net, x, o);
  const kernel: Triple = maker === '3d' ? [3, 3, 3] : [1, 3, 3];
  const stride: Triple = maker === '3d' ? [s, s, s] : [1, s, s];
  return net.conv(x, { name: o.name, filters: o.filters, kernel, stride, bias: false });
}

/** The downsample stride torchvision's conv maker asks for: time is strided except by 'no-temporal'. */
const downsampleStride = (maker: ConvMaker, s: number): Triple =>
  maker === 'no-temporal' ? [1, s, s] : [s, s, s];

/** torchvision.models.video.resnet.BasicBlock (expansion 1). */
export function videoBasicBlock<X>(
  net: Net<X>,
  x: X,
  o: { name: string; planes: number; maker: ConvMaker; stride: number },
): X {
  const inplanes = net.shape(x).at(-1) as number;
  const mid = midplanes(inplanes, o.planes); // computed once per block, used by both convs (torchvision)
  let y = makerConv(net, x, o.maker, {
    name: `${o.name}.conv1`,
    filters: o.planes,
    mid,
    stride: o.stride,
  });
  y = net.relu(net.batchNorm(y, `${o.name}.conv1.bn`), `${o.name}.conv1.relu`);
  y = makerConv(net, y, o.maker, { name: `${o.name}.conv2`, filters: o.planes, mid, stride: 1 });
  y = net.batchNorm(y, `${o.name}.conv2.bn`);
  let shortcut = x;
  if (o.stride !== 1 || inplanes !== o.planes) {
    shortcut = net.conv(x, {
      name: `${o.name}.downsample`,
      filters: o.planes,
      kernel: [1, 1, 1],
      stride: downsampleStride(o.maker, o.stride),
      bias: false,
    });
    shortcut = net.batchNorm(shortcut, `${o.name}.downsample.bn`);
  }
  return net.relu(net.add(y, shortcut, `${o.name}.add`), `${o.name}.relu`);
}

/** Stems: R3D/MC3's 3×7×7/(1,2,2) conv, or R(2+1)D's 1×7×7 (45 ch) then 3×1×1. */
export function videoStem<X>(net: Net<X>, x: X, kind: 'basic' | '2plus1d', width: number): X {
  if (kind === 'basic')
    return convBnRelu(net, x, {
      name: 'stem',
      filters: width,
      kernel: [3, 7, 7],
      stride: [1, 2, 2],
    });
  // torchvision's R2Plus1dStem hard-codes 45 mid channels for a 64-wide stem; scale it for others.
  const mid = Math.max(1, Math.round((45 * width) / 64));
  const y = convBnRelu(net, x, {
    name: 'stem.spatial',
    filters: mid,
    kernel: [1, 7, 7],
    stride: [1, 2, 2],
  });
  return convBnRelu(net, y, { name: 'stem.temporal', filters: width, kernel: [3, 1, 1] });
}

/** Stages of BasicBlocks: stage i has widths[i] channels, blocks[i] blocks, stride 2 from stage 2 on. */
export function videoResNetStages<X>(
  net: Net<X>,
  x: X,
  o: { widths: readonly number[]; blocks: readonly number[]; makers: readonly ConvMaker[] },
): X {
  if (o.widths.length !== o.blocks.length || o.widths.length !== o.makers.length)
    throw new Error(
      `Video ResNet: ${o.widths.length} widths, ${o.blocks.length} block counts and ${o.makers.length} conv makers must match.`,
    );
  let y = x;
  o.widths.forEach((planes, i) => {
    for (let b = 0; b < o.blocks[i]; b++)
      y = videoBasicBlock(net, y, {
        name: `layer${i + 1}.${b}`,
        planes,
        maker: o.makers[i],
        stride: b === 0 && i > 0 ? 2 : 1,
      });
  });
  return y;
}
