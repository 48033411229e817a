// Named selectors that more than one view (or a view and a runtime action) read. Each returns a
// value already in the store or a primitive, so `useAppStore(selectX)` re-renders only when it
// changes; a selector that builds an object goes through `useShallow` where it is used.

import type { RunRecord } from './slices/runs-slice';
import { TASK_INFO } from '../data/synthetic/task-info';
import type { AppState } from './store';

export const selectRuntime = (s: AppState) => s.runtime;
export const selectReady = (s: AppState) => s.runtime.status === 'ready';
export const selectSettings = (s: AppState) => s.settings;
export const selectSetSetting = (s: AppState) => s.setSetting;
export const selectShowError = (s: AppState) => s.showError;
export const selectSample = (s: AppState) => s.sample;

/** The clip selected in the clips panel (null before one is loaded). */
export const selectCurrentClip = (s: AppState) => s.clips.find((c) => c.id === s.currentClipId) ?? null;

/** Classes of the synthetic task picked in the URL. */
export const selectTaskClassCount = (s: AppState) => TASK_INFO[s.settings.task].classes.length;

/** Classes the training studio trains on: the synthetic task's, or the user's own. */
export const selectNumClasses = (s: AppState) => (s.settings.source === 'own' ? s.ownClasses.length : selectTaskClassCount(s));

/** The run the studio shows and controls (null before the first). */
export const selectActiveRun = (s: AppState) => s.runs.find((r) => r.id === s.activeRunId) ?? null;

/** The single-frame baseline on this data: the latest single-frame run on the same data key (data and seed). */
export function baselineFor(runs: readonly RunRecord[], dataKey: string): RunRecord | null {
  for (let i = runs.length - 1; i >= 0; i--) {
    const r = runs[i];
    if (r.family === 'single-frame' && r.dataKey === dataKey && r.status !== 'error') return r;
  }
  return null;
}
