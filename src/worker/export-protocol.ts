// Argument and result types of the PyTorch export request (handlers/export.ts, protocol.ts).
// Plain data only: the files come back as one transferred byte array and their names and sizes.

import type { FamilyId } from '../models/family-info';
import type { Strategy } from '../data/sampling';

export interface ExportPytorchArgs {
  family: FamilyId;
  /** Preset name within the family (default 'tiny'). */
  preset?: string;
  /** Export this run's trained model; null or absent: the preset's initial weights from `seed`. */
  runId?: string | null;
  /** The clip the initial-weights model is built for (a run brings its own). */
  numFrames?: number;
  size?: number;
  numClasses?: number;
  seed?: number; // default 1
  /** The sampling the export hands to MMAction2 and train.py (the page's settings). */
  sampling: { strategy: Strategy; stride: number; chunks: number };
}

export interface ExportPytorchResult {
  /** e.g. 'conv3d:tiny'. */
  label: string;
  /** The files, in order: names, byte sizes, and their bytes back to back in `data` (transferred). */
  names: string[];
  sizes: number[];
  data: Uint8Array;
  weightsFrom: string;
  backend: string;
}
