// The exporter's JavaScript side, without PyTorch: layouts, safetensors, tfjs's 3D 'same'
// padding, TorchNet's coverage of every tfjs weight, and its clear refusals. The PyTorch side
// (numbers and counts in torch) is scripts/export.test.ts.

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registeredFamilies } from '../models/registry';
import { buildSeeded } from '../training/probe';
import { framesInput, type NetSpec } from '../models/blocks/net';
import { exportPytorch, programOf } from './bundle';
import { convertLayout, permute } from './layout';
import { readSafetensors, writeSafetensors } from './safetensors';
import { ExportError, samePads, torchProgram } from './torch-net';
import { torchStateDict } from './weights';
import { samplerViews } from './mmaction';

const sampling = { strategy: 'uniform' as const, stride: 2, chunks: 3 };

describe('layouts', () => {
  it('turns a tfjs conv2d kernel [kh, kw, in, out] into OIHW', () => {
    const [kh, kw, ci, co] = [2, 3, 4, 5];
    const x = Float32Array.from({ length: kh * kw * ci * co }, (_, i) => i);
    const y = permute(x, [kh, kw, ci, co], [3, 2, 0, 1]);
    // y[o, i, r, c] = x[r, c, i, o]
    for (const [o, i, r, c] of [[0, 0, 0, 0], [4, 3, 1, 2], [2, 1, 0, 1]]) expect(y[((o * ci + i) * kh + r) * kw + c]).toBe(x[((r * kw + c) * ci + i) * co + o]);
  });

  it('reorders GRU gates z, r, h into r, z, n and transposes [F, 3U] to [3U, F]', () => {
    const [f, u] = [2, 3];
    // value = gate·100 + unit·10 + input
    const x = new Float32Array(f * 3 * u);
    for (let i = 0; i < f; i++) for (let g = 0; g < 3; g++) for (let k = 0; k < u; k++) x[i * 3 * u + g * u + k] = g * 100 + k * 10 + i;
    const y = convertLayout(x, [f, 3 * u], { kind: 'gates', gates: 3, order: [1, 0, 2], transpose: true });
    expect(y[0 * f + 0]).toBe(100); // row 0 = gate r (tfjs gate 1), unit 0, input 0
    expect(y[(u + 2) * f + 1]).toBe(0 + 20 + 1); // row u+2 = gate z (tfjs gate 0), unit 2, input 1
    expect(y[(2 * u + 1) * f + 0]).toBe(200 + 10); // gate n (tfjs h)
    const b = convertLayout(Float32Array.from([0, 0, 1, 1, 2, 2]), [6], { kind: 'gates', gates: 3, order: [1, 0, 2], transpose: false });
    expect(Array.from(b)).toEqual([1, 1, 0, 0, 2, 2]);
  });

  it('refuses a permutation that does not fit the data', () => {
    expect(() => permute(new Float32Array(5), [2, 3], [1, 0])).toThrow(/do not fill/);
    expect(() => permute(new Float32Array(6), [2, 3], [0, 0])).toThrow(/not a permutation/);
  });
});

