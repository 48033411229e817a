// The frames of one grab, drawn into one canvas and read back once as [T, H, W, 4] RGBA. Shared
// by every decode path (seeking a <video>, WebCodecs VideoFrames, ImageDecoder GIF frames), so
// they resize, crop and read back identically.

/** Tallest canvas a frame sheet may use (Chromium allows 32,767 px a side). */
const MAX_SHEET_HEIGHT = 16_384;

/**
 * The grabbed frames, drawn one under another on one canvas and read back once at the end:
 * the readback is already [T, H, W, 4] frame-major, so no frame is copied a second time before
 * the buffer is transferred to the worker. Sheets taller than MAX_SHEET_HEIGHT fall back to
 * reading each frame back into the output as it is drawn.
 */
export class FrameSheet {
  private readonly tall: boolean;
  private readonly out: Uint8ClampedArray | null;
  private readonly frameBytes: number;

  constructor(
    private canvas: OffscreenCanvas,
    private ctx: OffscreenCanvasRenderingContext2D,
    private t: number,
    private h: number,
    private w: number,
  ) {
    this.tall = t * h <= MAX_SHEET_HEIGHT;
    canvas.width = w;
    canvas.height = this.tall ? t * h : h;
    this.frameBytes = h * w * 4;
    this.out = this.tall ? null : new Uint8ClampedArray(t * this.frameBytes);
  }

  private y(j: number): number {
    return this.tall ? j * this.h : 0;
  }

  draw(j: number, src: CanvasImageSource, crop: { sx: number; sy: number; sw: number; sh: number }): void {
    this.ctx.drawImage(src, crop.sx, crop.sy, crop.sw, crop.sh, 0, this.y(j), this.w, this.h);
    if (this.out) this.out.set(this.ctx.getImageData(0, 0, this.w, this.h).data, j * this.frameBytes);
  }

  /** Frame j is the same frame as j − 1 (a repeat): copy it, no second seek or decode. */
  repeat(j: number): void {
    if (this.out) this.out.copyWithin(j * this.frameBytes, (j - 1) * this.frameBytes, j * this.frameBytes);
    else this.ctx.drawImage(this.canvas, 0, this.y(j - 1), this.w, this.h, 0, this.y(j), this.w, this.h);
  }

  /** A bitmap of row j (any time after it is drawn: tall sheets keep every row on the canvas, others in the output). */
  thumb(j: number): Promise<ImageBitmap> {
    if (this.out) return createImageBitmap(new ImageData(this.out.slice(j * this.frameBytes, (j + 1) * this.frameBytes), this.w, this.h));
    return createImageBitmap(this.canvas, 0, this.y(j), this.w, this.h);
  }

  /** [T, H, W, 4] RGBA. */
  finish(): Uint8ClampedArray {
    return this.out ?? this.ctx.getImageData(0, 0, this.w, this.t * this.h).data;
  }
}
