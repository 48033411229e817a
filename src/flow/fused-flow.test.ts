import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fusedFlow, fusedFlowCovers, type FusedFlowPlan } from './fused-flow';
import { flowImplFor, flowOfFrames, gaussianTaps, selectFlowImpl, selectedFlowImpl, type FlowImpl } from './optical-flow';

const PLAN: FusedFlowPlan = {
  levels: 4,
  iterations: 5,
  preTaps: gaussianTaps(1),
  windowTaps: gaussianTaps(2), // radius 4
  binomialTaps: [1, 4, 6, 4, 1].map((v) => v / 16),
  prefilterTaps: [0.037659, 0.249153, 0.426375, 0.249153, 0.037659],
  derivativeTaps: [-0.109604, -0.276691, 0, 0.276691, 0.109604],
  regularization: 1e-5,
  maxStep: 1,
};

describe('fused optical flow (selection; the WebGPU programs themselves are checked in the browser, e2e/flow.spec.ts)', () => {
  it('covers frames only where every level is wider than the farthest filter reach', () => {
    expect(fusedFlowCovers(112, 112, PLAN)).toBe(true); // 112, 56, 28, 14 > 4
    expect(fusedFlowCovers(32, 32, { ...PLAN, levels: 2 })).toBe(true); // 32, 16
    expect(fusedFlowCovers(32, 32, PLAN)).toBe(false); // 32, 16, 8, 4: the window (radius 4) reaches past one reflection
    expect(fusedFlowCovers(40, 9, { ...PLAN, levels: 1 })).toBe(true);
    expect(fusedFlowCovers(40, 4, { ...PLAN, levels: 1 })).toBe(false);
    expect(fusedFlowCovers(112, 112, { ...PLAN, windowTaps: gaussianTaps(7), levels: 4 })).toBe(false); // radius 14 at the 14-px level
  });

  it('runs the op path off webgpu, whatever is selected, and says so', async () => {
    const before = selectedFlowImpl();
    try {
      for (const impl of ['fused', 'ops'] as FlowImpl[]) {
        selectFlowImpl(impl);
        expect(flowImplFor(112, 112)).toBe('ops');
      }
      selectFlowImpl('fused');
      const n = tf.memory().numTensors;
      const frames = tf.randomUniform([3, 24, 24, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
      const flow = flowOfFrames(frames);
      expect(flow.shape).toEqual([2, 24, 24, 2]);
      tf.dispose([frames, flow]);
      expect(tf.memory().numTensors).toBe(n);
    } finally {
      selectFlowImpl(before);
    }
    expect(() => selectFlowImpl('gpu' as FlowImpl)).toThrow(/'fused' or 'ops'/);
  });

  it('refuses to run the fused programs on another backend, with the reason', () => {
    const i0 = tf.zeros([1, 16, 16, 1]) as tf.Tensor4D;
    try {
      expect(() => fusedFlow(i0, i0, { ...PLAN, levels: 1 }, false)).toThrow(/runs on webgpu only; this backend is cpu/);
    } finally {
      i0.dispose();
    }
  });
});
