// Page side of the MP4 index worker (data/mp4-index.worker.ts): one worker per file, ended after
// its reply or after INDEX_TIMEOUT_MS, so neither a slow nor a hostile index can hold the page.
//
//   probeMp4(blob) ─postMessage(blob: shared, not copied)─▶ worker ─▶ Mp4Index (samples unpacked)
//                  ─no reply in time─▶ a refusal;  ─the worker did not run─▶ no fast path, the
//                  <video> decides alone (as for any container without an index reader)

import type { Mp4Index } from './mp4-demux';
import { unpackSamples } from './mp4-index';
import type { IndexReply } from './mp4-index.worker';
import { errorText } from '../lib/errors';

/** How long a file's index may take to read and check (an honest one: well under a second). */
const INDEX_TIMEOUT_MS = 10_000;

/** Read and vet an MP4's index in a worker. Never throws. */
export function probeMp4(blob: Blob): Promise<Mp4Index> {
  const unchecked = (why: string): Mp4Index => ({ ok: true, entries: [], cut: null, fast: { ok: false, reason: why } });
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./mp4-index.worker.ts', import.meta.url), { type: 'module', name: 'clipscope-mp4-index' });
    } catch (e) {
      resolve(unchecked(`the MP4 index worker did not start: ${errorText(e)}`));
      return;
    }
    const done = (index: Mp4Index) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(index);
    };
    const timer = setTimeout(() => done({ ok: false, refusal: `took over ${INDEX_TIMEOUT_MS / 1000} s to index: its index is too large or damaged. Re-export it, or cut it into shorter parts.` }), INDEX_TIMEOUT_MS);
    worker.onmessage = (e: MessageEvent<IndexReply>) => {
      const r = e.data;
      if ('failed' in r) return done(unchecked(`could not read the MP4 index: ${r.failed}`));
      const { index, packed } = r;
      done(packed && index.ok && index.fast.ok ? { ...index, fast: { ok: true, track: { ...index.fast.track, samples: unpackSamples(packed) } } } : index);
    };
    worker.onerror = (e) => done(unchecked(`the MP4 index worker failed: ${e.message || 'it did not load'}`));
    worker.postMessage({ blob });
  });
}
