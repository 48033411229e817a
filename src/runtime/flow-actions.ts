// Optical flow of a sampled clip, as the page's action: the worker computes it on the frames it
// already holds (and keeps it in its flow store); the page gets plain arrays back to draw.

import { client } from './worker-client';
import type { ArgsOf, ResultOf } from '../worker/protocol';

export type FlowResult = ResultOf<'flow'>;

/** Flow between consecutive sampled frames of the clip stored under `clipId`. */
export function computeFlow(clipId: string, config: ArgsOf<'flow'>['config']): Promise<FlowResult> {
  return client.request('flow', { clipId, config });
}
