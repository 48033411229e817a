#!/usr/bin/env bash
# Makes the built-in sample clips in public/clips/ from generated content (ffmpeg's lavfi
# sources: nothing is downloaded, nothing is filmed). Deterministic and small (< 400 KB in all).
# Each clip is described in public/clips/manifest.json, which the app reads: keep them in step.
#
#   npm run clips        (needs ffmpeg with libx264 and libvpx: apt-get install -y ffmpeg)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=public/clips
mkdir -p "$OUT"
FF=(ffmpeg -hide_banner -loglevel error -y)

# 1. A red square sliding left → right at 80 px/s over a dark background (VP9 WebM, 320×180, 25 fps, 3 s).
"${FF[@]}" -f lavfi -i "color=c=0x202830:s=320x180:r=25:d=3" \
  -vf "drawgrid=w=40:h=40:t=1:c=0x405060,drawbox=x='20+80*t':y=70:w=40:h=40:c=0xe04040:t=fill" \
  -c:v libvpx-vp9 -b:v 150k -g 25 -pix_fmt yuv420p "$OUT/slide-right.webm"

# 2. A blue square falling top → bottom at 50 px/s, a static grid behind it (H.264 MP4, 320×240, 30 fps, 3 s).
"${FF[@]}" -f lavfi -i "color=c=0xf0f0e8:s=320x240:r=30:d=3" \
  -vf "drawgrid=w=32:h=32:t=1:c=0xb0b0b0,drawbox=x=140:y='20+50*t':w=40:h=40:c=0x3050d0:t=fill" \
  -c:v libx264 -preset veryslow -crf 28 -g 30 -pix_fmt yuv420p -movflags +faststart "$OUT/fall-down.mp4"

# 3. Two squares moving apart (one left, one right at 60 px/s each) — motion in both directions (VP8 WebM, 320×180, 24 fps, 2.5 s).
"${FF[@]}" -f lavfi -i "color=c=0x102010:s=320x180:r=24:d=2.5" \
  -vf "drawbox=x='140-60*t':y=40:w=40:h=40:c=0x40d040:t=fill,drawbox=x='140+60*t':y=100:w=40:h=40:c=0xd0d040:t=fill" \
  -c:v libvpx -b:v 150k -g 24 -pix_fmt yuv420p "$OUT/split-apart.webm"

# 4. Portrait (180×320): a bar rising bottom → top at 100 px/s (H.264 MP4, 30 fps, 2 s).
"${FF[@]}" -f lavfi -i "color=c=0x301030:s=180x320:r=30:d=2" \
  -vf "drawbox=x=30:y='280-100*t':w=120:h=24:c=0xf08030:t=fill" \
  -c:v libx264 -preset veryslow -crf 28 -g 30 -pix_fmt yuv420p -movflags +faststart "$OUT/rise-portrait.mp4"

# 5. ffmpeg's testsrc2 pattern: a colour test card with a moving gradient and a running clock (H.264 MP4, 320×240, 15 fps, 4 s).
"${FF[@]}" -f lavfi -i "testsrc2=s=320x240:r=15:d=4" \
  -c:v libx264 -preset veryslow -crf 30 -g 15 -pix_fmt yuv420p -movflags +faststart "$OUT/test-card.mp4"

du -ch "$OUT"/*.webm "$OUT"/*.mp4 | tail -1
