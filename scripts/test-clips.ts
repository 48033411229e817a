// Test-time clips, good and bad, generated with ffmpeg into a folder (the e2e set-up, the sniff
// unit test and the sampling benchmark call it). Nothing is checked in: each file is made from
// ffmpeg's lavfi sources or plain bytes in well under a second.
//
//   makeTestClips(dir) → { name: absolutePath } for every file in GOOD and BAD.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FF = ['-hide_banner', '-loglevel', 'error', '-y'];
const X264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
/**
 * A small moving pattern: a white square crossing a grey field left → right at 40 px/s. One
 * filter chain (so callers can add -vf): the square sits still on a wider canvas and a crop
 * window slides over it (crop's x sees the time t; drawbox's `t` is its line thickness).
 */
const MOVING = (w: number, h: number, fps: number, d: number) => {
  const x0 = 10 + Math.ceil(40 * d); // the square's x on the canvas; crop x = x0 − 10 − 40·t ≥ 0
  const canvasW = 2 * Math.ceil((x0 + w) / 2);
  const side = 2 * Math.round(h / 8);
  return ['-f', 'lavfi', '-i', `color=c=gray:s=${canvasW}x${h}:r=${fps}:d=${d},format=yuv420p,drawbox=x=${x0}:y=${Math.round(h / 3)}:w=${side}:h=${side}:c=white:t=fill,crop=w=${w}:h=${h}:x='${x0 - 10}-40*t':y=0`];
};

/**
 * Vertical white bars on black sliding 7 px a frame (a crop window moving over a static grid):
 * every frame differs from its neighbours by full-contrast edges, so a frame off by one is a
 * 255-level difference, far above colour-conversion noise.
 */
const BARS = (fps: number, d: number) => {
  const canvasW = 2 * Math.ceil((160 + 7 * Math.ceil(fps * d) + 8) / 2);
  return ['-f', 'lavfi', '-i', `color=c=black:s=${canvasW}x120:r=${fps}:d=${d},format=yuv420p,drawgrid=w=40:h=200:t=8:c=white,crop=w=160:h=120:x='7*n':y=0`];
};
/** ffmpeg's colour test card with moving parts (colour conversion shows on it). */
const CARD = (fps: number, d: number) => ['-f', 'lavfi', '-i', `testsrc2=s=160x120:r=${fps}:d=${d}`];

/** Files that must load and sample, with what the app must report about them. */
export const GOOD = {
  'good.webm': { width: 160, height: 120, fps: 15, durationS: 2, codec: 'vp9' },
  'good.mp4': { width: 160, height: 120, fps: 25, durationS: 2, codec: 'h264' },
  'portrait.mp4': { width: 90, height: 160, fps: 20, durationS: 1.5, codec: 'h264' },
  /** Encoded 160×120 with 90° rotation metadata: shown 120×160. */
  'rotated.mp4': { width: 120, height: 160, fps: 20, durationS: 1.5, codec: 'h264' },
  /** Frames 40 ms and 70 ms apart alternately. */
  'vfr.mp4': { width: 160, height: 120, fps: null, durationS: 1.5, codec: 'h264' },
  'with-audio.mp4': { width: 160, height: 120, fps: 25, durationS: 2, codec: 'h264' },
  /** One hour at 1 fps, tiny bitrate: sampling must seek, not decode it all. */
  'hour-long.mp4': { width: 64, height: 36, fps: 1, durationS: 3600, codec: 'h264' },
  /** 4K, two seconds at 2 fps. */
  '4k.mp4': { width: 3840, height: 2160, fps: 2, durationS: 2, codec: 'h264' },
  'animated.gif': { width: 80, height: 60, fps: 10, durationS: 1.2, codec: 'gif' },
  /**
   * Phone/camera style: 30 minutes with an audio track, the index (moov) at the end of the file
   * (ffmpeg's default) and larger than the sniff's 256 KiB tail (the audio's 84,000 samples).
   * Silence and a 1 fps test card keep it under 1 MB.
   */
  'phone-30min.mp4': { width: 64, height: 36, fps: 1, durationS: 1800, codec: 'h264' },
  /** H.264 in Matroska (the hint advertises MKV). */
  'h264.mkv': { width: 160, height: 120, fps: 15, durationS: 2, codec: 'h264' },
} as const;

