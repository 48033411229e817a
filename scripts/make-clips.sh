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

# Moving shapes are small colour sources overlaid at time-dependent positions (overlay's x/y see
# the time t; drawbox's cannot: its `t` is the line thickness).

# 1. A red square sliding left → right at 80 px/s over a dark grid (VP9 WebM, 320×180, 25 fps, 3 s).
"${FF[@]}" -f lavfi -i "color=c=0x202830:s=320x180:r=25:d=3" -f lavfi -i "color=c=0xe04040:s=40x40:r=25:d=3" \
  -filter_complex "[0]drawgrid=w=40:h=40:t=1:c=0x405060[bg];[bg][1]overlay=x='20+80*t':y=70:eval=frame,format=yuv420p" \
  -c:v libvpx-vp9 -b:v 150k -g 25 "$OUT/slide-right.webm"

# 2. A blue square falling top → bottom at 50 px/s over a light grid (H.264 MP4, 320×240, 30 fps, 3 s).
"${FF[@]}" -f lavfi -i "color=c=0xf0f0e8:s=320x240:r=30:d=3" -f lavfi -i "color=c=0x3050d0:s=40x40:r=30:d=3" \
  -filter_complex "[0]drawgrid=w=32:h=32:t=1:c=0xb0b0b0[bg];[bg][1]overlay=x=140:y='20+50*t':eval=frame,format=yuv420p" \
  -c:v libx264 -preset veryslow -crf 28 -g 30 -movflags +faststart "$OUT/fall-down.mp4"

# 3. Two squares moving apart, the green one (top) left and the yellow one (bottom) right, each at
#    60 px/s: motion in both directions, zero on average (VP8 WebM, 320×180, 24 fps, 2.5 s).
"${FF[@]}" -f lavfi -i "color=c=0x102010:s=320x180:r=24:d=2.5" -f lavfi -i "color=c=0x40d040:s=40x40:r=24:d=2.5" -f lavfi -i "color=c=0xd0d040:s=40x40:r=24:d=2.5" \
  -filter_complex "[0][1]overlay=x='140-60*t':y=40:eval=frame[a];[a][2]overlay=x='140+60*t':y=100:eval=frame,format=yuv420p" \
  -c:v libvpx -b:v 150k -g 24 "$OUT/split-apart.webm"

# 4. Portrait (180×320): an orange bar rising bottom → top at 100 px/s (H.264 MP4, 30 fps, 2 s).
"${FF[@]}" -f lavfi -i "color=c=0x301030:s=180x320:r=30:d=2" -f lavfi -i "color=c=0xf08030:s=120x24:r=30:d=2" \
  -filter_complex "[0][1]overlay=x=30:y='280-100*t':eval=frame,format=yuv420p" \
  -c:v libx264 -preset veryslow -crf 28 -g 30 -movflags +faststart "$OUT/rise-portrait.mp4"

# 5. ffmpeg's testsrc2 pattern: a colour test card with a moving gradient and a running clock (H.264 MP4, 320×240, 15 fps, 4 s).
"${FF[@]}" -f lavfi -i "testsrc2=s=320x240:r=15:d=4" \
  -c:v libx264 -preset veryslow -crf 30 -g 15 -pix_fmt yuv420p -movflags +faststart "$OUT/test-card.mp4"

du -ch "$OUT"/*.webm "$OUT"/*.mp4 | tail -1
