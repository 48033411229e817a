// The sniff against real files made by ffmpeg (scripts/test-clips.ts), plus the built-in clips.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNIFF_BYTES, sniffClip } from './clip-sniff';
import { makeTestClips } from '../../scripts/test-clips';

function sniffFile(path: string) {
  const b = new Uint8Array(readFileSync(path));
  return sniffClip(b.subarray(0, SNIFF_BYTES), b.subarray(Math.max(0, b.length - SNIFF_BYTES)), b.length);
}

describe('sniffClip', () => {
  const clips = makeTestClips(join(tmpdir(), 'clipscope-test-clips'));

  it('names the container and codec of playable files', () => {
    expect(sniffFile(clips['good.webm'])).toMatchObject({ container: 'webm', codec: 'vp9', verdict: 'ok' });
    expect(sniffFile(clips['good.mp4'])).toMatchObject({ container: 'mp4', codec: 'h264', verdict: 'ok' });
    expect(sniffFile(clips['with-audio.mp4'])).toMatchObject({ codec: 'h264', verdict: 'ok' });
    expect(sniffFile(clips['hour-long.mp4'])).toMatchObject({ codec: 'h264', verdict: 'ok' });
    expect(sniffFile(clips['h264.mkv'])).toMatchObject({ container: 'matroska', codec: 'h264', verdict: 'ok' });
    // Its index sits at the end and is larger than the tail read: the codec is the index worker's to name.
    expect(sniffFile(clips['phone-30min.mp4'])).toMatchObject({ container: 'mp4', codec: null, verdict: 'ok' });
    expect(sniffFile(clips['animated.gif'])).toMatchObject({ container: 'gif', verdict: 'gif' });
    // Not a known signature: the video element decides (and fails with its own message).
    expect(sniffFile(clips['random.mp4'])).toMatchObject({ container: 'unknown', verdict: 'ok' });
  });

  it('refuses what Chromium cannot play, saying why', () => {
    const reason = (name: keyof typeof clips) => {
      const s = sniffFile(clips[name]);
      expect(s.verdict, name).toBe('reject');
      return s.reason;
    };
    expect(reason('notes.txt')).toContain('is a text file, not a video');
    expect(reason('picture.png')).toContain('is a PNG image, not a video');
    expect(reason('empty.webm')).toBe('is empty (0 bytes).');
    expect(reason('hevc.mp4')).toContain('Chromium cannot decode HEVC (H.265)');
    expect(reason('mpeg4-part2.mp4')).toContain('Chromium cannot decode MPEG-4 Part 2');
    expect(reason('clip.avi')).toContain('Chromium cannot play the AVI container');
    expect(reason('theora.ogv')).toContain('Chromium cannot decode Theora');
  });

  it('every built-in clip is playable', () => {
    const dir = join(__dirname, '../../public/clips');
    const files = readdirSync(dir).filter((f) => /\.(mp4|webm)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(sniffFile(join(dir, f)).verdict, f).toBe('ok');
  });
});
