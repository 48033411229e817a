import { describe, expect, it } from 'vitest';
import {
  budgetFor,
  bytesOf,
  DEFAULT_TOTAL_BUDGET,
  MAX_CLIP_FRAME_BYTES,
  MAX_FRAMES_PER_CLIP,
  PAGE_LIMITS,
  type BudgetSetting,
  type DeviceLimits,
  type ModelSetting,
} from './budget';
import type { Description } from '../models/types';

// A stand-in model whose first layer outputs [T, H, W, 8] and whose head outputs 2 scores:
// 1,500 trainable and 100 non-trainable parameters at every size.
const row = (name: string, elems: number, params = 0) => ({
  name,
  kind: 'conv3d',
  outputShape: [elems],
  trainableParams: params,
  nonTrainableParams: 0,
  macs: 0,
  activationBytes: 4 * elems,
  temporal: false,
});
function net(t: number, size: number): Description {
  const conv = t * size * size * 8;
  return {
    family: 'conv3d',
    variant: 'x',
    clip: { numFrames: t, height: size, width: size, channels: 3, numClasses: 2 },
    layers: [row('conv1', conv, 1000), row('fc', 2, 500)],
    totals: {
      trainableParams: 1500,
      nonTrainableParams: 100,
      macs: 0,
      activationBytes: 4 * (conv + 2),
    },
    extras: [],
  };
}
const roomy: DeviceLimits = {
  backend: 'webgpu',
  maxBindingBytes: 128 * 2 ** 20,
  totalBytes: 2 ** 30,
  source: 'test',
};
const model = (over: Partial<ModelSetting> = {}): ModelSetting => ({
  batchSize: 4,
  optimizer: 'adam',
  describe: net,
  ...over,
});
const PX = 32 * 32; // size 32

/** Every "lower the <knob> to <n>" of a refusal. */
function suggestions(refusal: string | null): Record<string, number> {
  return Object.fromEntries(
    [...(refusal ?? '').matchAll(/(?:lower|or) (the [a-z ()KT]+?) to (\d+)/g)].map((m) => [
      m[1],
      Number(m[2]),
    ]),
  );
}

