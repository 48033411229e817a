import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runDescribe } from './describe';

describe('npm run describe', () => {
  it('prints JSON totals for a paper preset (in process)', () => {
    const r = runDescribe(['resnet18', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.totals.trainableParams).toBe(11_689_512);
    expect(d.totals.nonTrainableParams).toBe(9_600);
    expect(d.totals.macs).toBeGreaterThan(1.8e9);
    expect(d.totals.macs).toBeLessThan(1.83e9);
  });

  it('applies --frames, --size and --classes, and prints an aligned table with temporal rows marked', () => {
    const j = JSON.parse(runDescribe(['late-fusion', '--frames', '5', '--size', '48', '--classes', '7', '--json']).stdout);
    expect(j.clip).toMatchObject({ numFrames: 5, height: 48, width: 48, numClasses: 7 });
    expect(j.layers.at(-1).outputShape).toEqual([7]);
    expect(j.layers[0].outputShape).toEqual([5, 48, 48, 8]);
    const table = runDescribe(['cnn-rnn']).stdout;
    expect(table).toMatch(/^◆\s+lstm\s+lstm/m);
    expect(table).toMatch(/trainable parameters\s+[\d,]+/);
    const lines = table.split('\n').filter((l) => /conv2d/.test(l));
    expect(new Set(lines.map((l) => l.indexOf('conv2d'))).size).toBe(1); // one column
  });

  it('says what is wrong with bad arguments', () => {
    expect(runDescribe(['no-such-model']).stderr).toMatch(/Unknown family or preset "no-such-model"/);
    expect(runDescribe(['resnet18', '--frames', '0']).stderr).toMatch(/--frames must be a whole number ≥ 1, got "0"/);
    expect(runDescribe([]).stderr).toMatch(/usage: npm run describe/);
  });

  it('runs as a command with tsx and writes clean JSON to stdout', () => {
    const out = execFileSync('npx', ['tsx', 'scripts/describe.ts', 'single-frame', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const d = JSON.parse(out);
    expect(d.family).toBe('single-frame');
    expect(d.totals.trainableParams).toBeGreaterThan(0);
  });
});
