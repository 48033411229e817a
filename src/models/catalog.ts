// The model zoo's presets as plain data: the page imports this (the variant picker, the paper-scale
// reference table, the URL's variant check) without pulling in tfjs or asking the worker. Every
// family's presets live in presets/<family>.ts, the one source that the family files (which
// build and describe them) and the registry read too. No tfjs here, not even transitively
// (catalog.test.ts walks the imports).

import { FAMILY_IDS, FAMILY_INFO, type FamilyId } from './family-info';
import type { ClipSpec, Preset } from './types';
import { CNN_RNN_PRESETS, CNN_RNN_RECIPE } from './presets/cnn-rnn';
import { CONV3D_PRESETS, CONV3D_RECIPE } from './presets/conv3d';
import { EARLY_FUSION_PRESETS, EARLY_FUSION_RECIPE } from './presets/early-fusion';
import { LATE_FUSION_PRESETS, LATE_FUSION_RECIPE } from './presets/late-fusion';
import { SINGLE_FRAME_PRESETS, SINGLE_FRAME_RECIPE } from './presets/single-frame';
import { TRANSFORMER_PRESETS, TRANSFORMER_RECIPE } from './presets/transformer';
import { TWO_STREAM_PRESETS, TWO_STREAM_RECIPE } from './presets/two-stream';
import type { Recipe } from './presets/recipe';
export type { Recipe } from './presets/recipe';
export { AUGMENTS, type Augment } from '../training/augment';

export interface PresetEntry {
  family: FamilyId;
  name: string;
  /** false for paper-scale presets: described, never trained */
  trainable: boolean;
  note?: string;
  clip: ClipSpec;
}

/** Each family's presets by name, the same objects its family file registers. */
const PRESETS_BY_FAMILY: Record<FamilyId, Record<string, Preset<unknown>>> = {
  'single-frame': SINGLE_FRAME_PRESETS,
  'late-fusion': LATE_FUSION_PRESETS,
  'early-fusion': EARLY_FUSION_PRESETS,
  conv3d: CONV3D_PRESETS,
  'two-stream': TWO_STREAM_PRESETS,
  'cnn-rnn': CNN_RNN_PRESETS,
  transformer: TRANSFORMER_PRESETS,
};

/** Each family's training recipe (presets/recipe.ts): what its tiny preset needs to reach the lesson's bar. */
const RECIPES: Record<FamilyId, Recipe> = {
  'single-frame': SINGLE_FRAME_RECIPE,
  'late-fusion': LATE_FUSION_RECIPE,
  'early-fusion': EARLY_FUSION_RECIPE,
  conv3d: CONV3D_RECIPE,
  'two-stream': TWO_STREAM_RECIPE,
  'cnn-rnn': CNN_RNN_RECIPE,
  transformer: TRANSFORMER_RECIPE,
};

/** The family's recipe: the settings choosing the family loads (a fresh copy). */
export const recipeFor = (family: FamilyId): Recipe => ({ ...RECIPES[family] });

function entries(family: FamilyId): PresetEntry[] {
  const all = Object.entries(PRESETS_BY_FAMILY[family]).map(([name, p]): PresetEntry => ({
    family,
    name,
    trainable: !p.paper,
    ...(p.note === undefined ? {} : { note: p.note }),
    clip: p.clip,
  }));
  if (!all.some((e) => e.name === 'tiny'))
    throw new Error(`The ${family} family has no “tiny” preset.`);
  return [...all.filter((e) => e.name === 'tiny'), ...all.filter((e) => e.name !== 'tiny')];
}

/** Every registered preset, per family, `tiny` first, then in the order the family lists them. */
export const CATALOG: Record<FamilyId, PresetEntry[]> = Object.fromEntries(
  FAMILY_IDS.map((id) => [id, entries(id)]),
) as Record<FamilyId, PresetEntry[]>;

/** The presets a browser can train (paper-scale ones are only described). */
export function trainablePresets(family: FamilyId): PresetEntry[] {
  return CATALOG[family].filter((e) => e.trainable);
}

/**
 * The one preset resolver: unknown, missing or paper-scale variant → the family's `tiny`, with a notice saying what happened.
 * No variant at all (null, undefined or '') means `tiny` and needs no notice.
 */
export function resolvePreset(
  family: FamilyId,
  variant: string | null | undefined,
): { entry: PresetEntry; notice: string | null } {
  const list = CATALOG[family];
  const tiny = list[0];
  if (!variant) return { entry: tiny, notice: null };
  const found = list.find((e) => e.name === variant);
  const name = FAMILY_INFO[family].name;
  if (!found)
    return {
      entry: tiny,
      notice: `The ${name} family has no variant “${variant}” (it has ${trainablePresets(family)
        .map((e) => e.name)
        .join(', ')}); using tiny.`,
    };
  if (!found.trainable)
    return {
      entry: tiny,
      notice: `“${variant}” is a paper-scale preset of the ${name} family: it is described, never trained; using tiny.`,
    };
  return { entry: found, notice: null };
}
