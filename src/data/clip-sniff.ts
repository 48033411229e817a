// What is this file? Reads the first (and last) bytes of an upload and names its container and
// video codec, so a file Chromium cannot play gets a message that says exactly why ("an AVI
// file", "HEVC video") instead of a generic decode error. Pure: bytes in, verdict out.
//
//   head (first 256 KiB) + tail (last 256 KiB) ──signatures──▶ { container, codec, verdict }
//
// It is a sniff, not a parser: it looks for magic numbers and codec identifiers (ISO-BMFF
// sample-entry four-CCs, Matroska CodecIDs, Ogg stream headers). An MP4's index (moov) may sit
// anywhere and be larger than both ends: the index worker (data/mp4-demux.ts) finds it, refuses
// a file without one, and names the codec from it. The video element still has the last word
// on files that pass.

/** Bytes read from each end of the file. */
export const SNIFF_BYTES = 256 * 1024;

export type Container = 'mp4' | 'webm' | 'matroska' | 'ogg' | 'avi' | 'gif' | 'mpeg-ts' | 'unknown';

interface Sniff {
  container: Container;
  /** Short codec name where the bytes say it: h264, hevc, mpeg4-part2, vp8, vp9, av1, theora. */
  codec: string | null;
  /**
   * ok: try to play it; gif: decode with ImageDecoder; reject: `reason` says why not, in words
   * that finish the sentence "“name” …".
   */
  verdict: 'ok' | 'gif' | 'reject';
  reason?: string;
}

const ascii = (b: Uint8Array, at: number, len: number): string => String.fromCharCode(...b.subarray(at, at + len));

function indexOf(hay: Uint8Array, needle: string): number {
  const n = needle.length;
  const first = needle.charCodeAt(0);
  outer: for (let i = 0; i + n <= hay.length; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < n; j++) if (hay[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}
const has = (hay: Uint8Array, needle: string): boolean => indexOf(hay, needle) >= 0;

const CONVERT = 'Convert it to MP4 (H.264) or WebM (VP9), e.g. `ffmpeg -i in -c:v libx264 -pix_fmt yuv420p out.mp4`.';

/** Is this mostly printable text (UTF-8 / ASCII)? */
function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0) return false;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 128) printable++;
  }
  // Require mostly plain ASCII too: random bytes are ≥128 half the time.
  let plain = 0;
  for (let i = 0; i < n; i++) if (b[i] < 128) plain++;
  return printable === n && plain / n > 0.9;
}

/**
 * Name what the file is. `head` is its first bytes, `tail` its last bytes (the same array for
 * small files), `size` its full length in bytes.
 */
export function sniffClip(head: Uint8Array, tail: Uint8Array, size: number): Sniff {
  if (size === 0) return { container: 'unknown', codec: null, verdict: 'reject', reason: 'is empty (0 bytes).' };
  const b = head;
  const sig4 = b.length >= 4 ? ascii(b, 0, 4) : '';

  // Images and other non-video files first.
  if (b[0] === 0x89 && sig4.slice(1) === 'PNG') return notVideo('a PNG image');
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return notVideo('a JPEG image');
  if (sig4 === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return notVideo('a WebP image');
  if (sig4 === '%PDF') return notVideo('a PDF document');
  if (sig4 === 'ID3\u0003' || sig4.startsWith('ID3') || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0)) return notVideo('an MP3 audio file');
  if (sig4 === 'PK\u0003\u0004') return notVideo('a ZIP archive');
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return { container: 'gif', codec: 'gif', verdict: 'gif' };

  // Video containers.
  if (sig4 === 'RIFF' && ascii(b, 8, 3) === 'AVI') {
    return { container: 'avi', codec: aviCodec(b), verdict: 'reject', reason: `is an AVI file: Chromium cannot play the AVI container. ${CONVERT}` };
  }
  if (sig4 === 'OggS') {
    if (has(b, '\u0080theora')) return { container: 'ogg', codec: 'theora', verdict: 'reject', reason: `is Theora video in an Ogg file: Chromium cannot decode Theora. ${CONVERT}` };
    if (!has(b, '\u0001video') && !has(b, 'VP80')) return notVideo('an Ogg audio file (no video stream)');
    return { container: 'ogg', codec: null, verdict: 'ok' };
  }
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return matroska(b);
  const boxType = ascii(b, 4, 4);
  if (['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip'].includes(boxType)) return isoBmff(b, tail, size);
  if (b[0] === 0x47 && b.length > 376 && b[188] === 0x47 && b[376] === 0x47) {
    return { container: 'mpeg-ts', codec: null, verdict: 'reject', reason: `is an MPEG transport stream (.ts): Chromium cannot play it in a video element. ${CONVERT}` };
  }

  if (looksLikeText(b)) return notVideo('a text file');
  return { container: 'unknown', codec: null, verdict: 'ok' };
}

