// The worker's side of the one memory budget (training/budget.ts): a request's data and model as a
// budget setting, the device's limits, and the refusal of paper-scale presets. The worker never
// trusts the page: dataset-make, train-start and train-budget all go through here before anything
// is built (describe() allocates nothing).

import * as tf from '@tensorflow/tfjs';
import { TASK_INFO } from '../data/synthetic/task-info';
import { FAMILY_INFO, type FamilyId } from '../models/family-info';
import { findPreset, type FoundPreset } from '../models/registry';
import type { TwoStreamConfig } from '../models/presets/two-stream';
import { flowStore } from '../flow/flow-store';
import { DEFAULT_TOTAL_BUDGET, type BudgetSetting, type DeviceLimits } from '../training/budget';
import { DEFAULT_READS_PER_CLIP, SYNTHETIC_PER_CLASS } from '../training/datasets';
import { getFrames } from './clip-store';
import type { DatasetArgs } from './train-protocol';

/** What the device allows: WebGPU's binding limits from the adapter, else the working budget alone. */
export function deviceLimits(): DeviceLimits {
  const backend = tf.getBackend() ?? 'none';
  if (backend === 'webgpu') {
    const device = (
      tf.backend() as unknown as {
        device?: { limits?: { maxStorageBufferBindingSize: number; maxBufferSize: number } };
      }
    ).device;
    const lim = device?.limits;
    if (lim)
      return {
        backend,
        maxBindingBytes: Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize),
        totalBytes: DEFAULT_TOTAL_BUDGET,
        source:
          'WebGPU device limits (maxStorageBufferBindingSize, maxBufferSize) and a 1 GiB working budget',
      };
  }
  return {
    backend,
    maxBindingBytes: null,
    totalBytes: DEFAULT_TOTAL_BUDGET,
    source: `a fixed 1 GiB working budget on ${backend}`,
  };
}

/** A preset a browser can train. Paper-scale presets are described for the arithmetic only: refused, saying so. */
export function trainablePreset(family: FamilyId, preset: string | undefined): FoundPreset {
  const found = findPreset(preset ? `${family}:${preset}` : family);
  if (found.preset.paper) {
    const trainable = Object.entries(found.family.presets)
      .filter(([, p]) => !p.paper)
      .map(([name]) => name);
    throw new Error(
      `${found.name} is a reference preset of the ${FAMILY_INFO[found.family.id as FamilyId].name} family, described for the arithmetic, too big to train in a browser: pick ${trainable.join(' or ')}.`,
    );
  }
  return found;
}

function taskClasses(args: Extract<DatasetArgs, { kind: 'synthetic' }>): number {
  const info = TASK_INFO[args.task];
  if (!info) throw new Error(`There is no synthetic task “${String(args.task)}”.`);
  return info.classes.length;
}

const numClassesOf = (args: DatasetArgs): number =>
  args.kind === 'synthetic' ? taskClasses(args) : args.classes.length;

/** The own clips' ids, each once. */
const ownClipIds = (args: Extract<DatasetArgs, { kind: 'own' }>): string[] => [
  ...new Set(args.classes.flatMap((c) => c.clipIds)),
];

/**
 * A dataset request as a budget setting. Own clips cost the stored frames they read (`storedBytes`
 * when the dataset already holds them; else looked up, which also says which clip is not sampled).
 */
export function datasetSetting(args: DatasetArgs, storedBytes?: number): BudgetSetting {
  if (args.kind === 'synthetic')
    return {
      numFrames: args.numFrames,
      size: args.size,
      dataset: {
        kind: 'synthetic',
        classes: taskClasses(args),
        trainPerClass: args.trainPerClass ?? SYNTHETIC_PER_CLASS.train,
        valPerClass: args.valPerClass ?? SYNTHETIC_PER_CLASS.val,
      },
    };
  if (!Array.isArray(args.classes)) throw new Error('The request carries no classes of clips.');
  const bytes =
    storedBytes ?? ownClipIds(args).reduce((a, id) => a + getFrames(id).rgba.byteLength, 0);
  return { numFrames: args.numFrames, size: args.size, dataset: { kind: 'stored', bytes } };
}

/** L, the optical flows per example a preset's 'flow' input stacks at T frames; null when it takes none. */
function flowStackOf(found: FoundPreset): ((numFrames: number) => number) | null {
  if (found.family.id !== 'two-stream') return null;
  const c = found.preset.config as TwoStreamConfig;
  if (c.variant !== 'two-stream' || c.motion !== 'flow') return null;
  return (t) => (c.numFlows === 0 ? t - 1 : Math.min(c.numFlows, t - 1));
}

/** A run: the dataset's setting plus the preset trained on it at this batch size and optimizer. */
export function runSetting(
  args: DatasetArgs,
  data: BudgetSetting,
  found: FoundPreset,
  train: { batchSize: number; optimizer: 'adam' | 'sgd' },
): BudgetSetting {
  const numClasses = numClassesOf(args);
  const stack = flowStackOf(found);
  const examples =
    args.kind === 'synthetic'
      ? 0
      : ownClipIds(args).length *
        Math.max(args.readsPerClip ?? DEFAULT_READS_PER_CLIP, args.sampling?.chunks ?? 1);
  return {
    ...data,
    model: {
      batchSize: train.batchSize,
      optimizer: train.optimizer,
      describe: (numFrames, size) =>
        found.family.describe(found.preset.config, {
          numFrames,
          height: size,
          width: size,
          channels: 3,
          numClasses,
        }),
      ...(stack ? { flowInputs: { stack, examples, storeBytes: flowStore.maxBytes } } : {}),
    },
  };
}
