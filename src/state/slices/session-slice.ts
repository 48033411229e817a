import type { StateCreator } from 'zustand';
import type { BackendReport } from '../../lib/tf-backend';
import type { AppState } from '../store';

/** 'restarting': the worker stopped after it had started; a new one is starting (runtime-actions.ts). */
export type RuntimeStatus = 'starting' | 'ready' | 'restarting' | 'worker-failed' | 'failed';

export interface SessionSlice {
  runtime: { status: RuntimeStatus; report: BackendReport | null; message: string | null };
  setRuntime(r: SessionSlice['runtime']): void;
}

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set) => ({
  runtime: { status: 'starting', report: null, message: null },
  setRuntime: (runtime) => set({ runtime }),
});
