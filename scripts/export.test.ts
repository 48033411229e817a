// `npm run export` end to end, checked in PyTorch (Debian's python3-torch; CI installs it, and
// these tests FAIL, not skip, without it):
//  - every trainable preset (each family's tiny, each transformer attention kind, SlowFast, …)
//    exported after 2 training steps: model.py + weights.safetensors give tfjs's outputs on
//    check.json's inputs within 1e-4 relative, and PyTorch's parameter count equals describe's;
//  - every paper-scale preset exported as code: PyTorch's counts equal describe's;
//  - train.py runs one epoch on two clips made with ffmpeg, single-process, and with DDP on 2 processes;
//  - the CLI's refusals (unknown model, a non-empty folder, a model it cannot express, a failed
//    write) leave nothing behind.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredFamilies, type FoundPreset } from '../src/models/registry';
import { framesInput, type NetSpec } from '../src/models/blocks/net';
import { buildNet } from '../src/models/blocks/layers-net';
import { describeNet } from '../src/models/blocks/describe-net';
import { ExportError } from '../src/export/torch-net';
import { exportToDir, parseExportArgs, writeAtomically } from './export';
import { torchPython } from './torch-python';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clipscope-export-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const python = torchPython();
function needPython(): string {
  if (!python) throw new Error('No Python with PyTorch: install Debian\'s python3-torch (.ci/run does), or set PYTHON to an interpreter that has torch.');
  return python;
}

const presets = registeredFamilies().flatMap((f) => Object.entries(f.presets).map(([name, p]) => ({ label: `${f.id}:${name}`, dir: path.join(root, `${f.id}-${name}`), paper: p.paper === true, config: p.config as Record<string, unknown> })));
const leftovers = (dir: string) => fs.readdirSync(dir).filter((n) => n.includes('.partial-'));

