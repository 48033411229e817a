// The MP4 index on real files made by ffmpeg (scripts/test-clips.ts): the fast path's sample table
// against ffprobe's packets (FFmpeg's MP4 demuxer, the one Chromium's <video> plays MP4 through,
// with the edit list applied), the bytes it reads, the files it hands back to the seek path, and
// the files it refuses or reads only in part (index at the end, cut, missing, hostile).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMp4Index, type DemuxResult, type Mp4Index } from './mp4-demux';
import { SNIFF_BYTES } from './clip-sniff';
import { buildFrameTable, presentationShift } from './mp4-index';
import { BAD, CUT_FASTSTART, makeFastPathClips, makeTestClips } from '../../scripts/test-clips';

// Its own folder: the sniff test makes the same files in parallel, and a half-written file would fail both.
const dir = join(tmpdir(), 'clipscope-mp4-test-clips');
const clips = { ...makeTestClips(dir), ...makeFastPathClips(dir) };

/** Read a file's index through a reader that counts the bytes asked for. */
async function readIndex(path: string): Promise<{ index: Mp4Index; bytesRead: number; fileSize: number }> {
  const b = readFileSync(path);
  let bytesRead = 0;
  const index = await readMp4Index(async (offset, length) => {
    const part = new Uint8Array(b.subarray(offset, offset + length));
    bytesRead += part.length;
    return part;
  }, b.length);
  return { index, bytesRead, fileSize: b.length };
}

/** The fast path's part of the index (a refusal reads as a reason). */
async function demux(path: string): Promise<{ result: DemuxResult; bytesRead: number; fileSize: number }> {
  const { index, bytesRead, fileSize } = await readIndex(path);
  return { result: index.ok ? index.fast : { ok: false, reason: index.refusal }, bytesRead, fileSize };
}

interface Packet {
  pts: number;
  size: string;
  pos: string;
  flags: string;
}

/** ffprobe's video packets in file (decode) order, pts in seconds. */
function ffprobePackets(path: string): { ptsS: number; size: number; pos: number; key: boolean }[] {
  const json = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,size,pos,flags:stream=time_base', '-of', 'json', path], { encoding: 'utf8' })) as { packets: Packet[]; streams: { time_base: string }[] };
  const [num, den] = json.streams[0].time_base.split('/').map(Number);
  return json.packets.map((p) => ({ ptsS: (p.pts * num) / den, size: Number(p.size), pos: Number(p.pos), key: p.flags.startsWith('K') }));
}

