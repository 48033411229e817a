// Clips the presets are described on, shared by several families. Plain data (no tfjs).

import type { ClipSpec } from '../types';

/** 8 frames of 32×32 RGB: what every `tiny` preset trains on in seconds. */
export const tinyClip = (numClasses: number): ClipSpec => ({
  numFrames: 8,
  height: 32,
  width: 32,
  channels: 3,
  numClasses,
});

/** Kinetics-400 at the video ResNets' scale: 16 frames of 112×112 (torchvision.models.video). */
export const KINETICS_16X112: ClipSpec = {
  numFrames: 16,
  height: 112,
  width: 112,
  channels: 3,
  numClasses: 400,
};