describe('the budget covers every allocation of a setting, line by line', () => {
  it('dataset: a synthetic task keeps classes × (train + val) clips of T·H·W·3 floats', () => {
    const b = budgetFor(
      {
        numFrames: 8,
        size: 32,
        dataset: { kind: 'synthetic', classes: 2, trainPerClass: 3, valPerClass: 2 },
      },
      roomy,
    );
    expect(bytesOf(b, 'dataset')).toBe(2 * (3 + 2) * 8 * PX * 3 * 4); // 983,040
    expect(b.lines.map((l) => l.item)).toEqual(['dataset']);
    expect(b.totalBytes).toBe(983_040);
    expect(b.fits).toBe(true);
    expect(b.refusal).toBeNull();
  });

  it('dataset: own clips cost the stored frames they read', () => {
    expect(
      bytesOf(
        budgetFor({ numFrames: 8, size: 32, dataset: { kind: 'stored', bytes: 12_345 } }, roomy),
        'dataset',
      ),
    ).toBe(12_345);
  });

  it('frames, thumbnails and flow of a sample: n = K·T frames of RGBA, a bitmap each, (n − 1) flow fields of 2 floats', () => {
    const sample = {
      chunks: 3,
      framesOf: (t: number, k: number) => t * k,
      thumbnails: true,
      flow: true,
    };
    const b = budgetFor({ numFrames: 8, size: 32, sample }, roomy);
    expect(bytesOf(b, 'frames')).toBe(24 * PX * 4); // 98,304
    expect(bytesOf(b, 'thumbnails')).toBe(24 * PX * 4);
    expect(bytesOf(b, 'flow')).toBe(23 * PX * 2 * 4); // 188,416
    expect(b.totalBytes).toBe(98_304 * 2 + 188_416);
    const bare = budgetFor(
      { numFrames: 8, size: 32, sample: { ...sample, thumbnails: false, flow: false } },
      roomy,
    );
    expect(bare.lines.map((l) => l.item)).toEqual(['frames']);
  });

  it('weights, gradients and optimizer state: 4 B per parameter, 4 B per trainable one, Adam 8 B per trainable one, SGD none', () => {
    const b = budgetFor({ numFrames: 8, size: 32, model: model() }, roomy);
    expect(bytesOf(b, 'weights')).toBe(4 * 1600);
    expect(bytesOf(b, 'gradients')).toBe(4 * 1500);
    expect(bytesOf(b, 'optimizer')).toBe(8 * 1500);
    expect(
      bytesOf(
        budgetFor({ numFrames: 8, size: 32, model: model({ optimizer: 'sgd' }) }, roomy),
        'optimizer',
      ),
    ).toBe(0);
  });

  it('activations and inputs: 2 × batch × Σ layer outputs, and the batch of clips itself', () => {
    const b = budgetFor({ numFrames: 8, size: 32, model: model() }, roomy);
    expect(bytesOf(b, 'activations')).toBe(2 * 4 * 4 * (8 * PX * 8 + 2)); // 2,097,216
    expect(bytesOf(b, 'inputs')).toBe(4 * 8 * PX * 3 * 4); // 393,216
    expect(b.totalBytes).toBe(6400 + 6000 + 12_000 + 2_097_216 + 393_216);
    expect(b.largestTensorLayer).toBe('conv1');
    expect(b.largestTensorBytes).toBe(4 * 4 * 8 * PX * 8);
  });

  it('flow inputs (two-stream): examples × L flows of H·W·2 floats, at most what the flow store keeps; the batch carries its L flows', () => {
    const flowInputs = { stack: (t: number) => t - 1, examples: 10, storeBytes: 2 ** 30 };
    const b = budgetFor({ numFrames: 8, size: 32, model: model({ flowInputs }) }, roomy);
    expect(bytesOf(b, 'flow inputs')).toBe(10 * 7 * PX * 2 * 4); // 573,440
    expect(bytesOf(b, 'inputs')).toBe(4 * (8 * PX * 3 + 7 * PX * 2) * 4);
    expect(
      bytesOf(
        budgetFor(
          {
            numFrames: 8,
            size: 32,
            model: model({ flowInputs: { ...flowInputs, storeBytes: 100_000 } }),
          },
          roomy,
        ),
        'flow inputs',
      ),
    ).toBe(100_000);
    // With a synthetic dataset, its clips are the examples.
    const withData = budgetFor(
      {
        numFrames: 8,
        size: 32,
        dataset: { kind: 'synthetic', classes: 2, trainPerClass: 3, valPerClass: 2 },
        model: model({ flowInputs }),
      },
      roomy,
    );
    expect(bytesOf(withData, 'flow inputs')).toBe(10 * 7 * PX * 2 * 4);
    expect(withData.totalBytes).toBe(withData.lines.reduce((a, l) => a + l.bytes, 0));
  });
});

