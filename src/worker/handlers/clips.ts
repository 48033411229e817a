// Clip frames in the worker: stored once, read by flow, inference and training; dropped when the
// page removes the clip.
import { dropFrames, putFrames, storedBytes } from '../clip-store';
import type { Handlers } from '../protocol';

export const clipHandlers: Pick<Handlers, 'put-frames' | 'drop-frames'> = {
  async 'put-frames'(args) {
    putFrames(args);
    return { storedBytes: storedBytes() };
  },
  async 'drop-frames'({ clipId }) {
    dropFrames(clipId);
    return { storedBytes: storedBytes() };
  },
};
