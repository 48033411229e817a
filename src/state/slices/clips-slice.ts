import type { StateCreator } from 'zustand';
import type { AppState } from '../store';

/** A loaded clip's metadata (the file or URL itself stays in the clip loader's module). */
export interface ClipMeta {
  id: string;
  name: string;
  source: 'upload' | 'builtin' | 'webcam';
  durationS: number;
  /** Native size after rotation metadata is applied (what the user sees). */
  width: number;
  height: number;
  fps: number | null;
  fpsEstimated: boolean;
  codec: string | null;
  sizeBytes: number | null;
}

/** The current sample: frames are in the worker's clip store under `clipId`. */
export interface SampleInfo {
  clipId: string;
  timesS: number[];
  /** Working size of the sampled frames (H × W). */
  height: number;
  width: number;
}

export interface ClipsSlice {
  clips: ClipMeta[];
  currentClipId: string | null;
  sample: SampleInfo | null;
  addClip(c: ClipMeta): void;
  selectClip(id: string): void;
  setSample(s: SampleInfo | null): void;
}

export const createClipsSlice: StateCreator<AppState, [], [], ClipsSlice> = (set) => ({
  clips: [],
  currentClipId: null,
  sample: null,
  addClip: (c) => set((s) => ({ clips: [...s.clips, c], currentClipId: c.id })),
  selectClip: (id) => set({ currentClipId: id }),
  setSample: (sample) => set({ sample }),
});