describe('refusals name the knob and a value that fits', () => {
  it('the link ?family=conv3d&frames=128&size=256: its synthetic dataset alone is 12 GiB; lower the frame size to 72 or the frames to 10', () => {
    const setting: BudgetSetting = {
      numFrames: 128,
      size: 256,
      dataset: { kind: 'synthetic', classes: 2, trainPerClass: 48, valPerClass: 16 },
    };
    const b = budgetFor(setting, PAGE_LIMITS);
    expect(b.fits).toBe(false);
    expect(bytesOf(b, 'dataset')).toBe(128 * 128 * 256 * 256 * 3 * 4);
    expect(b.refusal).toMatch(
      /^Will not fit: this setting needs about 12\.0 GiB \(dataset 12\.0 GiB\) but the working budget is 1\.0 GiB\./,
    );
    expect(b.refusal).toContain('To fit, lower the frame size to 72, or the frames (T) to 10.');
    // Each suggestion fits on its own; one step more does not.
    expect(budgetFor({ ...setting, size: 72 }, PAGE_LIMITS).fits).toBe(true);
    expect(budgetFor({ ...setting, size: 80 }, PAGE_LIMITS).fits).toBe(false);
    expect(budgetFor({ ...setting, numFrames: 10 }, PAGE_LIMITS).fits).toBe(true);
    expect(budgetFor({ ...setting, numFrames: 11 }, PAGE_LIMITS).fits).toBe(false);
  });

  it('fewer training clips per class is offered when it is enough', () => {
    const setting: BudgetSetting = {
      numFrames: 16,
      size: 64,
      dataset: { kind: 'synthetic', classes: 2, trainPerClass: 1000, valPerClass: 16 },
    };
    const b = budgetFor(setting, PAGE_LIMITS);
    const n = suggestions(b.refusal)['the training clips per class'];
    expect(n).toBe(Math.floor(2 ** 30 / (2 * 16 * 64 * 64 * 12)) - 16); // 2 × (n + 16) clips fit in 1 GiB
    expect(
      budgetFor(
        {
          ...setting,
          dataset: { ...setting.dataset!, trainPerClass: n } as BudgetSetting['dataset'],
        },
        PAGE_LIMITS,
      ).fits,
    ).toBe(true);
  });

  it('a tensor over the per-buffer limit names the batch size, the frame size and the frames that fit', () => {
    const limits = { ...roomy, maxBindingBytes: 3 * 4 * 8 * PX * 8 }; // three examples of conv1
    const b = budgetFor({ numFrames: 8, size: 32, model: model({ batchSize: 8 }) }, limits);
    expect(b.fits).toBe(false);
    expect(b.refusal).toMatch(
      /the output of conv1 for a batch of 8 is 2\.0 MiB, but this GPU binds at most 768\.0 KiB per buffer/,
    );
    expect(suggestions(b.refusal)).toEqual({
      'the batch size': 3,
      'the frame size': 16,
      'the frames (T)': 3,
    });
    expect(budgetFor({ numFrames: 8, size: 32, model: model({ batchSize: 3 }) }, limits).fits).toBe(
      true,
    );
    expect(budgetFor({ numFrames: 8, size: 32, model: model({ batchSize: 4 }) }, limits).fits).toBe(
      false,
    );
  });

  it('a model total over the budget names the batch size that fits', () => {
    const limits = { ...roomy, totalBytes: 10 * 2 ** 20 };
    const b = budgetFor({ numFrames: 8, size: 64, model: model({ batchSize: 16 }) }, limits);
    expect(b.fits).toBe(false);
    expect(b.refusal).toMatch(
      /this setting needs about [\d.]+ MiB \(weights 6\.3 KiB, gradients 5\.9 KiB, optimizer 11\.7 KiB, activations [\d.]+ MiB, inputs [\d.]+ MiB\) but the working budget is 10\.0 MiB/,
    );
    const n = suggestions(b.refusal)['the batch size'];
    expect(n).toBe(4); // (10 MiB − 24,400 B of weights and state) / 2,490,384 B per example
    expect(budgetFor({ numFrames: 8, size: 64, model: model({ batchSize: n }) }, limits).fits).toBe(
      true,
    );
    expect(
      budgetFor({ numFrames: 8, size: 64, model: model({ batchSize: n + 1 }) }, limits).fits,
    ).toBe(false);
  });

  it('a frame size the model cannot take is never offered; the model’s own words when the setting is one', () => {
    // Only frames of 16 pixels or less fit, but the model needs at least 24.
    const picky = (t: number, size: number) => {
      if (size < 24) throw new Error('input too small for conv1');
      return net(t, size);
    };
    const limits = { ...roomy, totalBytes: 200_000 };
    const b = budgetFor(
      { numFrames: 8, size: 64, model: model({ batchSize: 1, describe: picky }) },
      limits,
    );
    expect(b.fits).toBe(false);
    expect(suggestions(b.refusal)).toEqual({});
    expect(b.refusal).toMatch(
      /No one knob alone is enough: lower the frame size and the frames \(T\) together, or pick a smaller preset\./,
    );
    expect(() =>
      budgetFor({ numFrames: 8, size: 16, model: model({ describe: picky }) }, limits),
    ).toThrow(/too small/);
  });

  it('when no one knob is enough it says so', () => {
    const b = budgetFor(
      { numFrames: 2, size: 8, dataset: { kind: 'stored', bytes: 2 * 2 ** 30 } },
      PAGE_LIMITS,
    );
    expect(b.refusal).toMatch(/No one knob alone is enough/);
  });
});

