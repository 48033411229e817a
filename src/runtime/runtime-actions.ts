// Start-up side effects: the tfjs worker (or the main-thread CPU path) and its report, and the
// recovery from faults:
// - a dead worker (worker-client.ts `watch`): the badge says so, a new worker starts on the
//   same backend, every sampled clip's frames are sampled again from the page's open sources
//   and sent (clip-library.ts `resendFrames`); runs that could still train end with a message,
//   their curves kept (the store lives on the page, so no run or clip is lost);
// - a lost GPU device is handled in the worker (worker/device-loss.ts): its `backend` event
//   updates the badge with the backend that runs now and why.

import { client } from './worker-client';
import { resendFrames } from './clip-library';
import { errorText } from '../lib/errors';
import { useAppStore } from '../state/store';

/**
 * Heartbeat: a ping every 2 s; 75 s of silence means dead. A worker is silent while it runs
 * synchronous work: the first WebGL step compiles its shaders in one go, which took over 30 s on
 * SwiftShader with busy cores (a false restart at 30 s was seen), so the margin is wide.
 */
const HEARTBEAT = { everyMs: 2_000, deadAfterMs: 75_000 };
/** Restarts after which the app stops trying and offers the main-thread path. */
const MAX_RESTARTS = 3;

let restarts = 0;
let watching = false;

function requestedBackend() {
  const { backend } = useAppStore.getState().settings;
  return backend === 'auto' ? null : backend;
}

function watchRuntime(): void {
  if (watching) return;
  watching = true;
  client.watch({ ping: () => client.request('ping', {}), ...HEARTBEAT, onDead: (reason) => void restartWorker(reason) });
  client.onEvent((e) => {
    if (e.type === 'backend') useAppStore.getState().setRuntime({ status: 'ready', report: e.report, message: e.message });
  });
  exposeFaultHooks();
}

export async function startRuntime(): Promise<void> {
  const { setRuntime } = useAppStore.getState();
  setRuntime({ status: 'starting', report: null, message: null });
  try {
    watchRuntime();
    client.startWorker();
    const report = await client.request('init', { backend: requestedBackend() });
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

/** Runs whose model lived in the dead worker and could still train: ended, curves kept. */
function endWorkerRuns(reason: string): void {
  const st = useAppStore.getState();
  for (const r of st.runs)
    if (r.status === 'training' || r.status === 'paused' || r.status === 'idle') st.patchRun(r.id, { status: 'error', message: `Stopped: the tfjs worker stopped (${reason}) and was restarted; its model was lost. The curves so far are kept: train again to go on.` });
}

/** Sample every stored clip again for a new core; says which could not be. Resolves to the number sent. */
async function resendClips(): Promise<number> {
  const { sent, failed } = await resendFrames();
  if (failed.length) useAppStore.getState().showError('Clips', `After the tfjs runtime restarted, these clips could not be sampled again (sample them again): ${failed.join('; ')}`);
  return sent;
}

async function restartWorker(reason: string): Promise<void> {
  const st = useAppStore.getState();
  endWorkerRuns(reason);
  restarts++;
  if (restarts > MAX_RESTARTS) {
    st.setRuntime({ status: 'worker-failed', report: null, message: `The tfjs worker stopped ${restarts} times (last: ${reason}). You can run on the page's main thread with the CPU backend instead; your clips and runs are kept.` });
    return;
  }
  st.setRuntime({ status: 'restarting', report: st.runtime.report, message: `The tfjs worker stopped (${reason}) — restarting it.` });
  try {
    client.startWorker();
    const report = await client.request('init', { backend: requestedBackend() });
    const sent = await resendClips();
    useAppStore.getState().setRuntime({ status: 'ready', report, message: `Restarted after the tfjs worker stopped (${reason}); ${sent} sampled clip${sent === 1 ? '' : 's'} sent again.` });
  } catch (e) {
    client.stop();
    useAppStore.getState().setRuntime({ status: 'worker-failed', report: null, message: `The tfjs worker stopped (${reason}) and could not start again: ${errorText(e)}. You can run on the page's main thread with the CPU backend instead; your clips and runs are kept.` });
  }
}

export async function startMainThreadRuntime(): Promise<void> {
  const { setRuntime } = useAppStore.getState();
  setRuntime({ status: 'starting', report: null, message: null });
  try {
    await client.startMainThread();
    const report = await client.request('init', { backend: 'cpu' });
    setRuntime({ status: 'ready', report, message: null });
    // Frames sampled for the stopped worker go to the main-thread core too.
    await resendClips();
  } catch (e) {
    setRuntime({ status: 'failed', report: null, message: `tfjs could not start even on the main thread: ${errorText(e)}. Try another browser.` });
  }
}

/**
 * The fault tests' handle (e2e/faults.spec.ts, through Playwright's page.evaluate): end the
 * worker as a crash would, lose the WebGPU device, or make the next step run out of GPU memory.
 * Each goes through the same detection and messages as a real fault.
 */
function exposeFaultHooks(): void {
  (globalThis as { __clipscopeFaults?: unknown }).__clipscopeFaults = {
    killWorker: () => client.crashWorkerForTest(),
    destroyDevice: () => client.request('gpu-fault', { fault: 'destroy-device' }),
    oomNextStep: () => client.request('gpu-fault', { fault: 'oom-next-step' }),
  };
}
