// The app's one zustand store, built from typed slices (zustand's slices pattern). It holds
// ids, settings and plain numbers only: never tensors or models (those live in the worker).
//
// To add a slice: write state/slices/<name>-slice.ts and add it to AppState and the creator.

import { create } from 'zustand';
import { createSessionSlice, type SessionSlice } from './slices/session-slice';
import { createSettingsSlice, type SettingsSlice } from './slices/settings-slice';
import { createNoticeSlice, type NoticeSlice } from './slices/notice-slice';
import { createClipsSlice, type ClipsSlice } from './slices/clips-slice';
import { createRunsSlice, type RunsSlice } from './slices/runs-slice';
import { createLectureSlice, type LectureSlice } from './slices/lecture-slice';

export type AppState = SessionSlice & SettingsSlice & NoticeSlice & ClipsSlice & RunsSlice & LectureSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createSessionSlice(...a),
  ...createSettingsSlice(...a),
  ...createNoticeSlice(...a),
  ...createClipsSlice(...a),
  ...createRunsSlice(...a),
  ...createLectureSlice(...a),
}));
