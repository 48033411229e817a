// Session handlers: backend selection (backend-start.ts), the heartbeat, and the fault tests'
// hook that loses the GPU device or makes a step run out of GPU memory.

import * as tf from '@tensorflow/tfjs';
import type { Handlers } from '../protocol';
import { startBackend } from '../backend-start';
import { watchDevice } from '../device-loss';
import { trainLoops } from './train';
import { armStepFault } from '../../training/gpu-scopes';

export const sessionHandlers: Pick<Handlers, 'init' | 'ping' | 'gpu-fault'> = {
  async init({ backend: requested }, ctx) {
    const report = await startBackend(ctx.thread === 'main' ? 'cpu' : requested, ctx.thread);
    watchDevice(ctx, trainLoops);
    return report;
  },

  async ping() {
    return { ok: true };
  },

  /** e2e/faults.spec.ts: `destroy-device` ends the WebGPU device as a driver reset would; `oom-next-step` (gpu-scopes.ts). */
  async 'gpu-fault'({ fault }) {
    if (fault === 'oom-next-step') return { detail: armStepFault() };
    if (tf.getBackend() !== 'webgpu') throw new Error('Losing the GPU device needs the WebGPU backend.');
    (tf.backend() as unknown as { device: { destroy(): void } }).device.destroy();
    return { detail: 'the WebGPU device was destroyed' };
  },
};