function notVideo(what: string): Sniff {
  return { container: 'unknown', codec: null, verdict: 'reject', reason: `is ${what}, not a video. Choose an MP4, WebM or MOV clip (or an animated GIF).` };
}

function aviCodec(b: Uint8Array): string | null {
  for (const [cc, name] of [
    ['XVID', 'mpeg4-part2'],
    ['FMP4', 'mpeg4-part2'],
    ['DIVX', 'mpeg4-part2'],
    ['H264', 'h264'],
    ['MJPG', 'mjpeg'],
  ] as const)
    if (has(b, cc)) return name;
  return null;
}

function matroska(b: Uint8Array): Sniff {
  const container: Container = has(b, 'webm') ? 'webm' : 'matroska';
  const ids: [string, string, boolean][] = [
    ['V_VP9', 'vp9', true],
    ['V_VP8', 'vp8', true],
    ['V_AV1', 'av1', true],
    ['V_MPEG4/ISO/AVC', 'h264', true],
    ['V_MPEGH/ISO/HEVC', 'hevc', false],
    ['V_MPEG4/ISO/ASP', 'mpeg4-part2', false],
    ['V_MPEG4/ISO/SP', 'mpeg4-part2', false],
    ['V_THEORA', 'theora', false],
  ];
  for (const [id, codec, playable] of ids) {
    if (!has(b, id)) continue;
    if (playable) return { container, codec, verdict: 'ok' };
    return { container, codec, verdict: 'reject', reason: unplayable(codec, container === 'webm' ? 'WebM' : 'Matroska') };
  }
  return { container, codec: null, verdict: 'ok' };
}

function isoBmff(head: Uint8Array, tail: Uint8Array, size: number): Sniff {
  const region = head.length >= size ? [head] : [head, tail];
  return mp4CodecSniff((cc) => region.some((r) => has(r, cc) && hasSampleEntry(r, cc)));
}

/** MP4 sample-entry four-CCs: the codec each names, and whether Chromium decodes it. */
const MP4_ENTRIES: [string, string, boolean][] = [
  ['hvc1', 'hevc', false],
  ['hev1', 'hevc', false],
  ['mp4v', 'mpeg4-part2', false],
  ['avc1', 'h264', true],
  ['avc3', 'h264', true],
  ['av01', 'av1', true],
  ['vp09', 'vp9', true],
  ['vp08', 'vp8', true],
];

/**
 * Name an MP4's video codec from its sample entries: `hasEntry(cc)` says whether the video track
 * has one with that four-CC (the sniff looks near 'stsd' in both ends of the file; the index
 * worker reads the index itself, wherever it sits). Codec null when none is known.
 */
export function mp4CodecSniff(hasEntry: (cc: string) => boolean): Sniff {
  const container: Container = 'mp4';
  for (const [cc, codec, playable] of MP4_ENTRIES) {
    if (!hasEntry(cc)) continue;
    if (playable) return { container, codec, verdict: 'ok' };
    return { container, codec, verdict: 'reject', reason: unplayable(codec, 'MP4') };
  }
  return { container, codec: null, verdict: 'ok' };
}

/** A sample entry is a box: 4-byte size then the four-CC, inside stsd (not a brand in ftyp). */
function hasSampleEntry(b: Uint8Array, cc: string): boolean {
  let from = 0;
  for (;;) {
    const i = indexOf(b.subarray(from), cc);
    if (i < 0) return false;
    const at = from + i;
    // Sample entries follow 'stsd' (within 16 bytes: version/flags + entry count + size).
    if (at >= 16 && ascii(b, at - 16, 16).includes('stsd')) return true;
    from = at + 4;
  }
}

function unplayable(codec: string, container: string): string {
  const name: Record<string, string> = { hevc: 'HEVC (H.265)', 'mpeg4-part2': 'MPEG-4 Part 2 (Xvid/DivX)', theora: 'Theora' };
  return `is ${name[codec] ?? codec} video in ${container === 'MP4' ? 'an' : 'a'} ${container} file: Chromium cannot decode ${name[codec] ?? codec}. ${CONVERT}`;
}