describe('caps', () => {
  const sample = (chunks: number) => ({
    chunks,
    framesOf: (t: number, k: number) => t * k,
    thumbnails: true,
    flow: true,
  });

  it('a sample of K·T = 16 × 128 = 2,048 frames is over the 512 frames one clip may keep: lower the frames to 32 or the chunks to 4', () => {
    const b = budgetFor({ numFrames: 128, size: 32, sample: sample(16) }, PAGE_LIMITS);
    expect(b.fits).toBe(false);
    expect(b.refusal).toMatch(
      /the sample takes 2,048 frames of the clip \(16 chunks × 128\), more than the 512 one clip may keep/,
    );
    expect(suggestions(b.refusal)).toEqual({ 'the frames (T)': 32, 'the chunks (K)': 4 });
    expect(
      budgetFor({ numFrames: MAX_FRAMES_PER_CLIP, size: 8, sample: sample(1) }, PAGE_LIMITS).fits,
    ).toBe(true);
    expect(
      budgetFor({ numFrames: MAX_FRAMES_PER_CLIP + 1, size: 8, sample: sample(1) }, PAGE_LIMITS)
        .fits,
    ).toBe(false);
  });

  it('one clip’s frames over 256 MiB are refused even inside the working budget', () => {
    // 300 frames at 480 × 480: 263.7 MiB of RGBA.
    const setting = {
      numFrames: 300,
      size: 480,
      sample: { ...sample(1), thumbnails: false, flow: false },
    };
    const b = budgetFor(setting, { ...PAGE_LIMITS, totalBytes: 16 * 2 ** 30 });
    expect(300 * 480 * 480 * 4).toBeGreaterThan(MAX_CLIP_FRAME_BYTES);
    expect(b.refusal).toMatch(/take 263\.7 MiB, more than the 256\.0 MiB one clip may keep/);
    expect(
      budgetFor({ ...setting, size: suggestions(b.refusal)['the frame size'] }, PAGE_LIMITS).fits,
    ).toBe(true);
  });

  it('the page budget is the working budget alone', () => {
    expect(PAGE_LIMITS.totalBytes).toBe(DEFAULT_TOTAL_BUDGET);
    expect(PAGE_LIMITS.maxBindingBytes).toBeNull();
  });

  it('a setting of other than whole numbers is refused in words', () => {
    expect(() => budgetFor({ numFrames: 8.5, size: 32 }, PAGE_LIMITS)).toThrow(
      /frames \(T\) as a whole number ≥ 1, got 8.5/,
    );
    expect(() =>
      budgetFor({ numFrames: 8, size: 32, model: model({ batchSize: 0 }) }, PAGE_LIMITS),
    ).toThrow(/batch size/);
    expect(() =>
      budgetFor(
        {
          numFrames: 8,
          size: 32,
          dataset: { kind: 'synthetic', classes: 2, trainPerClass: Number.NaN, valPerClass: 1 },
        },
        PAGE_LIMITS,
      ),
    ).toThrow(/training clips per class/);
  });
});
