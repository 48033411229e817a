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
  /** Frames in the clip (exact for GIFs, duration × fps otherwise). */
  numFrames?: number;
  /** Frame intervals vary (VFR): the fps shown is the typical one. */
  variableFrameRate?: boolean;
  /** Container as sniffed from the bytes: mp4, webm, gif, … */
  container?: string;
}

/** What a sample does when the clip is shorter than the window. */
export type ShortClipPolicy = 'repeat-last' | 'loop';

/** The current sample: frames are in the worker's clip store under `clipId`. */
export interface SampleInfo {
  clipId: string;
  timesS: number[];
  /** Working size of the sampled frames (H × W). */
  height: number;
  width: number;
  /** Frame numbers sampled (K·T of them for multi-chunk sampling). */
  frameIdx?: number[];
  /** Chunks K (1 unless the strategy is `chunks`). */
  chunks?: number;
  /** Plain words when a short clip was padded (repeated / looped frames). */
  paddingNote?: string | null;
  /** Time to seek, draw and read back the frames, ms. */
  grabMs?: number;
}

export interface ClipsSlice {
  clips: ClipMeta[];
  currentClipId: string | null;
  sample: SampleInfo | null;
  shortClip: ShortClipPolicy;
  addClip(c: ClipMeta): void;
  selectClip(id: string): void;
  setSample(s: SampleInfo | null): void;
  setShortClip(p: ShortClipPolicy): void;
}

export const createClipsSlice: StateCreator<AppState, [], [], ClipsSlice> = (set) => ({
  clips: [],
  currentClipId: null,
  sample: null,
  shortClip: 'repeat-last',
  addClip: (c) => set((s) => ({ clips: [...s.clips, c], currentClipId: c.id })),
  selectClip: (id) => set({ currentClipId: id }),
  setSample: (sample) => set({ sample }),
  setShortClip: (shortClip) => set({ shortClip }),
});
