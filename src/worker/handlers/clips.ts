// Clip frames in the worker: stored once, read by flow, inference and training.
import { putFrames, storedBytes } from '../clip-store';
import type { Handlers } from '../protocol';

export const clipHandlers: Pick<Handlers, 'put-frames'> = {
  async 'put-frames'(args) {
    putFrames(args);
    return { storedBytes: storedBytes() };
  },
};
