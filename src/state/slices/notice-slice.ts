import type { StateCreator } from 'zustand';
import type { AppState } from '../store';

/**
 * What the page tells the user: `error` is the one current failure shown in the error banner
 * (role=alert) with what went wrong and what to do; `notices` are softer (ignored link
 * parameters, fallbacks). Neither ever replaces the user's work.
 */
export interface NoticeSlice {
  error: { source: string; message: string } | null;
  notices: string[];
  showError(source: string, message: string): void;
  clearError(): void;
  addNotices(n: string[]): void;
  dismissNotice(i: number): void;
}

export const createNoticeSlice: StateCreator<AppState, [], [], NoticeSlice> = (set) => ({
  error: null,
  notices: [],
  showError: (source, message) => set({ error: { source, message } }),
  clearError: () => set({ error: null }),
  addNotices: (n) => set((s) => ({ notices: [...s.notices, ...n] })),
  dismissNotice: (i) => set((s) => ({ notices: s.notices.filter((_, j) => j !== i) })),
});
