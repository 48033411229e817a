// The model zoo's one list: every family file registers its FamilyDef here (one import and one
// entry per family), and everything else — the training loop, the describe CLI, the worker's
// describe request, the registry-wide tests — finds families and presets through this module.
// Each family's presets are the plain-data objects of presets/<family>.ts, which catalog.ts lists
// for the page without tfjs: one source for both.

import type { FamilyId } from './family-info';
import { FAMILY_IDS } from './family-info';
import type { ClipSpec, FamilyDef, Preset } from './types';

// Family imports: one line per family file (kept in lecture order).
import { singleFrame } from './single-frame';
import { lateFusion } from './late-fusion';
import { earlyFusion } from './early-fusion';
import { cnnRnn } from './cnn-rnn';
import { conv3d } from './conv3d';
import { twoStreamFamily } from './two-stream';
import { transformerFamily } from './transformer';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each family has its own config type
type AnyFamily = FamilyDef<any>;

/** Registered families. A family missing here is not built yet. */
export const FAMILIES: Partial<Record<FamilyId, AnyFamily>> = {
  'single-frame': singleFrame,
  'late-fusion': lateFusion,
  'early-fusion': earlyFusion,
  'cnn-rnn': cnnRnn,
  conv3d,
  'two-stream': twoStreamFamily,
  transformer: transformerFamily,
};

/** The registered families in lecture order. */
export function registeredFamilies(): AnyFamily[] {
  return FAMILY_IDS.flatMap((id) => {
    const fam = FAMILIES[id];
    return fam ? [fam] : [];
  });
}

export function getFamily(id: FamilyId): AnyFamily {
  const fam = FAMILIES[id];
  if (!fam) throw new Error(`The ${id} family is not in the model zoo yet.`);
  return fam;
}

export interface FoundPreset {
  family: AnyFamily;
  name: string;
  preset: Preset<unknown>;
}

/**
 * Resolves a family id ("conv3d" → its `tiny` preset) or a preset name ("r3d_18"). Preset names
 * are unique across the zoo; "family:preset" is accepted too.
 */
export function findPreset(name: string): FoundPreset {
  const [famPart, presetPart] = name.includes(':') ? name.split(':', 2) : [name, undefined];
  const direct = FAMILIES[famPart as FamilyId];
  if (direct) {
    const pname = presetPart ?? 'tiny';
    const preset = direct.presets[pname];
    if (!preset) throw new Error(`${direct.id} has no preset "${pname}". Try: ${Object.keys(direct.presets).join(', ')}.`);
    return { family: direct, name: pname, preset };
  }
  for (const family of registeredFamilies()) {
    const preset = family.presets[name];
    if (preset) return { family, name, preset };
  }
  const all = registeredFamilies().flatMap((f) => [f.id, ...Object.keys(f.presets)]);
  throw new Error(`Unknown family or preset "${name}". Known: ${all.join(', ')}.`);
}

/** The clip a preset is described on, with user overrides (frames, size, classes). */
export function clipWith(base: ClipSpec, over: Partial<Pick<ClipSpec, 'numFrames' | 'height' | 'width' | 'numClasses'>>): ClipSpec {
  return { ...base, ...Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)) };
}
