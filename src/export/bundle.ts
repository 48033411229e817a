// The PyTorch export of one model, as files (name → bytes), the same for the CLI
// (scripts/export.ts, tfjs on Node's CPU backend) and the page's "Export to PyTorch" button (the
// worker, on its backend):
//
//   model.py              plain PyTorch, written by TorchNet from the family's NetSpec (torch-net.ts, model-py.ts)
//   weights.safetensors   the tfjs weights in PyTorch layout (weights.ts, layout.ts, safetensors.ts);
//                         left out for a paper-scale preset exported as code only
//   check.json            a seeded input in PyTorch layout and the tfjs model's output on it (eval
//                         mode), plus describe's parameter counts (check.ts)
//   mmaction2_config.py   the sampling as SampleFrames, input size, normalisation, recognizer (mmaction.ts)
//   mmaction2_clipscope.py  the MMAction2 recognizer that wraps model.py
//   train.py              single-process or torchrun/DDP training on a folder of clips (train-py.ts)
//   README.md             how to run it all (readme.ts)

import type * as tf from '@tensorflow/tfjs';
import type { FamilyDef, ClipSpec } from '../models/types';
import { checkJson } from './check';
import { mmactionConfig, mmactionModule, type ExportSampling } from './mmaction';
import { modelPy } from './model-py';
import { readmeMd } from './readme';
import { writeSafetensors } from './safetensors';
import { ExportError, torchProgram, type TorchProgram } from './torch-net';
import { trainPy } from './train-py';
import { torchStateDict } from './weights';

export interface ExportFile {
  name: string;
  bytes: Uint8Array;
}

export interface ExportRequest {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each family has its own config type
  family: FamilyDef<any>;
  presetName: string;
  config: unknown;
  clip: ClipSpec;
  /** The tfjs model whose weights and outputs are exported; null: code only (paper scale). */
  model: tf.LayersModel | null;
  /** Where the weights come from, in words (e.g. "trained 6 steps on order-direction"). */
  weightsFrom: string;
  /** The backend whose outputs check.json holds (e.g. 'cpu', 'webgpu'). */
  backend: string;
  sampling: ExportSampling;
  /** Seed of check.json's input. */
  seed: number;
}

/** The files' names, in the order they are written. */
export const EXPORT_FILES = ['model.py', 'weights.safetensors', 'check.json', 'mmaction2_config.py', 'mmaction2_clipscope.py', 'train.py', 'README.md'] as const;

const pascal = (s: string): string => s.replace(/(^|[-_ ])(\w)/g, (_, __, c: string) => c.toUpperCase());

/** The model class's name in model.py: the family (or SlowFast, its own architecture). */
function classNameOf(r: ExportRequest): string {
  const variant = (r.config as { variant?: string }).variant;
  if (r.family.id === 'two-stream' && variant === 'slowfast') return 'SlowFast';
  if (r.family.id === 'transformer') return 'VideoTransformer';
  if (r.family.id === 'conv3d') return 'Conv3dNet';
  return pascal(r.family.id);
}

/** The family's network in PyTorch terms, or a clear reason it cannot be exported. */
export function programOf(r: Pick<ExportRequest, 'family' | 'config' | 'clip' | 'presetName'>): TorchProgram {
  if (!r.family.net) throw new ExportError(`The ${r.family.id} family has no network description the exporter can read.`);
  return torchProgram(r.family.net(r.config, r.clip));
}

export async function exportPytorch(r: ExportRequest): Promise<ExportFile[]> {
  const label = `${r.family.id}:${r.presetName}`;
  const program = programOf(r);
  const description = r.family.describe(r.config, r.clip);
  const enc = new TextEncoder();
  const files: ExportFile[] = [];
  const text = (name: string, body: string) => files.push({ name, bytes: enc.encode(body) });
  const summary = `Family ${r.family.id} (${description.variant}) on clips of ${r.clip.numFrames} frames of ${r.clip.height}×${r.clip.width}, ${r.clip.numClasses} classes: ${description.totals.trainableParams.toLocaleString('en-US')} trainable parameters and ${description.totals.nonTrainableParams.toLocaleString('en-US')} batch-norm statistics, as Clipscope's describe counts them.`;
  text('model.py', modelPy(program, { label, className: classNameOf(r), summary, numClasses: r.clip.numClasses }));
  if (r.model) {
    const state = await torchStateDict(r.model, program);
    // Each tensor's tfjs source ("<layer>/<weight>") travels in the metadata, so names can be traced both ways.
    const sources = Object.fromEntries(program.tensors.flatMap((t) => (t.tf ? [[`tfjs:${t.key}`, `${t.tf.layer}/${t.tf.weight}`]] : [])));
    files.push({ name: 'weights.safetensors', bytes: writeSafetensors(state, { format: 'pt', source: `Clipscope ${label}`, weights: r.weightsFrom, ...sources }) });
  }
  text('check.json', JSON.stringify(await checkJson({ model: r.model, program, description, seed: r.seed, label, backend: r.backend, weightsFrom: r.weightsFrom })));
  const ctx = { label, program, clip: r.clip, sampling: r.sampling, family: r.family.id, config: r.config, hasWeights: r.model !== null, backend: r.backend, weightsFrom: r.weightsFrom, description };
  text('mmaction2_config.py', mmactionConfig(ctx));
  text('mmaction2_clipscope.py', mmactionModule(ctx));
  text('train.py', trainPy(ctx));
  text('README.md', readmeMd(ctx));
  return files;
}

export type ExportContext = {
  label: string;
  program: TorchProgram;
  clip: ClipSpec;
  sampling: ExportSampling;
  family: string;
  config: unknown;
  hasWeights: boolean;
  backend: string;
  weightsFrom: string;
  description: ReturnType<FamilyDef['describe']>;
};
