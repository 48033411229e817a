// The restart after a dead worker, with a fake Worker behind the app's real client: the badge
// status says so, a new worker is started on the same backend, the clips are sent again
// (clip-library.ts resendFrames, replaced here: it samples from the page's open sources), runs
// that could still train end with a message and keep their curves, finished runs stay.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReplyMessage, RequestMessage } from '../worker/rpc';
import type { Requests, WorkerEvent } from '../worker/protocol';
import type { RunRecord } from '../state/slices/runs-slice';

const resendFrames = vi.fn(async () => ({ sent: 2, failed: [] as string[] }));
vi.mock('./clip-library', () => ({ resendFrames: () => resendFrames() }));

const workers: FakeAppWorker[] = [];
class FakeAppWorker {
  onmessage: ((e: MessageEvent<ReplyMessage<WorkerEvent>>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  crashed = false;
  requests: RequestMessage<Requests>[] = [];
  constructor() {
    workers.push(this);
  }
  postMessage(msg: RequestMessage<Requests>): void {
    this.requests.push(msg);
    if (this.crashed) return;
    const result = msg.name === 'init' ? { backend: 'webgl', adapterInfo: null, fallbackReason: null, requested: (msg.args as { backend: string | null }).backend, thread: 'worker', warmupMs: 1 } : { ok: true };
    queueMicrotask(() => this.onmessage?.({ data: { kind: 'reply', id: msg.id, ok: true, result } } as MessageEvent<ReplyMessage<WorkerEvent>>));
  }
  terminate(): void {
    this.crashed = true;
  }
}
vi.stubGlobal('Worker', FakeAppWorker);

const { useAppStore } = await import('../state/store');
const { startRuntime } = await import('./runtime-actions');

const run = (id: string, status: RunRecord['status']) => ({ id, status, message: null, losses: [{ step: 1, loss: 0.7 }], epochPoints: [] }) as unknown as RunRecord;

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('a dead worker', () => {
  it('is restarted on the same backend, clips sent again, runs ended with their curves kept', async () => {
    useAppStore.getState().setSetting('backend', 'webgl');
    await startRuntime();
    expect(useAppStore.getState().runtime.status).toBe('ready');
    useAppStore.getState().addRun(run('done-run', 'done'));
    useAppStore.getState().addRun(run('live-run', 'training'));

    (globalThis as unknown as { __clipscopeFaults: { killWorker(): void } }).__clipscopeFaults.killWorker();
    await vi.advanceTimersByTimeAsync(74_000);
    expect(useAppStore.getState().runtime.status).toBe('ready'); // not yet: 75 s of silence
    await vi.advanceTimersByTimeAsync(2_500);
    const restarting = useAppStore.getState().runtime;
    expect(restarting.status === 'restarting' || restarting.status === 'ready').toBe(true);
    await vi.advanceTimersByTimeAsync(100);

    expect(workers).toHaveLength(2);
    expect(workers[1].requests[0]).toMatchObject({ name: 'init', args: { backend: 'webgl' } });
    expect(resendFrames).toHaveBeenCalledTimes(1);
    const { runtime, runs } = useAppStore.getState();
    expect(runtime.status).toBe('ready');
    expect(runtime.message).toMatch(/Restarted after the tfjs worker stopped \(it did not answer for 7\d s\); 2 sampled clips sent again/);
    const byId = Object.fromEntries(runs.map((r) => [r.id, r]));
    expect(byId['done-run'].status).toBe('done');
    expect(byId['live-run'].status).toBe('error');
    expect(byId['live-run'].message).toMatch(/the tfjs worker stopped .* The curves so far are kept/);
    expect(byId['live-run'].losses).toHaveLength(1);
  });
});
