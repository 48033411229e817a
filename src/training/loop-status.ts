// The training loop's state machine (train-loop.ts draws it) and the plain words for a failed step.

import { errorText } from '../lib/errors';
import { GpuStepError } from './gpu-scopes';

export type LoopStatus = 'idle' | 'training' | 'paused' | 'done' | 'error';
export type LoopEvent = 'play' | 'pause' | 'step' | 'step-done' | 'finish' | 'fail' | 'reset' | 'recover';

/** The state machine, as a table. Events that do not apply leave the status unchanged. */
export function nextStatus(s: LoopStatus, e: LoopEvent): LoopStatus {
  if (e === 'reset') return 'idle';
  if (e === 'fail') return 'error';
  // After a lost GPU device, a rebuilt model goes on from its kept weights.
  if (e === 'recover') return s === 'error' ? 'paused' : s;
  switch (s) {
    case 'idle':
    case 'paused':
      return e === 'play' ? 'training' : e === 'step' ? 'training' : e === 'finish' ? 'done' : s;
    case 'training':
      return e === 'pause' || e === 'step-done' ? 'paused' : e === 'finish' ? 'done' : s;
    case 'done':
    case 'error':
      return s;
  }
}

/** Plain words for what went wrong during a step, naming the knob when memory ran out. */
export function describeTrainingError(e: unknown): string {
  if (e instanceof GpuStepError) {
    if (e.kind === 'out-of-memory') return `The GPU ran out of memory during a training step (${e.gpuMessage}). The step's numbers would be wrong, so the run stopped: lower the batch size, the frames (T) or the frame size and train again.`;
    return `The GPU rejected a training step's work (validation error: ${e.gpuMessage}). The step's numbers would be wrong, so the run stopped; a smaller batch or frame size may avoid the limit it hit.`;
  }
  const msg = errorText(e);
  if (/out of memory|OOM|allocat|Failed to create buffer|exceeds the max/i.test(msg)) return `The model ran out of GPU memory during training (${msg}). Lower the batch size, the frames (T) or the frame size and train again.`;
  if (/device (was )?lost|Device is lost|GPUDevice/i.test(msg)) return `The GPU device was lost during training (${msg}).`;
  return `Training stopped: ${msg}`;
}
