// URL state, TensorFlow Playground style: one table of keys, each with a parser/validator and a
// default, walked by both `parseUrlState` and `serializeUrlState`. The seed is part of it, so a
// copied link reproduces the experiment. Invalid or unknown values never crash: they fall back
// to the default and produce a notice the page shows. The variant is checked against the family's
// presets (models/catalog.ts, plain data) once the keys are read: a name the family lacks falls
// back to its tiny preset, with the catalog's notice.
//
// Recipes: the keys a family's training recipe sets (models/presets/recipe.ts: frames, size, clips
// per class, noise, object size, optimiser, rate, batch, epochs, weight decay, augmentation) take
// their defaults from the family the link names, so `?family=cnn-rnn` alone is that family's
// lesson. Every key is written back, so a copied link carries every setting of the run.

import { FAMILY_IDS } from '../models/family-info';
import { AUGMENTS, recipeFor, resolvePreset, type Recipe } from '../models/catalog';
import { TASK_IDS } from '../data/synthetic/task-info';
import { SHORT_CLIP_POLICIES, STRATEGIES } from '../data/sampling';
import type { TrainStartArgs } from '../worker/train-protocol';

export type OptimizerName = TrainStartArgs['train']['optimizer'];

/** The optimisers training accepts, with their labels (a Record over the protocol's names keeps the list complete). */
export const OPTIMIZER_LABELS: Record<OptimizerName, string> = { adam: 'Adam', sgd: 'SGD' };
const OPTIMIZERS = Object.keys(OPTIMIZER_LABELS) as OptimizerName[];

interface KeySpec<T> {
  /** What the key means, for the notice and docs. */
  help: string;
  default: T;
  /** Returns the parsed value, or an error message saying what is accepted. */
  parse(raw: string): { ok: true; value: T } | { ok: false; expected: string };
  format(value: T): string;
}

function numberKey(help: string, def: number, min: number, max: number, kind: 'integer' | 'real'): KeySpec<number> {
  const expected = `${kind === 'integer' ? 'a whole number' : 'a number'} from ${min} to ${max}`;
  return {
    help,
    default: def,
    parse(raw) {
      const n = Number(raw);
      const ok = raw.trim() !== '' && (kind === 'integer' ? Number.isInteger(n) : Number.isFinite(n)) && n >= min && n <= max;
      return ok ? { ok: true, value: n } : { ok: false, expected };
    },
    format: (v) => String(v),
  };
}

const intKey = (help: string, def: number, min: number, max: number) => numberKey(help, def, min, max, 'integer');
const realKey = (help: string, def: number, min: number, max: number) => numberKey(help, def, min, max, 'real');

/** A number from a fixed list (the flow view's choices). */
function choiceKey(help: string, options: readonly number[], def: number): KeySpec<number> {
  return {
    help,
    default: def,
    parse(raw) {
      const n = Number(raw);
      return raw.trim() !== '' && options.includes(n) ? { ok: true, value: n } : { ok: false, expected: `one of ${options.join(', ')}` };
    },
    format: (v) => String(v),
  };
}

/** The app's panels, by the id links and scenes name them (hide=…, a scene's show/highlight). */
export const PANEL_IDS = ['clips', 'sampling', 'flow', 'arithmetic', 'model', 'training', 'gradient'] as const;
export type PanelId = (typeof PANEL_IDS)[number];

/** A comma-separated set of panel ids (empty: none), kept in PANEL_IDS order. */
function panelsKey(help: string): KeySpec<PanelId[]> {
  return {
    help,
    default: [],
    parse(raw) {
      const names = raw.split(',').map((x) => x.trim()).filter((x) => x !== '');
      const bad = names.filter((n) => !(PANEL_IDS as readonly string[]).includes(n));
      if (bad.length) return { ok: false, expected: `panel names from ${PANEL_IDS.join(', ')}, separated by commas` };
      return { ok: true, value: PANEL_IDS.filter((p) => names.includes(p)) };
    },
    format: (v) => v.join(','),
  };
}

/** The flow view's choices (pyramidal Lucas–Kanade): levels, warp-and-solve iterations, window σ in px. */
export const FLOW_CHOICES = { flowlevels: [1, 2, 3, 4, 5], flowiters: [1, 2, 3, 5, 8], flowsigma: [1, 1.5, 2, 3, 4] } as const;

function enumKey<T extends string>(help: string, values: readonly T[], def: T): KeySpec<T> {
  return {
    help,
    default: def,
    parse(raw) {
      const v = values.find((x) => x === raw);
      return v === undefined ? { ok: false, expected: `one of ${values.join(', ')}` } : { ok: true, value: v };
    },
    format: (v) => v,
  };
}

/** A name of letters, digits, '_' and '-' (checked against the family's presets in parseUrlState). */
function nameKey(help: string, def: string): KeySpec<string> {
  return {
    help,
    default: def,
    parse(raw) {
      return /^[A-Za-z0-9_-]{1,40}$/.test(raw) ? { ok: true, value: raw } : { ok: false, expected: "a preset name of letters, digits, '_' or '-'" };
    },
    format: (v) => v,
  };
}

