// The box walk and the index caps on byte layouts built here: faststart and index-at-the-end
// files of several sizes (up to 6 GiB, 64-bit sizes included) as virtual files whose media bytes
// are never allocated, cut files, broken structure, and indexes that claim more than they hold.
import { describe, expect, it } from 'vitest';
import { checkIndex, MAX_MOOV_BYTES, MAX_VIDEO_SAMPLES, walkTopLevel, type ReadBytes } from './mp4-boxes';
import { readMp4Index } from './mp4-demux';
import { hostileMp4, mp4Box, u32s } from '../../scripts/test-clips';

interface VirtualBox {
  type: string;
  /** Whole box, header included. */
  size: number;
  /** Contents after the header (zeros beyond it). */
  body?: Buffer;
  /** Write a 64-bit largesize header (size field 1), or size 0 (to the end of the file). */
  header?: 'large' | 'to-end';
}

/**
 * A file of boxes laid end to end, cut at `length` if given: reads return each box's header and
 * body where they fall, zeros elsewhere, so gigabytes of media cost nothing. Counts bytes read.
 */
function virtualFile(boxes: VirtualBox[], length?: number): { read: ReadBytes; size: number; bytesRead: () => number } {
  const parts: { at: number; bytes: Buffer }[] = [];
  let end = 0;
  for (const b of boxes) {
    const head = Buffer.alloc(b.header === 'large' ? 16 : 8);
    head.writeUInt32BE(b.header === 'large' ? 1 : b.header === 'to-end' ? 0 : b.size);
    head.write(b.type, 4, 'latin1');
    if (b.header === 'large') head.writeBigUInt64BE(BigInt(b.size), 8);
    parts.push({ at: end, bytes: Buffer.concat([head, b.body ?? Buffer.alloc(0)]) });
    end += b.size;
  }
  const size = length ?? end;
  let bytesRead = 0;
  const read: ReadBytes = async (offset, len) => {
    const out = new Uint8Array(Math.max(0, Math.min(len, size - offset)));
    for (const p of parts) {
      const from = Math.max(offset, p.at);
      const to = Math.min(offset + out.length, p.at + p.bytes.length);
      if (from < to) out.set(p.bytes.subarray(from - p.at, to - p.at), from - offset);
    }
    bytesRead += out.length;
    return out;
  };
  return { read, size, bytesRead: () => bytesRead };
}

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const ftyp: VirtualBox = { type: 'ftyp', size: 24, body: Buffer.from('isom\0\0\u0002\0isomavc1', 'latin1') };
const moov = (size = 4096): VirtualBox => ({ type: 'moov', size });
const mdat = (size: number): VirtualBox => (size >= 2 ** 32 ? { type: 'mdat', size, header: 'large' } : { type: 'mdat', size });

