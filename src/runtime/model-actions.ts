// The model zoo's worker requests, as the page's named actions: a preset's description on a clip
// (cached: the same family, preset and clip are described once per page), one training step as a
// leak and zero-gradient check, and gradient parity against the CPU backend.
//
//   view ──describeModel(args)──▶ cache hit? ──no──▶ worker 'describe' ──▶ Description (plain data)
//
// Preset names reaching these actions are already resolved on the page (models/catalog.ts).

import { client } from './worker-client';
import type { ArgsOf, ResultOf } from '../worker/protocol';
import type { Description } from '../models/types';
import { errorText } from '../lib/errors';

export type DescribeArgs = ArgsOf<'describe'>;
export type StepCheckArgs = ArgsOf<'train-step-check'>;
export type StepCheckResult = ResultOf<'train-step-check'>;
export type ParityResult = ResultOf<'gradient-parity'>;

/** Descriptions kept at most (each is a few kilobytes of rows; the picker asks for a handful). */
const DESCRIBE_CACHE_SIZE = 64;
const described = new Map<string, Promise<Description>>();

const describeKey = ({ family, preset = 'tiny', numFrames, size, numClasses }: DescribeArgs) => JSON.stringify([family, preset, numFrames ?? null, size ?? null, numClasses ?? null]);

/**
 * A preset's self-description on a clip (the registry's describe(): no weights allocated).
 * Asked of the worker once per distinct args; a failed answer is not kept, so it is asked again.
 */
export function describeModel(args: DescribeArgs): Promise<Description> {
  const key = describeKey(args);
  const hit = described.get(key);
  if (hit) {
    // Most recently used last, so the oldest entry is the one evicted.
    described.delete(key);
    described.set(key, hit);
    return hit;
  }
  const answer = client.request('describe', args);
  described.set(key, answer);
  answer.catch(() => {
    if (described.get(key) === answer) described.delete(key);
  });
  if (described.size > DESCRIBE_CACHE_SIZE) described.delete(described.keys().next().value as string);
  return answer;
}

/** One optimizer step of a preset on random clips in the worker: loss, time, tensor counts before and after. */
export function checkStep(args: StepCheckArgs): Promise<StepCheckResult> {
  return client.request('train-step-check', args);
}

/** The parity clip: small, because SwiftShader's WebGPU Conv3D takes seconds per step. */
const PARITY_CLIP = { numFrames: 4, height: 16, width: 16 } as const;

export interface ParityOutcome {
  result: ParityResult | null;
  error: string | null;
  /** Set when the preset's own clip had to be used instead of PARITY_CLIP, with the reason. */
  note: string | null;
}

/**
 * Loss and every gradient of a small preset on this backend against the CPU backend, on
 * PARITY_CLIP; a preset that cannot run on it (e.g. too few frames for a slow pathway) is checked
 * on its own clip instead, and the outcome says so. Never throws: failures come back as `error`.
 */
export async function runGradientParity(job: { family: ParityResult['family']; preset: string }): Promise<ParityOutcome> {
  try {
    return { result: await client.request('gradient-parity', { ...job, batch: 2, clip: PARITY_CLIP }), error: null, note: null };
  } catch (small) {
    try {
      return { result: await client.request('gradient-parity', { ...job, batch: 2 }), error: null, note: `preset clip (${errorText(small)})` };
    } catch (e) {
      return { result: null, error: `${errorText(e)} (on ${PARITY_CLIP.numFrames}×${PARITY_CLIP.height}×${PARITY_CLIP.width}: ${errorText(small)})`, note: null };
    }
  }
}
