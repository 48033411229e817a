// Session handler: backend selection, our WebGPU kernels on, warm-up.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { selectBackend, type BackendEnv } from '../../lib/tf-backend';
import { errorText } from '../../lib/errors';
import type { Handlers } from '../protocol';
import { DEFAULT_KERNELS, selectKernels } from '../../webgpu/kernels';

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

export const sessionHandlers: Pick<Handlers, 'init'> = {
  async init({ backend: requested }, ctx) {
    const t0 = performance.now();
    if (ctx.thread === 'main') requested = 'cpu';
    const sel = await selectBackend(requested, realEnv(), async (name) => {
      const ok = await tf.setBackend(name);
      if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
      await tf.ready();
      // Our WebGPU kernels (webgpu/kernels.ts) replace tfjs's where its own are naive or lean on
      // workgroup barriers, which SwiftShader makes very costly: Conv3D/Conv2D, per-channel broadcasts,
      // reductions (the bench compares them with tfjs's own, src/bench/).
      if (name === 'webgpu') selectKernels(DEFAULT_KERNELS);
      try {
        await warmUp();
      } catch (e) {
        throw new Error(`warm-up failed: ${errorText(e)}`);
      }
    });
    return { ...sel, requested, thread: ctx.thread, warmupMs: Math.round(performance.now() - t0) };
  },
};
