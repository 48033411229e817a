import type { StateCreator } from 'zustand';
import type { AppState } from '../store';
import type { ClipInfo } from '../../data/video-source';

/** A loaded clip's metadata as the loader read it (the decoder itself stays in runtime/clip-library.ts). */
export interface ClipMeta extends ClipInfo {
  id: string;
  source: 'upload' | 'builtin' | 'webcam';
}

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
  addClip(c: ClipMeta): void;
  /** Forget a clip: the list, the selection (the last clip left, or none), its sample, its place in own classes. */
  removeClip(id: string): void;
  selectClip(id: string): void;
  setSample(s: SampleInfo | null): void;
}

export const createClipsSlice: StateCreator<AppState, [], [], ClipsSlice> = (set) => ({
  clips: [],
  currentClipId: null,
  sample: null,
  addClip: (c) => set((s) => ({ clips: [...s.clips, c], currentClipId: c.id })),
  removeClip: (id) =>
    set((s) => {
      const clips = s.clips.filter((c) => c.id !== id);
      return {
        clips,
        currentClipId: s.currentClipId === id ? (clips.at(-1)?.id ?? null) : s.currentClipId,
        sample: s.sample?.clipId === id ? null : s.sample,
        ownClasses: s.ownClasses.map((c) => (c.clipIds.includes(id) ? { ...c, clipIds: c.clipIds.filter((x) => x !== id) } : c)),
      };
    }),
  selectClip: (id) => set({ currentClipId: id }),
  setSample: (sample) => set({ sample }),
});
