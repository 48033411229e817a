// `npm run export -- <family>:<preset> --format pytorch --out DIR [--force] [--train-steps N] [--task T] [--seed S]`
//
// Writes the PyTorch export of a preset (src/export/bundle.ts: model.py, weights.safetensors,
// check.json, mmaction2_config.py, mmaction2_clipscope.py, train.py, README.md) into DIR. Runs in
// Node on tfjs's CPU backend: the preset is built from the seed, and with --train-steps N it is
// first trained N steps by the shared training loop on a synthetic task (whose classes then size
// the head), so the export holds a trained model. check.json's logits are tfjs-on-CPU's.
// Paper-scale presets are exported as code only (no weights: too big to build here).
//
// Nothing half-written is left behind: files go to a temporary folder beside DIR, renamed into
// place at the end; DIR must not exist or be empty, unless --force.
//
//   npm run export -- conv3d:tiny --format pytorch --out /tmp/c3d
//   npm run export -- two-stream:slowfast_tiny --format pytorch --out /tmp/sf --train-steps 4

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { errorText } from '../src/lib/errors';
import { findPreset, type FoundPreset } from '../src/models/registry';
import { exportPytorch, programOf, type ExportFile } from '../src/export/bundle';
import { DEFAULT_SAMPLING } from '../src/data/sampling';
import { isTaskId, TASK_INFO, type TaskId } from '../src/data/synthetic/task-info';
import { syntheticData } from '../src/training/datasets';
import { TrainLoop } from '../src/training/train-loop';
import { buildSeeded } from '../src/training/probe';
import { installFastCpuKernels } from '../src/test/fast-cpu-kernels';
import type { ClipSpec } from '../src/models/types';

const USAGE = 'usage: npm run export -- <family>:<preset> --format pytorch --out DIR [--force] [--train-steps N] [--task TASK] [--seed S]';

export interface ExportArgs {
  found: FoundPreset;
  out: string;
  force: boolean;
  trainSteps: number;
  task: TaskId;
  seed: number;
}

function wholeNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number ≥ 0, got "${raw}".`);
  return n;
}

export function parseExportArgs(argv: string[]): ExportArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false }, 'train-steps': { type: 'string' }, task: { type: 'string' }, seed: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new Error(`${USAGE}\nName one model, e.g. conv3d:tiny.`);
  if (values.format !== 'pytorch') throw new Error(`--format must be "pytorch"${values.format === undefined ? ' (the only format)' : `, got "${values.format}"`}.\n${USAGE}`);
  if (!values.out) throw new Error(`--out DIR is missing.\n${USAGE}`);
  const task = values.task ?? 'order-direction';
  if (!isTaskId(task)) throw new Error(`--task must be one of ${Object.keys(TASK_INFO).join(', ')}, got "${task}".`);
  const found = findPreset(positionals[0]);
  const trainSteps = wholeNumber('train-steps', values['train-steps'], 0);
  if (trainSteps > 0 && found.preset.paper) throw new Error(`${found.family.id}:${found.name} is paper-scale: it is exported as code only and cannot be trained here (leave out --train-steps).`);
  return { found, out: path.resolve(values.out), force: values.force ?? false, trainSteps, task, seed: wholeNumber('seed', values.seed, 1) };
}

/** DIR may be written: it does not exist, is an empty folder, or --force. */
export function checkOutDir(out: string, force: boolean): void {
  if (!fs.existsSync(out)) return;
  if (!fs.statSync(out).isDirectory()) throw new Error(`${out} exists and is not a folder.`);
  if (!force && fs.readdirSync(out).length > 0) throw new Error(`${out} exists and is not empty; pass --force to replace it.`);
}

/** The model whose weights are exported: trained N steps on the task, or the seed's initial weights. */
async function modelFor(a: ExportArgs): Promise<{ model: tf.LayersModel; clip: ClipSpec; weightsFrom: string; dispose: () => Promise<void> }> {
  const { family, preset } = a.found;
  if (a.trainSteps === 0) {
    const built = buildSeeded(family, preset.config, preset.clip, a.seed);
    return { model: built.model, clip: preset.clip, weightsFrom: `initial weights (seed ${a.seed})`, dispose: async () => {
        built.model.dispose();
      } };
  }
  installFastCpuKernels();
  const batchSize = 2;
  const classes = TASK_INFO[a.task].classes.length;
  const clip = { ...preset.clip, numClasses: classes };
  const data = syntheticData({ task: a.task, seed: a.seed, numFrames: clip.numFrames, height: clip.height, width: clip.width, trainPerClass: Math.ceil((a.trainSteps * batchSize) / classes), valPerClass: 1 });
  const loop = new TrainLoop({ build: () => family.build(preset.config, clip), data, config: { optimizer: 'adam', learningRate: 0.003, batchSize, epochs: 1, seed: a.seed }, yieldFn: async () => {} });
  await loop.play();
  if (loop.status !== 'done') {
    await loop.dispose();
    throw new Error(`Training ${family.id}:${a.found.name} before the export ended ${loop.status}: ${loop.error ?? ''}`);
  }
  return { model: loop.model, clip, weightsFrom: `trained ${loop.stepsDone} steps (Adam 0.003, batch ${batchSize}) on the synthetic task ${a.task}, seed ${a.seed}`, dispose: () => loop.dispose() };
}

/** The export's files for parsed arguments (nothing written). */
export async function exportFiles(a: ExportArgs): Promise<ExportFile[]> {
  const { family, name, preset } = a.found;
  const sampling = { strategy: DEFAULT_SAMPLING.strategy, stride: DEFAULT_SAMPLING.stride, chunks: DEFAULT_SAMPLING.chunks };
  const base = { family, presetName: name, config: preset.config, backend: tf.getBackend(), sampling, seed: a.seed };
  if (preset.paper) {
    programOf({ family, config: preset.config, clip: preset.clip, presetName: name }); // fail before anything else when it cannot be expressed
    return await exportPytorch({ ...base, clip: preset.clip, model: null, weightsFrom: 'none (paper-scale preset: code only)' });
  }
  programOf({ family, config: preset.config, clip: preset.clip, presetName: name });
  const m = await modelFor(a);
  try {
    return await exportPytorch({ ...base, clip: m.clip, model: m.model, weightsFrom: m.weightsFrom });
  } finally {
    await m.dispose();
  }
}

/** Writes the files into `out` through a temporary folder beside it; nothing is left on failure. */
export function writeAtomically(out: string, files: readonly ExportFile[], force: boolean): void {
  checkOutDir(out, force);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(out), `.${path.basename(out)}.partial-`));
  try {
    for (const f of files) fs.writeFileSync(path.join(tmp, f.name), f.bytes);
    checkOutDir(out, force);
    if (fs.existsSync(out)) fs.rmSync(out, { recursive: true, force: true });
    fs.renameSync(tmp, out);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** The export of parsed arguments, written into a.out (checked before any work, written at the end). */
export async function exportToDir(a: ExportArgs): Promise<ExportFile[]> {
  checkOutDir(a.out, a.force);
  const files = await exportFiles(a);
  writeAtomically(a.out, files, a.force);
  return files;
}

export async function runExport(argv: string[]): Promise<{ out: string; files: ExportFile[] }> {
  await tf.setBackend('cpu');
  await tf.ready();
  const a = parseExportArgs(argv);
  return { out: a.out, files: await exportToDir(a) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runExport(process.argv.slice(2)).then(
    ({ out, files }) => {
      for (const f of files) console.log(`${String(f.bytes.length).padStart(10)}  ${path.join(out, f.name)}`);
    },
    (e: unknown) => {
      console.error(`export: ${errorText(e)}`);
      process.exit(1);
    },
  );
}
