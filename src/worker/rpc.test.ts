// The shared message loop: a request gets one reply with its id; a handler that throws gets a
// plain-words error reply; an unknown request name is answered, not dropped; events reach the
// page; typed arrays at the top level of a result are transferred.
import { describe, expect, it } from 'vitest';
import { createCore, type HandlersOf, type ReplyMessage } from './rpc';

interface TestRequests {
  double: { args: { x: number }; result: { y: number } };
  fail: { args: Record<string, never>; result: never };
  bytes: { args: { n: number }; result: { data: Float32Array } };
}
type TestEvent = { type: 'note'; text: string };

const handlers: HandlersOf<TestRequests, TestEvent> = {
  async double({ x }, ctx) {
    ctx.emit({ type: 'note', text: `doubling ${x}` });
    return { y: 2 * x };
  },
  async fail() {
    throw new Error('the clip is too short');
  },
  async bytes({ n }) {
    return { data: new Float32Array(n) };
  },
};

describe('createCore', () => {
  it('replies once per request, with errors and transfers', async () => {
    const sent: { msg: ReplyMessage<TestEvent>; transfer?: Transferable[] }[] = [];
    const core = createCore(handlers, (msg, transfer) => sent.push({ msg, transfer }), 'main');
    await core({ kind: 'request', id: 1, name: 'double', args: { x: 3 } });
    await core({ kind: 'request', id: 2, name: 'fail', args: {} });
    await core({ kind: 'request', id: 3, name: 'bytes', args: { n: 4 } });
    await core({ kind: 'request', id: 4, name: 'nope' as 'double', args: { x: 1 } });
    expect(sent.map((s) => s.msg)).toEqual([
      { kind: 'event', event: { type: 'note', text: 'doubling 3' } },
      { kind: 'reply', id: 1, ok: true, result: { y: 6 } },
      { kind: 'reply', id: 2, ok: false, error: 'the clip is too short' },
      { kind: 'reply', id: 3, ok: true, result: { data: new Float32Array(4) } },
      { kind: 'reply', id: 4, ok: false, error: 'This worker has no request "nope".' },
    ]);
    const bytesReply = sent[3];
    expect(bytesReply.transfer).toEqual([(bytesReply.msg as { result: { data: Float32Array } }).result.data.buffer]);
    expect(sent[1].transfer).toEqual([]);
  });
});