describe('readMp4VideoTrack', () => {
  const onFastPath = ['good.mp4', 'portrait.mp4', 'with-audio.mp4', 'hour-long.mp4', 'phone-30min.mp4', 'bars-bframes.mp4', 'bars-no-bframes.mp4', 'bars-no-editlist.mp4', 'bars-empty-edit.mp4', 'card-faststart.mp4', 'card-bt709.mp4', 'card-vp9.mp4', 'bars.mov'] as const;

  it.each(onFastPath)('%s: samples and presentation times are FFmpeg’s (edit list applied)', async (name) => {
    const { result } = await demux(clips[name]);
    if (!result.ok) throw new Error(result.reason);
    const { samples, timescale, movieTimescale, edits } = result.track;
    const shift = presentationShift(edits, timescale, movieTimescale);
    expect(shift).not.toBeNull();
    const table = buildFrameTable(samples, timescale, shift!);
    if (typeof table === 'string') throw new Error(table);
    const packets = ffprobePackets(clips[name]);
    expect(samples.length).toBe(packets.length);
    samples.forEach((s, d) => {
      const p = packets[d];
      expect({ d, offset: s.offset, size: s.size, key: s.isSync }).toEqual({ d, offset: p.pos, size: p.size, key: p.key });
      expect(Math.abs(table.ptsUs[d] / 1e6 - p.ptsS), `sample ${d} of ${name}`).toBeLessThan(1e-6);
    });
  });

  it('reads only the index, not the media: an hour-long clip costs its moov', async () => {
    const { result, bytesRead, fileSize } = await demux(clips['hour-long.mp4']);
    expect(result.ok).toBe(true);
    expect(result.ok && result.track.samples.length).toBe(3600);
    expect(bytesRead).toBeLessThan(fileSize / 5);
    // The moov sits at the end (ffmpeg's default): found by hopping over box headers.
    const moovAt = readFileSync(clips['hour-long.mp4']).lastIndexOf('moov') - 4;
    expect(bytesRead).toBeLessThan(fileSize - moovAt + 4096);
  });

  it('hands the decoder the codec string and the stored configuration record', async () => {
    const { result } = await demux(clips['bars-bframes.mp4']);
    if (!result.ok) throw new Error(result.reason);
    expect(result.track.codec).toMatch(/^avc1\.64/);
    expect([result.track.codedWidth, result.track.codedHeight]).toEqual([160, 120]);
    const file = readFileSync(clips['bars-bframes.mp4']);
    const at = file.indexOf('avcC');
    expect(Buffer.from(result.track.description!).equals(file.subarray(at + 4, at - 4 + file.readUInt32BE(at - 4)))).toBe(true);
    const vp9 = (await demux(clips['card-vp9.mp4'])).result;
    expect(vp9.ok && vp9.track.codec).toMatch(/^vp09\./);
    const tagged = (await demux(clips['card-bt709.mp4'])).result;
    expect(tagged.ok && tagged.track.colorSpace).toEqual({ primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', fullRange: false });
  });

  it('says why a file is not on the fast path', async () => {
    const reason = async (name: keyof typeof clips) => {
      const { result } = await demux(clips[name]);
      expect(result.ok, name).toBe(false);
      return result.ok ? '' : result.reason;
    };
    expect(await reason('rotated.mp4')).toMatch(/rotation/);
    expect(await reason('bars-fragmented.mp4')).toMatch(/fragmented/);
    expect(await reason('bars-sar2.mp4')).toMatch(/non-square pixels/);
    expect(await reason('random.mp4')).toMatch(/^is damaged: at byte 0 it has bytes that are not a box/);
    expect(await reason('mpeg4-part2.mp4')).toMatch(/mp4v/);
  });

  it('a variable frame rate is left to the seek path (Chromium picks frames by average duration)', async () => {
    const { result } = await demux(clips['vfr.mp4']);
    if (!result.ok) throw new Error(result.reason);
    const { samples, timescale, movieTimescale, edits } = result.track;
    expect(buildFrameTable(samples, timescale, presentationShift(edits, timescale, movieTimescale)!)).toBe('a variable frame rate');
  });
});

describe('readMp4Index: where the index is, and what is left of a cut file', () => {
  it('a 30-minute phone-style clip: its index at the end, larger than the sniff’s tail, found by the box walk', async () => {
    const file = readFileSync(clips['phone-30min.mp4']);
    const moovAt = file.lastIndexOf('moov') - 4;
    expect(file.length - moovAt).toBeGreaterThan(SNIFF_BYTES); // the tail the sniff reads starts inside the index
    const { index, bytesRead, fileSize } = await readIndex(clips['phone-30min.mp4']);
    if (!index.ok) throw new Error(index.refusal);
    expect(index.entries).toEqual(['avc1']);
    expect(index.cut).toBeNull();
    expect(index.fast.ok && index.fast.track.samples.length).toBe(1800);
    expect(bytesRead).toBeLessThan(fileSize - moovAt + 4096); // box headers, ftyp and the moov only
  });

  it.each(Object.keys(BAD).filter((n) => n.endsWith('.mp4') && n !== 'random.mp4' && !/hevc|mpeg4|one-frame/.test(n)) as (keyof typeof BAD)[])(
    '%s is refused with its own message',
    async (name) => {
      const { index } = await readIndex(clips[name]);
      expect(index.ok === false && index.refusal).toContain(BAD[name]);
    },
  );

  it('a faststart file cut at 60%: the index survives, and only the frames whose bytes are left are kept', async () => {
    const { index, fileSize } = await readIndex(clips[CUT_FASTSTART.name]);
    if (!index.ok) throw new Error(index.refusal);
    const { cut, fast } = index;
    if (!cut || !fast.ok) throw new Error(`expected a cut file on the fast path: ${JSON.stringify({ cut, fast: fast.ok || fast.reason })}`);
    expect(cut.readableBytes).toBe(fileSize);
    expect(cut.readableBytes / cut.claimedBytes).toBeCloseTo(CUT_FASTSTART.keptFraction, 2);
    expect(cut.durationS).toBeCloseTo(CUT_FASTSTART.fullDurationS, 1);
    // The test card's frames are about equal in size: about 60% of the time is left (the index and audio take some bytes).
    expect(cut.readableS).toBeGreaterThan(0.4 * CUT_FASTSTART.fullDurationS);
    expect(cut.readableS).toBeLessThan(0.65 * CUT_FASTSTART.fullDurationS);
    const { samples } = fast.track;
    expect(samples.every((s) => s.offset + s.size <= fileSize)).toBe(true);
    // What the <video> is given ends with the last whole frame: no packet cut in two.
    expect(cut.playableBytes).toBe(Math.max(...samples.map((s) => s.offset + s.size)));
    // Against FFmpeg on the whole file: the kept samples are the frames whose bytes are left, every
    // frame presented before the readable instant is among them, and the first lost one is there.
    const packets = ffprobePackets(join(dir, 'full-for-cut-faststart.mp4'));
    const left = (p: { pos: number; size: number }) => p.pos + p.size <= fileSize;
    expect(samples.map((s) => s.offset)).toEqual(packets.filter(left).map((p) => p.pos));
    expect(packets.filter((p) => p.ptsS < cut.readableS).every(left)).toBe(true);
    expect(Math.min(...packets.filter((p) => !left(p)).map((p) => p.ptsS))).toBeCloseTo(cut.readableS, 6);
  });
});