describe('walkTopLevel', () => {
  const sizes = [8, 1024, 5 * MiB, 3 * GiB, 6 * GiB];

  it.each(sizes)('faststart (moov first), %d-byte mdat: every box found from its header alone', async (n) => {
    const f = virtualFile([ftyp, moov(), { type: 'free', size: 8 }, mdat(n)]);
    const top = await walkTopLevel(f.read, f.size);
    expect(top.boxes.map((b) => [b.type, b.offset, b.size])).toEqual([
      ['ftyp', 0, 24],
      ['moov', 24, 4096],
      ['free', 4120, 8],
      ['mdat', 4128, n],
    ]);
    expect([top.cut, top.broken]).toEqual([null, null]);
    expect(f.bytesRead()).toBeLessThanOrEqual(4 * 16);
  });

  it.each(sizes)('index at the end, %d-byte mdat: found by hopping over the media', async (n) => {
    const f = virtualFile([ftyp, { type: 'free', size: 8 }, mdat(n), moov(300_000)]);
    const top = await walkTopLevel(f.read, f.size);
    expect(top.boxes.map((b) => b.type)).toEqual(['ftyp', 'free', 'mdat', 'moov']);
    expect(top.boxes[3].offset).toBe(32 + n);
    expect([top.cut, top.broken]).toEqual([null, null]);
    expect(f.bytesRead()).toBeLessThanOrEqual(4 * 16);
  });

  it('a last box of size 0 runs to the end of the file', async () => {
    const f = virtualFile([ftyp, moov(), { type: 'mdat', size: 10 * MiB, header: 'to-end' }]);
    const top = await walkTopLevel(f.read, f.size);
    expect(top.boxes[2]).toEqual({ type: 'mdat', offset: 4120, size: 10 * MiB });
    expect(top.cut).toBeNull();
  });

  it('a file cut inside its media: the box it ends in, and what it claims', async () => {
    const atEnd = virtualFile([ftyp, mdat(20 * MiB), moov()], 24 + 12 * MiB);
    const top = await walkTopLevel(atEnd.read, atEnd.size);
    expect(top.cut).toEqual({ type: 'mdat', offset: 24, size: 20 * MiB });
    expect(top.boxes.map((b) => b.type)).toEqual(['ftyp', 'mdat']);
    // 64-bit sizes too.
    const large = virtualFile([ftyp, moov(), mdat(6 * GiB)], 2 * GiB);
    expect((await walkTopLevel(large.read, large.size)).cut).toEqual({ type: 'mdat', offset: 4120, size: 6 * GiB });
  });

  it('says where the structure breaks: bytes that are no box, an impossible size, a cut header', async () => {
    const garbage = virtualFile([ftyp, { type: '\u0001\u0002\u0003\u0004', size: 100 }]);
    expect((await walkTopLevel(garbage.read, garbage.size)).broken).toEqual({ offset: 24, reason: 'bytes that are not a box' });
    const tiny = virtualFile([ftyp, { type: 'free', size: 3 }], 40);
    expect((await walkTopLevel(tiny.read, tiny.size)).broken).toEqual({ offset: 24, reason: 'a “free” box with an impossible size (3 bytes)' });
    const stub = virtualFile([ftyp, moov(), mdat(64)], 24 + 4096 + 64 + 5);
    expect((await walkTopLevel(stub.read, stub.size)).broken).toEqual({ offset: 4184, reason: 'a box header cut off after 5 bytes' });
  });
});

/** A moov of one track: tkhd-less (checkIndex needs none), an mdia with hdlr `handler` and an stbl of `tables`. */
function moovOf(handler: string, ...tables: Buffer[]): Uint8Array {
  const full = (type: string, ...p: Buffer[]) => mp4Box(type, u32s(0), ...p);
  const hdlr = full('hdlr', u32s(0), Buffer.from(handler), Buffer.alloc(12), Buffer.from([0]));
  return new Uint8Array(mp4Box('moov', mp4Box('trak', mp4Box('mdia', hdlr, mp4Box('minf', mp4Box('stbl', ...tables))))));
}
const table = (type: string, ...words: number[]) => mp4Box(type, u32s(0, ...words));