/**
 * 10 s with audio, index first (+faststart), cut at 60% of its bytes: the index survives, so the
 * frames whose bytes are left load and sample, with a notice saying how much is missing.
 */
export const CUT_FASTSTART = { name: 'cut-faststart.mp4', fullDurationS: 10, keptFraction: 0.6 } as const;

/** AV1 clips (the hint advertises AV1), made only where this ffmpeg has an AV1 encoder. */
export const AV1 = {
  'av1.webm': { width: 160, height: 120, fps: 15, durationS: 2, codec: 'av1' },
  'av1.mp4': { width: 160, height: 120, fps: 15, durationS: 2, codec: 'av1' },
} as const;

/** Files that must be refused, with a fragment of the error each must produce. */
export const BAD = {
  'notes.txt': 'is a text file, not a video',
  'picture.png': 'is a PNG image, not a video',
  'random.mp4': 'not a video Chromium can read',
  'empty.webm': 'is empty (0 bytes)',
  /** Index at the end, file cut in half inside its media: the index went with the missing part. */
  'truncated.mp4': 'is truncated: it is cut at',
  /** Media complete, no index anywhere (a recording never finished). */
  'unfinished.mp4': 'without its index (no “moov” box anywhere in it)',
  /** Index at the end, cut inside it. */
  'cut-index.mp4': 'its index (the “moov” box, at the end) is cut off',
  /** A few hundred bytes whose index claims ten million frames. */
  'hostile-index.mp4': 'has an index that cannot be trusted: it lists 10,000,000 samples in a video track',
  'hevc.mp4': 'Chromium cannot decode HEVC (H.265)',
  'mpeg4-part2.mp4': 'Chromium cannot decode MPEG-4 Part 2',
  'clip.avi': 'Chromium cannot play the AVI container',
  'theora.ogv': 'Chromium cannot decode Theora',
  'one-frame.mp4': 'has only one frame',
  'still.gif': 'has only one frame',
} as const;

export type TestClipName = keyof typeof GOOD | keyof typeof BAD | typeof CUT_FASTSTART.name;

