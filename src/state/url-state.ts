// URL state, TensorFlow Playground style: one table of keys, each with a parser/validator and a
// default, walked by both `parseUrlState` and `serializeUrlState`. The seed is part of it, so a
// copied link reproduces the experiment. Invalid or unknown values never crash: they fall back
// to the default and produce a notice the page shows. The variant is checked against the family's
// presets (models/catalog.ts, plain data) once the keys are read: a name the family lacks falls
// back to its tiny preset, with the catalog's notice.

import { FAMILY_IDS } from '../models/family-info';
import { resolvePreset } from '../models/catalog';
import { TASK_IDS } from '../data/synthetic/task-info';
import { STRATEGIES } from '../data/sampling';
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

/** The table. Order is the order keys appear in a serialized URL. */
export const URL_KEYS = {
  family: enumKey('model family', FAMILY_IDS, 'conv3d'),
  variant: nameKey('variant (preset) of the family, e.g. tiny_slowfast or tiny_joint', 'tiny'),
  task: enumKey('synthetic task', TASK_IDS, 'order-direction'),
  frames: intKey('frames per clip (T)', 8, 1, 128),
  size: intKey('frame size in pixels (H = W)', 32, 8, 448),
  seed: intKey('random seed', 1, 0, 2 ** 31 - 1),
  backend: enumKey('tfjs backend', ['auto', 'webgpu', 'webgl', 'cpu'] as const, 'auto'),
  strategy: enumKey('temporal sampling strategy', STRATEGIES, 'uniform'),
  stride: intKey('frame interval (stride)', 2, 1, 64),
  chunks: intKey('chunks for multi-chunk averaging (K)', 3, 1, 16),
  batch: intKey('batch size', 8, 1, 256),
  epochs: intKey('epochs', 12, 1, 500),
  lr: numberKey('learning rate', 0.003, 1e-6, 1, 'real'),
  optimizer: enumKey('optimizer', OPTIMIZERS, 'adam'),
};

export type UrlKey = keyof typeof URL_KEYS;
export type UrlState = { [K in UrlKey]: (typeof URL_KEYS)[K]['default'] };
export const URL_KEY_NAMES = Object.keys(URL_KEYS) as UrlKey[];

export function defaultUrlState(): UrlState {
  const out = {} as Record<UrlKey, unknown>;
  for (const k of URL_KEY_NAMES) out[k] = URL_KEYS[k].default;
  return out as UrlState;
}

export interface ParsedUrlState {
  state: UrlState;
  /** One plain-words notice per ignored parameter. */
  notices: string[];
}

export function parseUrlState(search: string): ParsedUrlState {
  const params = new URLSearchParams(search);
  const state = defaultUrlState() as Record<UrlKey, unknown>;
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
