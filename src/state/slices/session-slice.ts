import type { StateCreator } from 'zustand';
import type { BackendReport } from '../../lib/tf-backend';
import type { AppState } from '../store';

export type RuntimeStatus = 'starting' | 'ready' | 'worker-failed' | 'failed';

export interface SessionSlice {
  runtime: { status: RuntimeStatus; report: BackendReport | null; message: string | null };
  setRuntime(r: SessionSlice['runtime']): void;
}

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set) => ({
  runtime: { status: 'starting', report: null, message: null },
  setRuntime: (runtime) => set({ runtime }),
});
