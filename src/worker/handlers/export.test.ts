// The worker's PyTorch export request on the CPU backend: a preset's initial weights on the page's
// clip, a paper-scale preset as code only, a trained run's model (its weights, not the seed's),
// and clear refusals. The files' contents are checked in PyTorch by scripts/export.test.ts.

import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../export/safetensors';
import type { HandlerContext } from '../protocol';
import type { ExportPytorchResult } from '../export-protocol';
import { exportHandlers } from './export';
import { resetTrainHandlers, runForExport, trainHandlers } from './train';

const ctx: HandlerContext = { emit: () => {}, thread: 'worker' };
const sampling = { strategy: 'chunks' as const, stride: 3, chunks: 4 };
afterAll(() => resetTrainHandlers());

function file(r: ExportPytorchResult, name: string): Uint8Array {
  const i = r.names.indexOf(name);
  if (i < 0) throw new Error(`no ${name} in ${r.names.join(', ')}`);
  const at = r.sizes.slice(0, i).reduce((a, b) => a + b, 0);
  return r.data.subarray(at, at + r.sizes[i]);
}
const text = (r: ExportPytorchResult, name: string) => new TextDecoder().decode(file(r, name));

describe('export-pytorch', () => {
  it("exports a preset's initial weights on the page's clip, with its sampling, leaking nothing", async () => {
    const before = tf.memory().numTensors;
    const r = await exportHandlers['export-pytorch']({ family: 'late-fusion', preset: 'tiny', numFrames: 6, size: 16, numClasses: 3, seed: 5, sampling }, ctx);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.names).toEqual(['model.py', 'weights.safetensors', 'check.json', 'mmaction2_config.py', 'mmaction2_clipscope.py', 'train.py', 'README.md']);
    expect(r.sizes.reduce((a, b) => a + b, 0)).toBe(r.data.length);
    expect(r).toMatchObject({ label: 'late-fusion:tiny', backend: 'cpu' });
    const check = JSON.parse(text(r, 'check.json')) as { inputs: { shape: number[] }[]; logits: number[][] };
    expect(check.inputs[0].shape).toEqual([2, 3, 6, 16, 16]);
    expect(check.logits[0]).toHaveLength(3);
    expect(text(r, 'mmaction2_config.py')).toContain('dict(type="SampleFrames", clip_len=6, frame_interval=3, num_clips=4, test_mode=True)');
    expect(text(r, 'train.py')).toContain('STRATEGY = "chunks"');
  });

  it('exports a paper-scale preset as code only', async () => {
    const r = await exportHandlers['export-pytorch']({ family: 'transformer', preset: 'timesformer_base', sampling }, ctx);
    expect(r.names).not.toContain('weights.safetensors');
    expect(JSON.parse(text(r, 'check.json'))).toMatchObject({ logits: null, params: { trainable: 121_566_352 } });
  });

  it("exports a trained run's weights, not the seed's", async () => {
    const ds = await trainHandlers['dataset-make']({ kind: 'synthetic', task: 'order-direction', seed: 2, numFrames: 8, size: 16, trainPerClass: 4, valPerClass: 2 }, ctx);
    const train = { optimizer: 'adam' as const, learningRate: 0.01, batchSize: 4, epochs: 1, seed: 9 };
    await trainHandlers['train-start']({ runId: 'ex1', datasetId: ds.datasetId, family: 'single-frame', preset: 'tiny', train, mode: 'idle' }, ctx);
    await expect(exportHandlers['export-pytorch']({ family: 'conv3d', preset: 'tiny', runId: 'ex1', sampling }, ctx)).rejects.toThrow(/trained single-frame:tiny, not conv3d:tiny/);
    const untrained = await exportHandlers['export-pytorch']({ family: 'single-frame', preset: 'tiny', runId: 'ex1', sampling }, ctx);
    await trainHandlers['train-control']({ runId: 'ex1', action: 'step' }, ctx);
    for (let t0 = Date.now(); runForExport('ex1').loop.status === 'training'; ) {
      if (Date.now() - t0 > 60_000) throw new Error('the step did not finish');
      await new Promise((r) => setTimeout(r, 5));
    }
    const stepped = await exportHandlers['export-pytorch']({ family: 'single-frame', preset: 'tiny', runId: 'ex1', sampling }, ctx);
    const fc = (r: ExportPytorchResult) => Array.from(readSafetensors(file(r, 'weights.safetensors')).tensors.find((t) => t.name === 'fc.weight')?.data ?? []);
    expect(fc(stepped)).toHaveLength(16 * 2);
    expect(fc(stepped)).not.toEqual(fc(untrained));
    expect(JSON.parse(text(stepped, 'check.json'))).toMatchObject({ weights: expect.stringMatching(/^run ex1: 1 training steps/) });
  });

  it('refuses an unknown family or preset, bad sizes and bad sampling', async () => {
    // @ts-expect-error an id outside the union, as a stale page might send
    await expect(exportHandlers['export-pytorch']({ family: 'rnn', sampling }, ctx)).rejects.toThrow(/Unknown model family "rnn"/);
    await expect(exportHandlers['export-pytorch']({ family: 'conv3d', preset: 'nope', sampling }, ctx)).rejects.toThrow(/no preset "nope"/);
    await expect(exportHandlers['export-pytorch']({ family: 'conv3d', size: 0, sampling }, ctx)).rejects.toThrow(/size must be a whole number/);
    await expect(exportHandlers['export-pytorch']({ family: 'conv3d', sampling: { ...sampling, stride: 0 } }, ctx)).rejects.toThrow(/frame interval must be/);
    await expect(exportHandlers['export-pytorch']({ family: 'conv3d', runId: 'gone', sampling }, ctx)).rejects.toThrow(/Run gone is not in the worker/);
  });
});