describe('the PyTorch export, checked in PyTorch', () => {
  it('finds Python with PyTorch (python3-torch)', () => {
    needPython();
  });

  it('covers every family, each transformer attention kind and SlowFast', () => {
    const trainable = presets.filter((p) => !p.paper);
    for (const f of registeredFamilies()) expect(trainable.map((p) => p.label)).toContain(`${f.id}:tiny`);
    for (const a of ['joint', 'divided', 'factorised']) expect(trainable.some((p) => p.config['attention'] === a)).toBe(true);
    expect(trainable.some((p) => p.config['variant'] === 'slowfast')).toBe(true);
  });

  it('gives the browser model’s outputs (1e-4 relative) and describe’s parameter counts for every preset', async () => {
    const py = needPython();
    for (const p of presets) {
      const args = [p.label, '--format', 'pytorch', '--out', p.dir, ...(p.paper ? [] : ['--train-steps', '2'])];
      await exportToDir(parseExportArgs(args));
    }
    const run = spawnSync(py, [path.join(import.meta.dirname, 'export_check.py'), ...presets.map((p) => p.dir)], { encoding: 'utf8', timeout: 240_000 });
    const results = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { model: string; ok: boolean; counts_ok?: boolean; logits_ok?: boolean; rel_err?: number; outputs_differ?: boolean; error?: string });
    expect(results.map((r) => r.model)).toEqual(presets.map((p) => p.label));
    for (const r of results) {
      const p = presets.find((q) => q.label === r.model);
      expect(r, `${r.model}: ${JSON.stringify(r)}`).toMatchObject({ ok: true, counts_ok: true });
      if (!p?.paper) {
        expect(r.logits_ok, r.model).toBe(true);
        expect(r.rel_err, r.model).toBeLessThanOrEqual(1e-4);
        expect(r.outputs_differ, `${r.model}: the two check clips get the same output`).toBe(true);
      }
    }
    expect(run.status, run.stderr).toBe(0);
  }, 400_000);

  it('layers no preset uses match too: lopsided 2D/3D "same" convs and pools, average pooling, numeric pads, BN on vectors, unfolding images', async () => {
    const py = needPython();
    const clip = { numFrames: 6, height: 12, width: 12, channels: 3, numClasses: 2 };
    const spec: NetSpec = {
      inputs: [framesInput(clip)],
      body: (net, [x]) => {
        let a = net.conv(x, { name: 'c3', filters: 4, kernel: [3, 3, 3], stride: [2, 2, 2] }); // 'same', pads (0, 1) per axis
        a = net.pool(a, { name: 'p3avg', kind: 'avg', size: [2, 3, 3], stride: [1, 2, 2], pad: 'same' });
        a = net.pool(net.relu(a, 'r3'), { name: 'p3max', kind: 'max', size: [3, 3, 3], stride: [1, 1, 1], pad: 'same' });
        const fa = net.dense(net.flatten(a, 'flat3', 3), 8, 'fa', 'relu');
        let b = net.conv(net.foldTime(x, 'fold'), { name: 'c2', filters: 4, kernel: 3, stride: 2 }); // 12 → 6, pads (0, 1)
        b = net.pool(b, { name: 'p2avg', kind: 'avg', size: 3, stride: 2, pad: 'same' });
        b = net.relu(net.batchNorm(net.conv(b, { name: 'c2p', filters: 4, kernel: 3, pad: 1, bias: false }), 'c2p.bn'), 'r2');
        b = net.pool(b, { name: 'p2max', kind: 'max', size: 3, stride: 1, pad: 1 });
        b = net.globalAvgPool(net.unfoldTime(b, clip.numFrames, 'unfold'), 'gap3', 3);
        const v = net.batchNorm(net.concat([fa, b], 'cat'), 'bnv');
        return net.dense(net.dropout(v, 0.1, 'drop'), clip.numClasses, 'head', 'softmax');
      },
    };
    const base = registeredFamilies()[0];
    const probe: FoundPreset = {
      family: {
        ...base,
        net: () => spec,
        build: () => buildNet(spec, 'probe'),
        describe: () => ({ family: base.id, variant: 'probe', clip, ...describeNet(spec), extras: [] }),
      },
      name: 'probe',
      preset: { config: {}, clip },
    };
    const dir = path.join(root, 'probe');
    await exportToDir({ found: probe, out: dir, force: false, trainSteps: 3, task: 'order-direction', seed: 4 });
    const run = spawnSync(py, [path.join(import.meta.dirname, 'export_check.py'), dir], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ ok: true, logits_ok: true, counts_ok: true, outputs_differ: true });
  }, 120_000);

  it('the trained export is trained: its weights are not the seed’s initial ones', async () => {
    const dir = path.join(root, 'initial-conv3d');
    await exportToDir(parseExportArgs(['conv3d:tiny', '--format', 'pytorch', '--out', dir]));
    const trained = fs.readFileSync(path.join(root, 'conv3d-tiny', 'weights.safetensors'));
    expect(trained.equals(fs.readFileSync(path.join(dir, 'weights.safetensors')))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'conv3d-tiny', 'check.json'), 'utf8'))).toMatchObject({ weights: expect.stringMatching(/^trained 2 steps/), backend: 'cpu' });
  }, 120_000);

  it('train.py runs one epoch on two generated clips, single-process (frames, and the two-stream flow input)', () => {
    const py = needPython();
    const clips = path.join(root, 'clips');
    // Two classes, one clip each: 2 s of ffmpeg's test patterns, 10 fps, 64×48 (resized and cropped by train.py).
    for (const [cls, src] of [['left', 'testsrc'], ['right', 'testsrc2']]) {
      fs.mkdirSync(path.join(clips, cls), { recursive: true });
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `${src}=size=64x48:rate=10`, '-t', '2', '-pix_fmt', 'yuv420p', path.join(clips, cls, 'clip.mp4')]);
    }
    for (const model of ['conv3d-tiny', 'two-stream-tiny']) {
      const dir = path.join(root, model);
      const out = path.join(root, `${model}-trained.pt`);
      const run = spawnSync(py, ['train.py', '--data', clips, '--val', clips, '--epochs', '1', '--batch-size', '2', '--workers', '0', '--out', out], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      expect(run.status, `${model}: ${run.stderr}`).toBe(0);
      const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { epoch: number; clips: number; train_loss: number; val_acc: number };
      expect(summary).toMatchObject({ epoch: 1, clips: 2 });
      expect(Number.isFinite(summary.train_loss)).toBe(true);
      expect(summary.val_acc).toBeGreaterThanOrEqual(0);
      expect(fs.statSync(out).size).toBeGreaterThan(0);
    }
  }, 300_000);

  it('train.py trains with DistributedDataParallel across 2 processes (gloo), launched as torchrun launches them', async () => {
    const py = needPython();
    // torchrun sets these; Debian's PyTorch 1.13 launcher itself fails on Python 3.11 (IntFlag), so set them here.
    const dir = path.join(root, 'conv3d-tiny');
    const out = path.join(root, 'ddp.pt');
    const clips = path.join(root, 'clips');
    const port = String(29_500 + Math.floor(Math.random() * 400));
    const procs = [0, 1].map(
      (rank) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          const env = { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: port, WORLD_SIZE: '2', RANK: String(rank), LOCAL_RANK: String(rank), OMP_NUM_THREADS: '1' };
          const child = spawn(py, ['train.py', '--data', clips, '--epochs', '1', '--batch-size', '1', '--workers', '0', '--out', out], { cwd: dir, env });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('close', (status) => resolve({ status, stdout, stderr }));
        }),
    );
    const [r0, r1] = await Promise.all(procs);
    expect(r0.status, r0.stderr).toBe(0);
    expect(r1.status, r1.stderr).toBe(0);
    // rank 0 reports the epoch over both processes' clips (all-reduced) and saves the model
    expect(JSON.parse(r0.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ epoch: 1, clips: 2 });
    expect(r1.stdout.trim()).toBe('');
    expect(fs.statSync(out).size).toBeGreaterThan(0);
  }, 300_000);

  it('mmaction2_config.py holds the sampling as SampleFrames for the train and test views', () => {
    const py = needPython();
    const dir = path.join(root, 'conv3d-tiny');
    const code = `import json, runpy, py_compile
py_compile.compile("mmaction2_clipscope.py", doraise=True)
cfg = runpy.run_path("mmaction2_config.py")
print(json.dumps({"train": cfg["train_pipeline"][1], "test": cfg["val_pipeline"][1], "crop": cfg["train_pipeline"][4], "model": cfg["model"]["type"]}))`;
    const got = JSON.parse(execFileSync(py, ['-c', code], { cwd: dir, encoding: 'utf8' })) as Record<string, unknown>;
    expect(got).toEqual({
      train: { type: 'SampleFrames', clip_len: 8, frame_interval: 2, num_clips: 1 },
      test: { type: 'SampleFrames', clip_len: 8, frame_interval: 2, num_clips: 1, test_mode: true },
      crop: { type: 'CenterCrop', crop_size: [32, 32] },
      model: 'ClipscopeRecognizer',
    });
  });
});

