// Clip frames in the worker: stored once, read by flow, inference and training; dropped when the
// page removes the clip.
import { dropFrames, putFrames, storedBytes } from '../clip-store';
import type { Handlers } from '../protocol';
import { forgetFlowOf } from './flow';

export const clipHandlers: Pick<Handlers, 'put-frames' | 'drop-frames'> = {
  async 'put-frames'(args) {
    putFrames(args);
    return { storedBytes: storedBytes() };
  },
  async 'drop-frames'({ clipId }) {
    // The clip's optical flow goes with its frames (the flow store is keyed by content).
    const dropped = dropFrames(clipId);
    if (dropped) forgetFlowOf(dropped);
    return { storedBytes: storedBytes() };
  },
};
