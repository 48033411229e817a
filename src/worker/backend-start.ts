// Starting the worker's tfjs backend: at init (handlers/session.ts), and again after the WebGPU
// device was lost (device-loss.ts). Order WebGPU → WebGL → CPU (lib/tf-backend.ts), our WebGPU
// kernels on, a warm-up op, a report of what runs and why.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { selectBackend, type BackendEnv, type BackendName, type BackendReport } from '../lib/tf-backend';
import { errorText } from '../lib/errors';
import { DEFAULT_KERNELS, selectKernels } from '../webgpu/kernels';

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

async function trySet(name: BackendName): Promise<void> {
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
}

/** What init asked for, so a restart after a lost device tries the same order. */
let requestedAtInit: BackendName | null = null;

export async function startBackend(requested: BackendName | null, thread: BackendReport['thread']): Promise<BackendReport> {
  const t0 = performance.now();
  requestedAtInit = requested;
  const sel = await selectBackend(requested, realEnv(), trySet);
  return { ...sel, requested, thread, warmupMs: Math.round(performance.now() - t0) };
}

/**
 * Start again after the WebGPU device was lost (`why`): drop tfjs's WebGPU backend (it holds the
 * lost device), register its factory anew (a new adapter and device on the next setBackend) and
 * select as at init. The report's fallbackReason says what happened, and why WebGPU did not
 * come back if it did not.
 */
export async function restartBackend(why: string): Promise<BackendReport> {
  const factory = tf.findBackendFactory('webgpu');
  if (factory) {
    tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', factory, 3);
  }
  const report = await startBackend(requestedAtInit, 'worker');
  const after = report.backend === 'webgpu' ? 'WebGPU was started again on a new device' : `it fell back to ${report.backend}`;
  return { ...report, fallbackReason: [`${why}; ${after}`, report.fallbackReason].filter(Boolean).join('; ') };
}
