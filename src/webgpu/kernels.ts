// Every group of our WebGPU kernels behind one switch (each group keeps its own, see
// ./webgpu-kernel-switch.ts): the app turns them on at start-up, the benchmark and the
// model-level check (src/bench/model-check.ts) compare them against tfjs's stock kernels.

import { activeConv3DKernels, useConv3DKernels } from './conv3d-kernels';
import { activeConv2DKernels, useConv2DKernels } from './conv2d-kernels';
import {
  activeBroadcastBinaryKernels,
  useBroadcastBinaryKernels,
} from './ops/broadcast-binary';
import { activeMatMulKernels, useMatMulKernels } from './ops/matmul';
import { activeReduceKernels, useReduceKernels } from './ops/reduce';
import { activeSoftmaxKernels, useSoftmaxKernels } from './ops/softmax';
import { activePoolKernels, usePoolKernels } from './ops/pool';
import { activeDepthwiseKernels, useDepthwiseKernels } from './ops/depthwise';
import { activeMirrorPadKernels, useMirrorPadKernels } from './ops/mirror-pad';

export type KernelImpl = 'fast' | 'stock';

const GROUPS = {
  conv3d: { use: useConv3DKernels, active: activeConv3DKernels },
  conv2d: { use: useConv2DKernels, active: activeConv2DKernels },
  broadcast: { use: useBroadcastBinaryKernels, active: activeBroadcastBinaryKernels },
  matmul: { use: useMatMulKernels, active: activeMatMulKernels },
  reduce: { use: useReduceKernels, active: activeReduceKernels },
  softmax: { use: useSoftmaxKernels, active: activeSoftmaxKernels },
  pool: { use: usePoolKernels, active: activePoolKernels },
  depthwise: { use: useDepthwiseKernels, active: activeDepthwiseKernels },
  pad: { use: useMirrorPadKernels, active: activeMirrorPadKernels },
} as const;

export type KernelGroup = keyof typeof GROUPS;
export const KERNEL_GROUPS = Object.keys(GROUPS) as KernelGroup[];
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
export function useKernels(choice: KernelImpl | Partial<KernelChoice>): void {
  for (const g of KERNEL_GROUPS) {
    const impl = typeof choice === 'string' ? choice : choice[g];
    if (impl) GROUPS[g].use(impl);
  }
}

export function activeKernels(): KernelChoice {
  return Object.fromEntries(KERNEL_GROUPS.map((g) => [g, GROUPS[g].active()])) as KernelChoice;
}