describe('checkIndex', () => {
  it('an honest index: its tracks, their kind, sample counts and sample entries', () => {
    const stsd = mp4Box('stsd', u32s(0, 1), mp4Box('avc1', Buffer.alloc(78)));
    const tracks = checkIndex(moovOf('vide', stsd, table('stts', 1, 50, 512), table('stsz', 0, 3, 10, 20, 30), table('stco', 1, 48)), 10_000);
    expect(tracks).toEqual([expect.objectContaining({ handler: 'vide', sampleCount: 3, entries: ['avc1'] })]);
  });

  it('refuses, in well under a second, a few hundred bytes that claim ten million frames', async () => {
    const file = hostileMp4();
    expect(file.length).toBeLessThan(1000);
    const t0 = performance.now();
    const index = await readMp4Index(async (o, n) => new Uint8Array(file.subarray(o, o + n)), file.length);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(index).toEqual({ ok: false, refusal: `has an index that cannot be trusted: it lists 10,000,000 samples in a video track, more than a file of ${file.length} bytes can hold. The file is damaged, or not a video.` });
  });

  it('refuses tables with more entries than their box holds', () => {
    expect(checkIndex(moovOf('vide', table('stts', 1_000_000, 1, 1)), 1e9)).toBe('has a “stts” box of 24 bytes that claims 1,000,000 entries');
    expect(checkIndex(moovOf('soun', table('stsz', 0, 500_000)), 1e9)).toBe('has a “stsz” box of 20 bytes that claims 500,000 samples');
    expect(checkIndex(moovOf('vide', table('co64', 3, 0, 0)), 1e9)).toBe('has a “co64” box of 24 bytes that claims 3 entries');
    const stsd = mp4Box('stsd', u32s(0, 1), u32s(4000), Buffer.from('avc1'));
    expect(checkIndex(moovOf('vide', stsd), 1e9)).toBe('has a sample description that runs past its “stsd” box');
  });

  it('refuses a child box larger than its parent, and a moov that is not one box', () => {
    const bad = Buffer.from(moovOf('vide'));
    bad.writeUInt32BE(1e9, 8); // the trak
    expect(checkIndex(new Uint8Array(bad), 1e12)).toMatch(/^has a “trak” box of 1,000,000,000 bytes inside “moov”, which has only \d+ bytes left$/);
    expect(checkIndex(new Uint8Array(mp4Box('free', Buffer.alloc(8))), 100)).toBe('is not one whole “moov” box');
  });

  it('caps video frames even where the file claims room for them', () => {
    const n = MAX_VIDEO_SAMPLES + 1;
    expect(checkIndex(moovOf('vide', table('stsz', 100, n)), 2 ** 40)).toBe('lists 1,000,001 video frames, more than the 1,000,000 (over 9 hours at 30 fps) Clipscope reads');
    // Audio may list more (one sample per PCM sample): only the file's size bounds it.
    expect(checkIndex(moovOf('soun', table('stsz', 4, n)), 2 ** 40)).toEqual([expect.objectContaining({ handler: 'soun', sampleCount: n })]);
  });
});

describe('readMp4Index on layouts', () => {
  it('refuses an index over the cap without reading it', async () => {
    const f = virtualFile([ftyp, mdat(1 * GiB), moov(MAX_MOOV_BYTES + 1)]);
    const index = await readMp4Index(f.read, f.size);
    expect(index.ok === false && index.refusal).toMatch(/^has an index of 64\.0 MiB, more than the 64\.0 MiB Clipscope reads/);
    expect(f.bytesRead()).toBeLessThan(100);
  });

  it('tells "no index anywhere", "the index went with the cut" and "the index is cut" apart', async () => {
    const refusal = async (boxes: VirtualBox[], length?: number) => {
      const f = virtualFile(boxes, length);
      const index = await readMp4Index(f.read, f.size);
      return index.ok ? '' : index.refusal;
    };
    expect(await refusal([ftyp, mdat(5 * MiB)])).toMatch(/^is an MP4\/MOV file without its index \(no “moov” box anywhere in it\)/);
    expect(await refusal([ftyp, mdat(20 * MiB), moov()], 24 + 12 * MiB)).toMatch(/^is truncated: it is cut at 60% \(12\.0 MiB of 20\.0 MiB\): the last part of the clip is missing, and with it the index/);
    expect(await refusal([ftyp, mdat(MiB), moov(300_000)], 24 + MiB + 100_000)).toMatch(/^is truncated: its index \(the “moov” box, at the end\) is cut off, with 97\.7 KiB of its 293\.0 KiB in the file/);
    expect(await refusal([ftyp, { type: '\u0000\u0000\u0000\u0000', size: 64 }])).toMatch(/^is damaged: at byte 24 it has bytes that are not a box/);
  });
});
