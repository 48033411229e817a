// Start-up side effects: the tfjs worker (or the main-thread CPU path) and its report.

import { client } from './worker-client';
import { errorText } from '../lib/errors';
import { useAppStore } from '../state/store';

const INIT_TIMEOUT_MS = 90_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

export async function startRuntime(): Promise<void> {
  const { settings, setRuntime } = useAppStore.getState();
  setRuntime({ status: 'starting', report: null, message: null });
  try {
    client.startWorker();
    const backend = settings.backend === 'auto' ? null : settings.backend;
    const report = await withTimeout(client.request('init', { backend }), INIT_TIMEOUT_MS, 'The tfjs worker');
    setRuntime({ status: 'ready', report, message: null });
  } catch (e) {
    client.stop();
    setRuntime({
      status: 'worker-failed',
      report: null,
      message: `The tfjs worker could not start a backend: ${errorText(e)}. You can run on the page's main thread with the CPU backend instead (slower, and the page pauses during training steps).`,
    });
  }
}

export async function startMainThreadRuntime(): Promise<void> {
  const { setRuntime } = useAppStore.getState();
  setRuntime({ status: 'starting', report: null, message: null });
  try {
    await client.startMainThread();
    const report = await client.request('init', { backend: 'cpu' });
    setRuntime({ status: 'ready', report, message: null });
  } catch (e) {
    setRuntime({ status: 'failed', report: null, message: `tfjs could not start even on the main thread: ${errorText(e)}. Try another browser.` });
  }
}
