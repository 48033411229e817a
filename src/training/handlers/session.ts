// Session handlers: backend selection and memory readout.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { errorText, selectBackend, type BackendEnv, type BackendName } from '../../lib/tf-backend';
import type { Handlers } from '../protocol';
import { useConv3DKernels } from '../../lib/webgpu-conv3d/conv3d-kernels';
import { useConv2DKernels } from '../../lib/webgpu-conv3d/conv2d-kernels';
import { useMatMulKernels } from '../../lib/webgpu-fast-ops/matmul';
import { useBroadcastBinaryKernels } from '../../lib/webgpu-fast-ops/broadcast-binary';

function realEnv(): BackendEnv {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  return {
    isSecureContext: (globalThis as { isSecureContext?: boolean }).isSecureContext === true,
    gpu: nav && 'gpu' in nav && nav.gpu ? (nav.gpu as unknown as BackendEnv['gpu']) : undefined,
    hasWebGL2() {
      if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(1, 1).getContext('webgl2') !== null;
      if (typeof document !== 'undefined') return document.createElement('canvas').getContext('webgl2') !== null;
      return false;
    },
  };
}

/**
 * A small op on the backend so shaders compile now, not at the first training step. Read back
 * asynchronously: a synchronous read (dataSync) on webgpu in a worker breaks later uploads on
 * SwiftShader ("createBuffer failed … mappedAtCreation").
 */
async function warmUp(): Promise<void> {
  const out = tf.tidy(() => {
    const x = tf.randomNormal<tf.Rank.R4>([1, 8, 8, 3]);
    const k = tf.randomNormal<tf.Rank.R4>([3, 3, 3, 4]);
    const y = tf.conv2d(x, k, 1, 'same').relu().mean();
    const m = tf.matMul(tf.ones([4, 4]), tf.ones([4, 4])).sum();
    return y.add(m);
  });
  try {
    await out.data();
  } finally {
    out.dispose();
  }
}

let current: BackendName | null = null;

export const sessionHandlers: Pick<Handlers, 'init' | 'memory'> = {
  async init({ backend: requested, conv3d }, ctx) {
    const t0 = performance.now();
    if (ctx.thread === 'main') requested = 'cpu';
    const sel = await selectBackend(requested, realEnv(), async (name) => {
      const ok = await tf.setBackend(name);
      if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
      await tf.ready();
      // Our tiled Conv3D kernels replace tfjs's naive ones and run Conv2D too (lib/webgpu-conv3d); per-channel
      // broadcasts get a barrier-free kernel (lib/webgpu-fast-ops); 'stock' keeps tfjs's own.
      if (name === 'webgpu') {
        useConv3DKernels(conv3d ?? 'fast');
        useBroadcastBinaryKernels(conv3d ?? 'fast');
        useConv2DKernels(conv3d ?? 'fast');
        // The fast matmul stays off by default: with it on, the conv3d lesson trained to chance on
        // webgpu (e2e/lesson.spec.ts; 100% with the stock matmul) although its own checks passed.
        // The benchmark still times it (init with conv3d: 'fast' and the bench page's switches).
        useMatMulKernels('stock');
      }
      try {
        await warmUp();
      } catch (e) {
        throw new Error(`warm-up failed: ${errorText(e)}`);
      }
    });
    current = sel.backend;
    return { ...sel, requested, thread: ctx.thread, warmupMs: Math.round(performance.now() - t0) };
  },
  async memory() {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  },
};

export const currentBackend = (): BackendName | null => current;