describe('npm run export refuses clearly and leaves nothing behind', () => {
  const out = (name: string) => path.join(root, 'errors', name);
  fs.mkdirSync(path.join(root, 'errors'), { recursive: true });

  it('an unknown family or preset, a format other than pytorch, a missing --out', () => {
    expect(() => parseExportArgs(['nope:tiny', '--format', 'pytorch', '--out', out('a')])).toThrow(/Unknown family or preset "nope:tiny"/);
    expect(() => parseExportArgs(['conv3d:nope', '--format', 'pytorch', '--out', out('a')])).toThrow(/conv3d has no preset "nope"/);
    expect(() => parseExportArgs(['conv3d:tiny', '--format', 'onnx', '--out', out('a')])).toThrow(/--format must be "pytorch", got "onnx"/);
    expect(() => parseExportArgs(['conv3d:tiny', '--format', 'pytorch'])).toThrow(/--out DIR is missing/);
    expect(() => parseExportArgs(['conv3d:r3d_18', '--format', 'pytorch', '--out', out('a'), '--train-steps', '2'])).toThrow(/paper-scale/);
    expect(fs.existsSync(out('a'))).toBe(false);
  });

  it('an output folder that exists and is not empty, unless --force', async () => {
    const dir = out('full');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'mine.txt'), 'keep me');
    await expect(exportToDir(parseExportArgs(['single-frame:tiny', '--format', 'pytorch', '--out', dir]))).rejects.toThrow(/exists and is not empty; pass --force/);
    expect(fs.readdirSync(dir)).toEqual(['mine.txt']);
    await exportToDir(parseExportArgs(['single-frame:tiny', '--format', 'pytorch', '--out', dir, '--force']));
    expect(fs.readdirSync(dir).sort()).toEqual(['README.md', 'check.json', 'mmaction2_clipscope.py', 'mmaction2_config.py', 'model.py', 'train.py', 'weights.safetensors']);
    expect(leftovers(path.dirname(dir))).toEqual([]);
  });

  it('a model the exporter cannot express', async () => {
    const found = registeredFamilies()[0];
    const clip = { numFrames: 4, height: 8, width: 8, channels: 3, numClasses: 2 };
    const bad: FoundPreset = {
      family: { ...found, net: () => ({ inputs: [framesInput(clip)], body: (net, [x]) => net.dense(net.pickFrames(x, { name: 'mid', numFrames: 4, averageAtInference: false }), 2, 'fc') }) },
      name: 'bad',
      preset: { config: {}, clip },
    };
    const dir = out('bad');
    await expect(exportToDir({ found: bad, out: dir, force: false, trainSteps: 0, task: 'order-direction', seed: 1 })).rejects.toThrow(ExportError);
    expect(fs.existsSync(dir)).toBe(false);
    expect(leftovers(path.dirname(dir))).toEqual([]);
  });

  it('a write that fails half-way', () => {
    const dir = out('half');
    const file = (name: string) => ({ name, bytes: new Uint8Array([1]) });
    expect(() => writeAtomically(dir, [file('model.py'), file('no/such/folder/x')], false)).toThrow();
    expect(fs.existsSync(dir)).toBe(false);
    expect(leftovers(path.dirname(dir))).toEqual([]);
  });

  it('the command exits non-zero with the message', () => {
    const run = spawnSync('npx', ['tsx', path.join(import.meta.dirname, 'export.ts'), 'nope:tiny', '--format', 'pytorch', '--out', out('cli')], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/export: Unknown family or preset "nope:tiny"/);
    expect(fs.existsSync(out('cli'))).toBe(false);
  }, 60_000);
});