function ff(args: string[]): void {
  execFileSync('ffmpeg', [...FF, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** `make(name, fn)` runs `fn(path)` unless `dir` already has the file, and records name → path in `out`. */
function clipMaker<N extends string>(dir: string) {
  mkdirSync(dir, { recursive: true });
  const out = {} as Record<N, string>;
  const make = (name: N, fn: (path: string) => void) => {
    const path = join(dir, name);
    if (!existsSync(path)) fn(path);
    out[name] = path;
  };
  return { out, make };
}

/** Make every test clip in `dir` (skipping files already there). Returns name → path. */
export function makeTestClips(dir: string): Record<TestClipName, string> {
  const { out, make } = clipMaker<TestClipName>(dir);
  make('good.webm', (p) => ff([...MOVING(160, 120, 15, 2), '-c:v', 'libvpx-vp9', '-b:v', '100k', '-deadline', 'realtime', '-cpu-used', '8', p]));
  make('good.mp4', (p) => ff([...MOVING(160, 120, 25, 2), ...X264, p]));
  make('portrait.mp4', (p) => ff([...MOVING(90, 160, 20, 1.5), ...X264, p]));
  make('rotated.mp4', (p) => {
    ff([...MOVING(160, 120, 20, 1.5), ...X264, p]);
    writeFileSync(p, rotate90(readFileSync(p)));
  });
  // VFR: timestamps 0, 0.04, 0.11, 0.15, 0.22, … (alternating 40 ms and 70 ms gaps: no common base rate).
  make('vfr.mp4', (p) => ff([...MOVING(160, 120, 20, 2), '-vf', "settb=1/1000,setpts='(floor(N/2)*0.11+mod(N,2)*0.04)/TB'", ...X264, '-enc_time_base:v', '1:1000', '-video_track_timescale', '1000', '-fps_mode', 'vfr', '-t', '1.5', p]));
  make('with-audio.mp4', (p) => ff([...MOVING(160, 120, 25, 2), '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', ...X264, '-c:a', 'aac', '-b:a', '32k', '-shortest', p]));
  make('hour-long.mp4', (p) => ff(['-f', 'lavfi', '-i', 'testsrc2=s=64x36:r=1:d=3600', ...X264, '-g', '60', '-crf', '45', p]));
  make('4k.mp4', (p) => ff(['-f', 'lavfi', '-i', 'testsrc2=s=3840x2160:r=2:d=2', ...X264, '-crf', '40', p]));
  make('animated.gif', (p) => ff([...MOVING(80, 60, 10, 1.2), p]));

  make('notes.txt', (p) => writeFileSync(p, 'These are lecture notes, not a video.\nFrames, tensors, and time.\n'.repeat(20)));
  make('picture.png', (p) => ff(['-f', 'lavfi', '-i', 'color=c=red:s=64x48:d=0.04', '-frames:v', '1', p]));
  make('random.mp4', (p) => {
    // Deterministic noise (a 32-bit LCG), avoiding any known magic number at the start.
    const bytes = new Uint8Array(50_000);
    let s = 12345;
    for (let i = 0; i < bytes.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      bytes[i] = s >>> 24;
    }
    bytes[0] = 0x13;
    writeFileSync(p, bytes);
  });
  make('empty.webm', (p) => writeFileSync(p, new Uint8Array(0)));
  // Index (moov) at the end, as cameras write it: cut in half (index gone), cut just before the
  // index (media whole, index gone), cut inside the index.
  const full = join(dir, 'full-for-truncation.mp4');
  const cutFull = (p: string, keep: (bytes: Buffer) => number) => {
    if (!existsSync(full)) ff([...MOVING(160, 120, 25, 2), ...X264, full]);
    const bytes = readFileSync(full);
    writeFileSync(p, bytes.subarray(0, keep(bytes)));
  };
  make('truncated.mp4', (p) => cutFull(p, (b) => Math.floor(b.length / 2)));
  make('unfinished.mp4', (p) => cutFull(p, (b) => b.lastIndexOf('moov') - 4));
  make('cut-index.mp4', (p) => cutFull(p, (b) => b.length - 100));
  make('hostile-index.mp4', (p) => writeFileSync(p, hostileMp4()));
  make('phone-30min.mp4', (p) => ff(['-f', 'lavfi', '-i', 'testsrc2=s=64x36:r=1:d=1800', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono', '-t', '1800', ...X264, '-g', '60', '-crf', '45', '-c:a', 'aac', '-b:a', '16k', p]));
  make('h264.mkv', (p) => ff([...MOVING(160, 120, 15, 2), ...X264, p]));
  make(CUT_FASTSTART.name, (p) => {
    const src = join(dir, 'full-for-cut-faststart.mp4');
    ff([...CARD(25, CUT_FASTSTART.fullDurationS), '-f', 'lavfi', '-i', `sine=frequency=440:duration=${CUT_FASTSTART.fullDurationS}`, ...X264, '-g', '25', '-c:a', 'aac', '-b:a', '32k', '-movflags', '+faststart', src]);
    const bytes = readFileSync(src);
    writeFileSync(p, bytes.subarray(0, Math.floor(bytes.length * CUT_FASTSTART.keptFraction)));
  });
  make('hevc.mp4', (p) => ff([...MOVING(160, 120, 15, 1), '-c:v', 'libx265', '-preset', 'ultrafast', '-tag:v', 'hvc1', '-x265-params', 'log-level=none', p]));
  make('mpeg4-part2.mp4', (p) => ff([...MOVING(160, 120, 15, 1), '-c:v', 'mpeg4', p]));
  make('clip.avi', (p) => ff([...MOVING(160, 120, 15, 1), '-c:v', 'mpeg4', '-vtag', 'XVID', p]));
  make('theora.ogv', (p) => ff([...MOVING(160, 120, 15, 1), '-c:v', 'libtheora', p]));
  make('one-frame.mp4', (p) => ff([...MOVING(160, 120, 25, 1), ...X264, '-frames:v', '1', p]));
  make('still.gif', (p) => ff([...MOVING(80, 60, 10, 1), '-frames:v', '1', p]));
  return out;
}

/** The AV1 encoder this ffmpeg has (libaom, else SVT-AV1), or null. */
export function av1Encoder(): string | null {
  const list = execFileSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' });
  return ['libaom-av1', 'libsvtav1'].find((e) => new RegExp(`\\s${e}\\s`).test(list)) ?? null;
}

/** Make the AV1 clips in `dir`, or null (with nothing made) where ffmpeg has no AV1 encoder. */
export function makeAv1Clips(dir: string): Record<keyof typeof AV1, string> | null {
  const encoder = av1Encoder();
  if (!encoder) return null;
  const { out, make } = clipMaker<keyof typeof AV1>(dir);
  const args = encoder === 'libaom-av1' ? ['-c:v', encoder, '-cpu-used', '8', '-b:v', '100k'] : ['-c:v', encoder, '-preset', '12'];
  for (const name of Object.keys(AV1) as (keyof typeof AV1)[]) make(name, (p) => ff([...MOVING(160, 120, 15, 2), ...args, '-pix_fmt', 'yuv420p', p]));
  return out;
}

/** An MP4 box: 32-bit size, four-CC, payload. */
export const mp4Box = (type: string, ...payload: Buffer[]): Buffer => {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
};
/** 32-bit big-endian words. */
export const u32s = (...words: number[]): Buffer => {
  const b = Buffer.alloc(4 * words.length);
  words.forEach((w, i) => b.writeUInt32BE(w >>> 0, 4 * i));
  return b;
};
/** A full box (version 0, flags 0). */
const fullBox = (type: string, ...payload: Buffer[]) => mp4Box(type, u32s(0), ...payload);
const UNITY = u32s(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000);

/**
 * A well-formed little MP4 (ftyp, moov with one H.264 video track, a 16-byte mdat) whose sample
 * table lists `samples` frames of one byte each: a few hundred bytes that claim ten million
 * frames by default. A parser that believes it builds ten million sample records.
 */
export function hostileMp4(samples = 10_000_000): Buffer {
  const avc1 = mp4Box('avc1', Buffer.alloc(6), Buffer.from([0, 1]), Buffer.alloc(16), Buffer.from([0, 64, 0, 36]), u32s(0x480000, 0x480000, 0), Buffer.from([0, 1]), Buffer.alloc(32), Buffer.from([0, 0x18, 0xff, 0xff]));
  const stbl = mp4Box('stbl', fullBox('stsd', u32s(1), avc1), fullBox('stts', u32s(1, samples, 1)), fullBox('stsc', u32s(1, 1, samples, 1)), fullBox('stsz', u32s(1, samples)), fullBox('stco', u32s(1, 0)));
  const minf = mp4Box('minf', fullBox('vmhd', Buffer.alloc(8)), mp4Box('dinf', fullBox('dref', u32s(1), fullBox('url ', Buffer.alloc(0)))), stbl);
  const mdia = mp4Box('mdia', fullBox('mdhd', u32s(0, 0, 1, samples), Buffer.from([0x55, 0xc4, 0, 0])), fullBox('hdlr', u32s(0), Buffer.from('vide'), Buffer.alloc(12), Buffer.from('video\0')), minf);
  const trak = mp4Box('trak', fullBox('tkhd', u32s(0, 0, 1, 0, samples, 0, 0, 0, 0), UNITY, u32s(64 << 16, 36 << 16)), mdia);
  const moov = mp4Box('moov', fullBox('mvhd', u32s(0, 0, 1, samples, 0x10000), Buffer.from([1, 0]), Buffer.alloc(10), UNITY, Buffer.alloc(24), u32s(2)), trak);
  return Buffer.concat([mp4Box('ftyp', Buffer.from('isom'), u32s(512), Buffer.from('isomavc1')), moov, mp4Box('mdat', Buffer.alloc(16))]);
}

/**
 * MP4s (and a MOV) for the WebCodecs fast path's exactness check (e2e/clips.spec.ts) and the
 * demuxer's unit test: the layouts the fast path must get right, and ones it must hand back to
 * the seek path (`fallback`: a fragment of the reason). Also uses GOOD's MP4s.
 */
export const FAST_PATH = {
  /** x264 defaults: B-frames, so composition offsets and an edit list that cancels them. */
  'bars-bframes.mp4': { fallback: null },
  /** x264 ultrafast: no B-frames, no offsets. */
  'bars-no-bframes.mp4': { fallback: null },
  /** B-frames and no edit list: the first frame is presented at 80 ms, not 0. */
  'bars-no-editlist.mp4': { fallback: null },
  /** An empty edit first: the video starts 0.5 s into the presentation. */
  'bars-empty-edit.mp4': { fallback: null },
  /** Moov before mdat (`+faststart`), colour test card, no colour signalled (BT.601 assumed). */
  'card-faststart.mp4': { fallback: null },
  /** Colour signalled as BT.709, in the bitstream and a colr box. */
  'card-bt709.mp4': { fallback: null },
  'card-vp9.mp4': { fallback: null },
  /** QuickTime: the same structures, plus metadata mp4box does not know. */
  'bars.mov': { fallback: null },
  /** Samples in moof fragments (MediaRecorder-style): not on the fast path. */
  'bars-fragmented.mp4': { fallback: 'fragmented' },
  /** 2:1 pixels: the <video> stretches them; the fast path leaves them to it. */
  'bars-sar2.mp4': { fallback: 'non-square pixels' },
  /**
   * Square pixels in the container (pasp 1:1), 2:1 in the H.264 bitstream: the <video> follows
   * the container, WebCodecs the bitstream. Caught at the first decoded frame (a failure mid-way),
   * then seeked.
   */
  'bars-bitstream-sar.mp4': { fallback: 'WebCodecs decoding failed: decoded frames are 320×120' },
} as const;
export type FastPathClipName = keyof typeof FAST_PATH;

/** Make the fast-path clips in `dir` (skipping files already there). Returns name → path. */
export function makeFastPathClips(dir: string): Record<FastPathClipName, string> {
  const { out, make } = clipMaker<FastPathClipName>(dir);
  const h264 = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p'];
  make('bars-bframes.mp4', (p) => ff([...BARS(25, 2), ...h264, p]));
  make('bars-no-bframes.mp4', (p) => ff([...BARS(25, 2), ...X264, p]));
  make('bars-no-editlist.mp4', (p) => ff([...BARS(25, 2), ...h264, '-use_editlist', '0', p]));
  make('bars-empty-edit.mp4', (p) => {
    const src = join(dir, 'bars-for-offset.mp4');
    ff([...BARS(25, 2), ...h264, src]);
    ff(['-itsoffset', '0.5', '-i', src, '-c', 'copy', p]);
  });
  make('card-faststart.mp4', (p) => ff([...CARD(25, 2), ...h264, '-movflags', '+faststart', p]));
  make('card-bt709.mp4', (p) => ff([...CARD(25, 2), ...h264, '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', p]));
  make('card-vp9.mp4', (p) => ff([...CARD(25, 2), '-c:v', 'libvpx-vp9', '-b:v', '300k', '-deadline', 'realtime', '-cpu-used', '8', p]));
  make('bars.mov', (p) => ff([...BARS(25, 2), ...h264, '-f', 'mov', p]));
  make('bars-fragmented.mp4', (p) => ff([...BARS(25, 2), ...h264, '-movflags', 'frag_keyframe+empty_moov', p]));
  make('bars-sar2.mp4', (p) => ff([...BARS(25, 2), ...h264, '-vf', 'setsar=2/1', p]));
  make('bars-bitstream-sar.mp4', (p) => ff(['-i', out['bars-no-bframes.mp4'], '-c', 'copy', '-bsf:v', 'h264_metadata=sample_aspect_ratio=2/1', p]));
  return out;
}

/**
 * Write a 90° display matrix into the (only) track header of an MP4, as phones do for portrait
 * video. ffmpeg 5 no longer takes `-metadata rotate=`, and `-display_rotation` needs ffmpeg 6.
 * tkhd version 0: 8-byte box header, 4 version/flags, 20 bytes of times/ids/duration, 8 reserved,
 * 8 layer/group/volume/reserved, then the 3×3 matrix (36 bytes, 16.16 and 2.30 fixed point).
 */
function rotate90(mp4: Buffer): Buffer {
  const at = mp4.indexOf('tkhd');
  if (at < 4 || mp4[at + 4] !== 0) throw new Error('rotate90: no version-0 tkhd box found.');
  const m = at + 4 + 4 + 20 + 8 + 8;
  const matrix = [0, 0x00010000, 0, -0x00010000, 0, 0, 0, 0, 0x40000000];
  matrix.forEach((v, i) => mp4.writeInt32BE(v, m + 4 * i));
  return mp4;
}

/** The benchmark's clip: 10 s of 640×360 at 30 fps, keyframe every 2 s (H.264). */
export function makeBenchClip(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'bench-640x360-10s.mp4');
  if (!existsSync(path)) ff(['-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=30:d=10', ...X264, '-g', '60', '-crf', '28', path]);
  return path;
}
