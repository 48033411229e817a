// Swapping tfjs's stock 'webgpu' kernels for ours, and back, by kernel name. Every family of fast
// kernels (Conv3D, Conv2D, matmul, channel broadcasts) uses one switch: it saves tfjs's own
// configs the first time, so a fast kernel can fall back to the stock one for cases it does not
// cover, and the benchmark can compare stock against fast in one run.

import * as tf from '@tensorflow/tfjs';

export type KernelImpl = 'fast' | 'stock';

interface KernelSwitch<N extends string> {
  /** Register ours ('fast') or tfjs's ('stock') for every kernel of the group. Idempotent. */
  select(impl: KernelImpl): void;
  active(): KernelImpl;
  /** tfjs's own kernel function, for the cases a fast kernel hands back. */
  callStock(name: N, args: Parameters<tf.KernelFunc>[0]): ReturnType<tf.KernelFunc>;
}

let handedBack = 0;
/**
 * How many times, so far, one of our kernels handed a call back to tfjs's (a case it does not
 * cover). Checks read it before and after running ours to know that ours really ran: a fallback
 * trivially matches the stock result.
 */
export const stockFallbacks = (): number => handedBack;

/** Needs '@tensorflow/tfjs-backend-webgpu' imported (it registers the stock kernels on import). */
export function kernelSwitch<N extends string>(names: readonly N[], fast: (name: N) => tf.KernelFunc): KernelSwitch<N> {
  let stock: Map<N, tf.KernelConfig> | null = null;
  let active: KernelImpl = 'stock';
  const saveStock = (): Map<N, tf.KernelConfig> => {
    if (stock) return stock;
    const saved = new Map<N, tf.KernelConfig>();
    for (const name of names) {
      const config = tf.getKernel(name, 'webgpu');
      if (!config) throw new Error(`The stock webgpu kernel ${name} is not registered: import '@tensorflow/tfjs-backend-webgpu' first.`);
      saved.set(name, config);
    }
    return (stock = saved);
  };
  return {
    select(impl) {
      const saved = saveStock();
      if (impl === active) return;
      for (const name of names) {
        tf.unregisterKernel(name, 'webgpu');
        tf.registerKernel(impl === 'fast' ? { kernelName: name, backendName: 'webgpu', kernelFunc: fast(name) } : saved.get(name)!);
      }
      active = impl;
    },
    active: () => active,
    callStock(name, args) {
      const config = saveStock().get(name);
      if (!config) throw new Error(`No stock webgpu kernel ${name} in this group.`);
      handedBack++;
      return config.kernelFunc(args);
    },
  };
}
