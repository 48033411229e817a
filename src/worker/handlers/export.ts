// The PyTorch export request (src/export/bundle.ts): a run's trained model, or a preset's initial
// weights built from a seed on the page's clip, written as model.py, weights.safetensors,
// check.json (the worker backend's outputs), the MMAction2 config, train.py and a README. The
// page zips the files (runtime/export-actions.ts). Paper-scale presets are exported as code only.

import * as tf from '@tensorflow/tfjs';
import { isFamilyId } from '../../models/family-info';
import { clipWith, findPreset } from '../../models/registry';
import { buildSeeded } from '../../training/probe';
import { exportPytorch } from '../../export/bundle';
import { checkSampleRead } from '../../data/sampling';
import type { ExportPytorchResult } from '../export-protocol';
import type { Handlers } from '../protocol';
import { runForExport } from './train';

function positive(name: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new Error(`The clip's ${name} must be a whole number ≥ 1, got ${v}.`);
}

export const exportHandlers: Pick<Handlers, 'export-pytorch'> = {
  async 'export-pytorch'(args) {
    if (!isFamilyId(args.family)) throw new Error(`Unknown model family "${String(args.family)}".`);
    const { family, name, preset } = findPreset(`${args.family}:${args.preset ?? 'tiny'}`);
    checkSampleRead(args.sampling);
    if (!(Number.isInteger(args.sampling.stride) && args.sampling.stride >= 1)) throw new Error(`The frame interval must be a whole number ≥ 1, got ${args.sampling.stride}.`);
    positive('frames', args.numFrames);
    positive('size', args.size);
    positive('classes', args.numClasses);
    const seed = args.seed ?? 1;
    const base = { family, presetName: name, config: preset.config, backend: tf.getBackend(), sampling: args.sampling, seed };
    let files;
    if (args.runId) {
      const run = runForExport(args.runId);
      if (run.family !== family.id || run.preset !== name) throw new Error(`Run ${args.runId} trained ${run.family}:${run.preset}, not ${family.id}:${name}.`);
      if (run.loop.status === 'training') throw new Error('The run is still training: pause it or let it finish, then export it.');
      const weightsFrom = `run ${args.runId}: ${run.loop.stepsDone} training steps (${run.loop.epochsDone} epochs) in the browser`;
      files = await exportPytorch({ ...base, clip: run.clip, model: run.loop.model, weightsFrom });
    } else if (preset.paper) {
      files = await exportPytorch({ ...base, clip: preset.clip, model: null, weightsFrom: 'none (paper-scale preset: code only)' });
    } else {
      const clip = clipWith(preset.clip, { numFrames: args.numFrames, height: args.size, width: args.size, numClasses: args.numClasses });
      const built = buildSeeded(family, preset.config, clip, seed);
      try {
        files = await exportPytorch({ ...base, clip, model: built.model, weightsFrom: `initial weights (seed ${seed}), untrained` });
      } finally {
        built.model.dispose();
      }
    }
    const data = new Uint8Array(files.reduce((a, f) => a + f.bytes.length, 0));
    let at = 0;
    for (const f of files) {
      data.set(f.bytes, at);
      at += f.bytes.length;
    }
    const result: ExportPytorchResult = {
      label: `${family.id}:${name}`,
      names: files.map((f) => f.name),
      sizes: files.map((f) => f.bytes.length),
      data,
      weightsFrom: args.runId ? `run ${args.runId}` : preset.paper ? 'code only' : `initial weights (seed ${seed})`,
      backend: base.backend,
    };
    return result;
  },
};
