// Every group of our WebGPU kernels behind one switch (each group keeps its own, see
// ./kernel-switch.ts): the app turns them on at start-up, the benchmark and the
// model-level check (src/bench/model-check.ts) compare them against tfjs's stock kernels.

import { activeConv3DKernels, selectConv3DKernels } from './conv3d-kernels';
import { activeConv2DKernels, selectConv2DKernels } from './conv2d-kernels';
import {
  activeBroadcastBinaryKernels,
  selectBroadcastBinaryKernels,
} from './ops/broadcast-binary';
import { activeMatMulKernels, selectMatMulKernels } from './ops/matmul';
import { activeReduceKernels, selectReduceKernels } from './ops/reduce';
import { activeSoftmaxKernels, selectSoftmaxKernels } from './ops/softmax';
import { activePoolKernels, selectPoolKernels } from './ops/pool';
import { activeDepthwiseKernels, selectDepthwiseKernels } from './ops/depthwise';
import { activeMirrorPadKernels, selectMirrorPadKernels } from './ops/mirror-pad';

export type KernelImpl = 'fast' | 'stock';

const GROUPS = {
  conv3d: { select: selectConv3DKernels, active: activeConv3DKernels },
  conv2d: { select: selectConv2DKernels, active: activeConv2DKernels },
  broadcast: { select: selectBroadcastBinaryKernels, active: activeBroadcastBinaryKernels },
  matmul: { select: selectMatMulKernels, active: activeMatMulKernels },
  reduce: { select: selectReduceKernels, active: activeReduceKernels },
  softmax: { select: selectSoftmaxKernels, active: activeSoftmaxKernels },
  pool: { select: selectPoolKernels, active: activePoolKernels },
  depthwise: { select: selectDepthwiseKernels, active: activeDepthwiseKernels },
  pad: { select: selectMirrorPadKernels, active: activeMirrorPadKernels },
} as const;

export type KernelGroup = keyof typeof GROUPS;
const KERNEL_GROUPS = Object.keys(GROUPS) as KernelGroup[];
export type KernelChoice = Record<KernelGroup, KernelImpl>;

/** What the app runs on webgpu: ours everywhere. */
export const DEFAULT_KERNELS: Readonly<KernelChoice> = {
  conv3d: 'fast',
  conv2d: 'fast',
  broadcast: 'fast',
  matmul: 'fast',
  reduce: 'fast',
  softmax: 'fast',
  pool: 'fast',
  depthwise: 'fast',
  pad: 'fast',
};

/** Our kernels ('fast') or tfjs's ('stock') for every group, or per group. Idempotent. */
export function selectKernels(choice: KernelImpl | Partial<KernelChoice>): void {
  for (const g of KERNEL_GROUPS) {
    const impl = typeof choice === 'string' ? choice : choice[g];
    if (impl) GROUPS[g].select(impl);
  }
}

export function activeKernels(): KernelChoice {
  return Object.fromEntries(KERNEL_GROUPS.map((g) => [g, GROUPS[g].active()])) as KernelChoice;
}