/** The table. Order is the order keys appear in a serialized URL. Defaults of recipe keys are the default family's recipe. */
const DEFAULT_FAMILY = 'conv3d';
const R = recipeFor(DEFAULT_FAMILY);
export const URL_KEYS = {
  family: enumKey('model family', FAMILY_IDS, DEFAULT_FAMILY),
  variant: nameKey('variant (preset) of the family, e.g. tiny_slowfast or tiny_joint', 'tiny'),
  task: enumKey('synthetic task', TASK_IDS, 'order-direction'),
  source: enumKey('training data: a synthetic task or your own clips', ['synthetic', 'own'] as const, 'synthetic'),
  frames: intKey('frames per clip (T)', R.frames, 1, 128),
  size: intKey('frame size in pixels (H = W)', R.size, 8, 448),
  clips: intKey('training clips per class (synthetic task)', R.clips, 2, 512),
  valclips: intKey('validation clips per class (synthetic task)', R.valclips, 1, 256),
  noise: realKey('pixel noise of the synthetic clips', R.noise, 0, 0.5),
  objsize: realKey('object size of the synthetic clips (× default)', R.objsize, 0.25, 3),
  seed: intKey('random seed', 1, 0, 2 ** 31 - 1),
  backend: enumKey('tfjs backend', ['auto', 'webgpu', 'webgl', 'cpu'] as const, 'auto'),
  strategy: enumKey('temporal sampling strategy', STRATEGIES, 'uniform'),
  stride: intKey('frame interval (stride)', 2, 1, 64),
  chunks: intKey('chunks for multi-chunk averaging (K)', 3, 1, 16),
  short: enumKey('what a clip shorter than the window does', SHORT_CLIP_POLICIES, 'repeat-last'),
  batch: intKey('batch size', R.batch, 1, 256),
  epochs: intKey('epochs', R.epochs, 1, 500),
  lr: realKey('learning rate', R.lr, 1e-6, 1),
  optimizer: enumKey('optimizer', OPTIMIZERS, R.optimizer),
  wd: realKey('weight decay (L2 on kernels)', R.wd, 0, 0.1),
  augment: enumKey('training-clip augmentation', AUGMENTS, R.augment),
  flowlevels: choiceKey('optical flow: pyramid levels', FLOW_CHOICES.flowlevels, 4),
  flowiters: choiceKey('optical flow: iterations per level', FLOW_CHOICES.flowiters, 5),
  flowsigma: choiceKey('optical flow: window σ (px)', FLOW_CHOICES.flowsigma, 2),
  lecture: enumKey('presentation layout (1) or the full app (0)', ['0', '1'] as const, '0'),
  scene: intKey('lecture scene number', 1, 1, 200),
  hide: panelsKey('panels to hide'),
};

export type UrlKey = keyof typeof URL_KEYS;
export type UrlState = { [K in UrlKey]: (typeof URL_KEYS)[K]['default'] };
export const URL_KEY_NAMES = Object.keys(URL_KEYS) as UrlKey[];

/** The keys a family's recipe sets (models/presets/recipe.ts). */
export type RecipeKey = keyof Recipe;
export const RECIPE_KEYS = Object.keys(R) as RecipeKey[];

/** Every key at its default, with `family` and its recipe. */
export function defaultUrlState(family: UrlState['family'] = DEFAULT_FAMILY): UrlState {
  const out = {} as Record<UrlKey, unknown>;
  for (const k of URL_KEY_NAMES) out[k] = URL_KEYS[k].default;
  return { ...(out as UrlState), family, ...recipeFor(family) };
}

/** The recipe keys whose value differs from the family's recipe: what the user changed. */
export function recipeChanges(state: UrlState): { key: RecipeKey; help: string; value: string; recipe: string }[] {
  const recipe = recipeFor(state.family);
  return RECIPE_KEYS.filter((k) => state[k] !== recipe[k]).map((k) => {
    const spec = URL_KEYS[k] as KeySpec<unknown>;
    return { key: k, help: spec.help, value: spec.format(state[k]), recipe: spec.format(recipe[k]) };
  });
}

export interface ParsedUrlState {
  state: UrlState;
  /** One plain-words notice per ignored parameter. */
  notices: string[];
}

export function parseUrlState(search: string): ParsedUrlState {
  const params = new URLSearchParams(search);
  // The family first: its recipe gives the other keys their defaults.
  const family = URL_KEYS.family.parse(params.get('family') ?? '');
  const state = defaultUrlState(family.ok ? family.value : undefined) as Record<UrlKey, unknown>;
  const notices: string[] = [];
  for (const [name, raw] of params) {
    if (!(name in URL_KEYS)) {
      notices.push(`Ignored unknown link parameter “${name}”. Known ones: ${URL_KEY_NAMES.join(', ')}.`);
      continue;
    }
    const spec = URL_KEYS[name as UrlKey] as KeySpec<unknown>;
    const r = spec.parse(raw);
    if (r.ok) state[name as UrlKey] = r.value;
    else notices.push(`Link parameter ${name}=“${raw}” is not valid (${spec.help}: expected ${r.expected}); using the default, ${spec.format(spec.default)}.`);
  }
  const parsed = state as UrlState;
  // A variant names a preset of one family: checked against that family's trainable presets.
  const { entry, notice } = resolvePreset(parsed.family, parsed.variant);
  parsed.variant = entry.name;
  if (notice) notices.push(notice);
  return { state: parsed, notices };
}

export function serializeUrlState(state: UrlState): string {
  const params = new URLSearchParams();
  for (const k of URL_KEY_NAMES) {
    const spec = URL_KEYS[k] as KeySpec<unknown>;
    params.set(k, spec.format(state[k]));
  }
  return params.toString();
}
