// The client's faults, with a fake Worker: per-request time limits (the message names the
// request, a late reply is ignored), a dead worker found by its silence or an error event
// after it answered (pending requests fail, onDead is told once), and a new worker after it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestTimeoutError, WorkerClient, WorkerGoneError } from './worker-client';
import type { ReplyMessage, RequestMessage } from '../worker/rpc';

interface Req {
  echo: { args: { x: number }; result: { x: number } };
  slow: { args: Record<string, never>; result: { ok: true } };
  ping: { args: Record<string, never>; result: { ok: true } };
}
type Ev = { type: 'note' };

/** A worker that answers `echo` and `ping` at once and `slow` never, until it is "crashed". */
class FakeWorker {
  onmessage: ((e: MessageEvent<ReplyMessage<Ev>>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  crashed = false;
  terminated = false;
  received: string[] = [];
  postMessage(msg: RequestMessage<Req>): void {
    this.received.push(String(msg.name));
    if (this.crashed || msg.name === 'slow') return;
    const result = msg.name === 'echo' ? { x: (msg.args as { x: number }).x } : { ok: true };
    queueMicrotask(() => this.onmessage?.({ data: { kind: 'reply', id: msg.id, ok: true, result } } as MessageEvent<ReplyMessage<Ev>>));
  }
  reply(id: number): void {
    this.onmessage?.({ data: { kind: 'reply', id, ok: true, result: { ok: true } } } as MessageEvent<ReplyMessage<Ev>>);
  }
  terminate(): void {
    this.terminated = true;
  }
}

function make() {
  const workers: FakeWorker[] = [];
  const c = new WorkerClient<Req, Ev>(
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    () => Promise.reject(new Error('no main thread in this test')),
    { timeouts: { slow: 5_000 }, defaultTimeoutMs: 20_000 },
  );
  return { c, workers };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('WorkerClient time limits', () => {
  it('fails a request past its kind’s limit, naming it, and ignores the late reply', async () => {
    const { c, workers } = make();
    c.startWorker();
    const slow = c.request('slow', {});
    const failed = expect(slow).rejects.toThrow(new RequestTimeoutError('The tfjs worker did not answer “slow” within 5 s.'));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(await c.request('echo', { x: 2 })).toEqual({ x: 2 }); // other requests still answer
    await vi.advanceTimersByTimeAsync(1);
    await failed;
    workers[0].reply(1); // the late reply of request 1 changes nothing
    expect(await c.request('echo', { x: 3 })).toEqual({ x: 3 });
    c.stop();
  });

  it('without limits (the bench’s client) a request waits as long as it takes', async () => {
    const workers: FakeWorker[] = [];
    const c = new WorkerClient<Req, Ev>(
      () => (workers.push(new FakeWorker()), workers[0] as unknown as Worker),
      () => Promise.reject(new Error('no main thread in this test')),
    );
    c.startWorker();
    let settled = false;
    const slow = c.request('slow', {}).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(settled).toBe(false);
    workers[0].reply(1);
    expect(await slow).toEqual({ ok: true });
  });
});

describe('WorkerClient death', () => {
  it('finds a silent worker dead, fails what was pending, tells onDead once, and a new worker answers', async () => {
    const { c, workers } = make();
    const onDead = vi.fn();
    c.watch({ ping: () => c.request('ping', {}), everyMs: 1_000, deadAfterMs: 5_000, onDead });
    c.startWorker();
    expect(await c.request('echo', { x: 1 })).toEqual({ x: 1 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(onDead).not.toHaveBeenCalled(); // pings keep a live worker alive
    expect(workers[0].received.filter((n) => n === 'ping').length).toBeGreaterThanOrEqual(9);

    workers[0].crashed = true; // as terminate() would: no reply, no event
    const pending = c.request('echo', { x: 2 });
    const gone = expect(pending).rejects.toBeInstanceOf(WorkerGoneError);
    await vi.advanceTimersByTimeAsync(6_000);
    await gone;
    expect(onDead).toHaveBeenCalledTimes(1);
    expect(onDead.mock.calls[0][0]).toMatch(/did not answer for [56] s/);
    expect(workers[0].terminated).toBe(true);
    await expect(c.request('echo', { x: 3 })).rejects.toBeInstanceOf(WorkerGoneError);

    c.startWorker();
    expect(workers).toHaveLength(2);
    expect(await c.request('echo', { x: 4 })).toEqual({ x: 4 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(onDead).toHaveBeenCalledTimes(1); // the new worker is watched and alive
    c.stop();
  });

  it('an error event after the worker answered is a death; before, a failed start', async () => {
    const { c, workers } = make();
    const onDead = vi.fn();
    c.watch({ ping: () => c.request('ping', {}), everyMs: 1_000, deadAfterMs: 5_000, onDead });
    c.startWorker();
    const init = c.request('slow', {});
    workers[0].onerror?.({ message: 'the script could not be loaded', preventDefault() {} } as ErrorEvent);
    await expect(init).rejects.toThrow('The tfjs worker stopped: the script could not be loaded');
    expect(onDead).not.toHaveBeenCalled();

    c.startWorker();
    expect(await c.request('echo', { x: 1 })).toEqual({ x: 1 });
    const pending = c.request('slow', {});
    workers[1].onerror?.({ message: 'out of memory', preventDefault() {} } as ErrorEvent);
    await expect(pending).rejects.toThrow('The tfjs worker stopped: it reported an error: out of memory.');
    expect(onDead).toHaveBeenCalledWith('it reported an error: out of memory');
    expect(workers[1].terminated).toBe(true);
  });
});
