// The gradient-parity harness in Node: against itself the CPU backend agrees exactly; a second
// "backend" whose Conv3D filter gradient is silently zeroed (the kind of bug tfjs's WebGPU backend
// has) is caught, named, and the backend is switched back afterwards; nothing leaks.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { gradientParity } from './parity';

const small = { numFrames: 4, height: 16, width: 16 };

describe('gradient-parity request', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('CPU against itself: every gradient agrees, no leaks', async () => {
    const before = tf.memory().numTensors;
    const r = await gradientParity({ family: 'conv3d', batch: 2, clip: small });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.ok).toBe(true);
    expect(r.tensorDelta).toBe(0);
    expect(r.backend).toBe('cpu');
    expect(r.clip).toMatchObject(small);
    expect(r.variables.length).toBeGreaterThan(4);
    expect(r.variables.every((v) => v.relError === 0 && v.maxAbs > 0)).toBe(true);
    expect(Number.isFinite(r.loss)).toBe(true);
  });

  it('catches a backend whose Conv3D filter gradient is silently zero, then switches back', async () => {
    // A copy of the CPU backend with one kernel broken the way WebGPU's rank-5 bugs break things.
    const CpuBackend = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
    tf.registerBackend('cpu-broken', () => new CpuBackend());
    for (const k of tf.getKernelsForBackend('cpu')) {
      if (k.kernelName === 'Conv3DBackpropFilterV2') tf.registerKernel({ ...k, backendName: 'cpu-broken', kernelFunc: (a) => tf.zeros((a.attrs as { filterShape: number[] }).filterShape) as unknown as tf.TensorInfo });
      else tf.registerKernel({ ...k, backendName: 'cpu-broken' });
    }
    await tf.setBackend('cpu-broken');
    try {
      const r = await gradientParity({ family: 'conv3d', preset: 'tiny', batch: 2, clip: small });
      expect(r.backend).toBe('cpu-broken');
      expect(tf.getBackend()).toBe('cpu-broken');
      expect(r.ok).toBe(false);
      expect(r.tensorDelta).toBe(0);
      const convKernels = r.variables.filter((v) => v.shape.length === 5).map((v) => v.name);
      expect(convKernels.length).toBeGreaterThan(0);
      for (const name of convKernels) expect(r.failing).toContain(name);
      expect(r.failing.every((n) => convKernels.includes(n))).toBe(true); // BN, dense and the loss still agree
      expect(r.lossRelError).toBeLessThan(1e-6);
    } finally {
      await tf.setBackend('cpu');
      tf.removeBackend('cpu-broken');
    }
  });

  it('says what is wrong with bad arguments', async () => {
    await expect(gradientParity({ family: 'nope' as 'conv3d' })).rejects.toThrow(/Unknown family/);
    await expect(gradientParity({ family: 'conv3d', preset: 'r3d_18' })).rejects.toThrow(/paper-scale/);
    await expect(gradientParity({ family: 'conv3d', batch: 0 })).rejects.toThrow(/batch/);
    await expect(gradientParity({ family: 'conv3d', preset: 'huge' })).rejects.toThrow(/no preset "huge"/);
  });
});
