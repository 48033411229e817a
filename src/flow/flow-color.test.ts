import { describe, expect, it } from 'vitest';
import { colorWheel, downsampleField, flowHue, flowToRgba, hsvToRgb, maxMagnitude, sampleArrows } from './flow-color';

describe('flow colour code', () => {
  it('maps direction to hue and magnitude to brightness', () => {
    expect(hsvToRgb(0, 1, 1)).toEqual([255, 0, 0]);
    expect(hsvToRgb(120, 1, 1)).toEqual([0, 255, 0]);
    expect(hsvToRgb(240, 1, 0.5)).toEqual([0, 0, 128]);
    expect(flowHue(1, 0)).toBe(0); // right = red
    expect(flowHue(0, 1)).toBe(90); // down (image y) = 90°
    expect(flowHue(-1, 0)).toBe(180);
    expect(flowHue(0, -1)).toBe(270);
    // right at full scale, left at half scale, no motion
    const rgba = flowToRgba(new Float32Array([2, 0, -1, 0, 0, 0]), 2);
    expect(Array.from(rgba)).toEqual([255, 0, 0, 255, 0, 128, 128, 255, 0, 0, 0, 255]);
    expect(maxMagnitude([3, 4, 0, 1])).toBe(5);
    expect(() => flowToRgba([1, 2, 3])).toThrow(/pairs/);
  });

  it('the legend wheel agrees with the flow colours and is transparent outside the disc', () => {
    const size = 33;
    const wheel = colorWheel(size);
    const at = (x: number, y: number) => Array.from(wheel.slice((y * size + x) * 4, (y * size + x) * 4 + 4));
    expect(at(0, 0)[3]).toBe(0);
    expect(at(16, 16)).toEqual([0, 0, 0, 255]); // centre: no motion
    // The rightmost point of the rim is motion to the right at full scale.
    expect(at(32, 16)).toEqual(Array.from(flowToRgba([16, 0], 16.5)));
    expect(at(16, 32)).toEqual(Array.from(flowToRgba([0, 16], 16.5)));
  });

  it('samples arrows as cell means and drops still cells', () => {
    const h = 4;
    const w = 6;
    const flow = new Float32Array(h * w * 2);
    for (let y = 0; y < h; y++) for (let x = 3; x < w; x++) flow.set([2, -1], (y * w + x) * 2); // right half moves
    const arrows = sampleArrows(flow, h, w, 3, 0.1);
    expect(arrows).toEqual([
      { x: 4, y: 1, dx: 2, dy: -1 },
      { x: 4, y: 3, dx: 2, dy: -1 },
    ]);
    expect(sampleArrows(flow, h, w, 2).length).toBe(6);
    expect(() => sampleArrows(flow, h, w + 1, 2)).toThrow(/needs/);
  });
});

describe('downsampleField', () => {
  it('box-averages by an integer factor, keeping units', () => {
    // 2 × 4 field, 1 channel: [[0, 2, 4, 6], [2, 4, 6, 8]] → factor 2 → [[2, 6]]
    const r = downsampleField([0, 2, 4, 6, 2, 4, 6, 8], 2, 4, 1, 2);
    expect(r).toEqual({ data: new Float32Array([2, 6]), height: 1, width: 2 });
    expect(downsampleField([1, 2, 3, 4], 1, 2, 2, 1).data).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(() => downsampleField([1, 2], 1, 2, 1, 0)).toThrow(/factor/);
  });
});