describe('safetensors', () => {
  it('writes an 8-byte little-endian header length, a JSON header and aligned little-endian data, and reads it back', () => {
    const bytes = writeSafetensors(
      [
        { name: 'a.weight', dtype: 'F32', shape: [2, 2], data: Float32Array.from([1, -2, 3.5, 0.25]) },
        { name: 'bn.num_batches_tracked', dtype: 'I64', shape: [], data: [7] },
      ],
      { format: 'pt' },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { data_offsets: number[] }>;
    expect(header['a.weight'].data_offsets).toEqual([0, 16]);
    expect(header['bn.num_batches_tracked'].data_offsets).toEqual([16, 24]);
    expect(new DataView(bytes.buffer).getFloat32(8 + n + 4, true)).toBe(-2);
    const back = readSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    expect(Array.from(back.tensors[0].data)).toEqual([1, -2, 3.5, 0.25]);
    expect(back.tensors[1]).toMatchObject({ dtype: 'I64', shape: [], data: [7] });
  });

  it('refuses a tensor whose data does not fill its shape, and a name twice', () => {
    expect(() => writeSafetensors([{ name: 'x', dtype: 'F32', shape: [3], data: new Float32Array(2) }])).toThrow(/2 values for shape \[3\]/);
    const t = { name: 'x', dtype: 'F32' as const, shape: [1], data: new Float32Array(1) };
    expect(() => writeSafetensors([t, t])).toThrow(/appears twice/);
  });
});

describe("tfjs's 'same' padding", () => {
  it('clamps at 0 in 2D, as TF does', () => {
    expect(samePads(16, 1, 2, 2)).toEqual([0, 0]);
    expect(samePads(32, 7, 2, 2)).toEqual([2, 3]);
  });

  it('does not clamp in 3D: a 1×1×1 stride-2 conv starts at position 1, as tfjs 4.22 computes it', () => {
    expect(samePads(16, 1, 2, 3)).toEqual([-1, 0]);
    const x = tf.range(0, 16).reshape([1, 1, 4, 4, 1]) as tf.Tensor5D;
    const k = tf.ones([1, 1, 1, 1, 1]) as tf.Tensor5D;
    const y = tf.conv3d(x, k, [1, 2, 2], 'same');
    expect(Array.from(y.dataSync())).toEqual([5, 7, 13, 15]); // rows/cols 1 and 3, not 0 and 2
    tf.dispose([x, k, y]);
  });
});

describe('TorchNet over the model zoo', () => {
  const presets = registeredFamilies().flatMap((family) => Object.entries(family.presets).map(([name, preset]) => ({ family, name, preset })));

  it.each(presets.map((p) => [`${p.family.id}:${p.name}`, p] as const))('%s: one PyTorch tensor per tfjs weight value, named uniquely', async (_, p) => {
    const program = programOf({ family: p.family, config: p.preset.config, clip: p.preset.clip, presetName: p.name });
    const keys = program.tensors.map((t) => t.key);
    expect(new Set(keys).size).toBe(keys.length);
    const d = p.family.describe(p.preset.config, p.preset.clip);
    const count = (role: string) => program.tensors.filter((t) => t.role === role).reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0);
    expect(count('param')).toBe(d.totals.trainableParams);
    expect(count('buffer')).toBe(d.totals.nonTrainableParams);
    if (p.preset.paper) return;
    const before = tf.memory().numTensors;
    const built = buildSeeded(p.family, p.preset.config, p.preset.clip, 1);
    const state = await torchStateDict(built.model, program); // throws if a tfjs weight is left over or missing
    expect(state.filter((t) => t.dtype === 'F32').reduce((a, t) => a + t.data.length, 0)).toBe(built.model.countParams());
    built.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('writes every file, without weights for a paper-scale preset, and leaks no tensor', async () => {
    const sf = presets.find((p) => p.family.id === 'two-stream' && p.name === 'tiny_slowfast');
    const paper = presets.find((p) => p.name === 'r3d_18');
    if (!sf || !paper) throw new Error('presets tiny_slowfast and r3d_18 are missing');
    const built = buildSeeded(sf.family, sf.preset.config, sf.preset.clip, 1);
    const before = tf.memory().numTensors;
    const files = await exportPytorch({ family: sf.family, presetName: sf.name, config: sf.preset.config, clip: sf.preset.clip, model: built.model, weightsFrom: 'initial', backend: 'cpu', sampling, seed: 3 });
    expect(tf.memory().numTensors).toBe(before);
    built.model.dispose();
    expect(files.map((f) => f.name)).toEqual(['model.py', 'weights.safetensors', 'check.json', 'mmaction2_config.py', 'mmaction2_clipscope.py', 'train.py', 'README.md']);
    const text = (name: string) => new TextDecoder().decode(files.find((f) => f.name === name)?.bytes);
    expect(readSafetensors(files[1].bytes).metadata).toMatchObject({ format: 'pt', 'tfjs:slow.res2.0.a.weight': 'slow.res2.0.a/kernel', 'tfjs:fuse1.bn.running_var': 'fuse1.bn/moving_variance' });
    expect(text('model.py')).toContain('class SlowFast(LayerTree)');
    expect(text('model.py')).toContain('self.put("slow.res2.0.a", nn.Conv3d(');
    const check = JSON.parse(text('check.json')) as { inputs: { shape: number[]; data: number[] }[]; logits: number[][] };
    expect(check.inputs[0].shape).toEqual([2, 3, 8, 32, 32]); // (N, C, T, H, W)
    expect(check.inputs[0].data.length).toBe(2 * 3 * 8 * 32 * 32);
    expect(check.logits.length).toBe(2);
    expect(text('mmaction2_config.py')).toContain('dict(type="SampleFrames", clip_len=8, frame_interval=2, num_clips=1)');
    expect(text('README.md')).toContain('## When one machine is not enough');

    const code = await exportPytorch({ family: paper.family, presetName: paper.name, config: paper.preset.config, clip: paper.preset.clip, model: null, weightsFrom: 'none', backend: 'cpu', sampling, seed: 3 });
    expect(code.map((f) => f.name)).not.toContain('weights.safetensors');
    expect(JSON.parse(new TextDecoder().decode(code.find((f) => f.name === 'check.json')?.bytes))).toMatchObject({ logits: null, inputs: [], params: { trainable: 33371472 } });
  });
});

describe('what the exporter cannot express', () => {
  const clip = { numFrames: 4, height: 8, width: 8, channels: 3, numClasses: 2 };
  it('a dense layer on an image tensor', () => {
    const spec: NetSpec = { inputs: [framesInput(clip)], body: (net, [x]) => net.dense(net.pickFrames(x, { name: 'mid', numFrames: 4, averageAtInference: false }), 2, 'fc') };
    expect(() => torchProgram(spec)).toThrow(ExportError);
    expect(() => torchProgram(spec)).toThrow(/fc: the exporter cannot write a dense layer on an image tensor/);
  });
  it('two layers of one name', () => {
    const spec: NetSpec = { inputs: [framesInput(clip)], body: (net, [x]) => net.globalAvgPool(net.conv(net.conv(x, { name: 'c', filters: 2, kernel: [1, 1, 1] }), { name: 'c', filters: 2, kernel: [1, 1, 1] }), 'gap', 3) };
    expect(() => torchProgram(spec)).toThrow(/Two layers are named "c"/);
  });
  it('a family without a network description', () => {
    const [fam] = registeredFamilies();
    expect(() => programOf({ family: { ...fam, net: undefined }, config: {}, clip, presetName: 'x' })).toThrow(/has no network description/);
  });
});

describe('sampling → MMAction2', () => {
  it('maps each strategy to SampleFrames (train and test views) or UniformSampleFrames', () => {
    expect(samplerViews({ strategy: 'random-crop', stride: 4, chunks: 3 }, 16)).toMatchObject({ train: 'dict(type="SampleFrames", clip_len=16, frame_interval=4, num_clips=1)', test: 'dict(type="SampleFrames", clip_len=16, frame_interval=4, num_clips=1, test_mode=True)' });
    expect(samplerViews({ strategy: 'chunks', stride: 2, chunks: 5 }, 8).test).toBe('dict(type="SampleFrames", clip_len=8, frame_interval=2, num_clips=5, test_mode=True)');
    expect(samplerViews({ strategy: 'dense', stride: 2, chunks: 4 }, 8)).toMatchObject({ frameInterval: 1, testClips: 4 });
    expect(samplerViews({ strategy: 'spread', stride: 2, chunks: 4 }, 8).train).toContain('UniformSampleFrames');
  });
});
