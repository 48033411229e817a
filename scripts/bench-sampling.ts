// `npx tsx scripts/bench-sampling.ts [--port N] [--repeats R]`
//
// Sampling benchmark rows: time to sample 16 and 64 frames from a generated 10 s 640×360 H.264
// clip (30 fps, keyframe every 2 s) at 112×112, spread over the whole clip (random access, the
// costly case) and as a random temporal crop (stride 2). Each number is the page-side grab:
// seek + 'seeked' + drawImage + readback per frame (src/data/sampling-bench.ts), in the same
// headless Chromium and flags as the e2e suite. It runs the module through Vite's dev server so
// no build or app hook is needed; the performance issue's `npm run bench` can call
// `benchSampling` from its bench page instead. Prints a markdown table and writes
// bench/sampling.json. Never pass/fail on time.

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/browser';
import { makeBenchClip } from './test-clips';
import type { SamplingBenchResult } from '../src/data/sampling-bench';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function args() {
  const a = process.argv.slice(2);
  const get = (k: string, d: number) => (a.includes(k) ? Number(a[a.indexOf(k) + 1]) : d);
  return { port: get('--port', 4183), repeats: get('--repeats', 5) };
}

async function main() {
  const opts = args();
  const clip = makeBenchClip(path.join(tmpdir(), 'clipscope-bench'));
  const base = `http://127.0.0.1:${opts.port}`;
  const server = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), '--host', '127.0.0.1', '--port', String(opts.port), '--strictPort'], { cwd: ROOT, stdio: 'ignore' });
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  let result: SamplingBenchResult;
  try {
    for (let i = 0; i < 240; i++) {
      try {
        if ((await fetch(`${base}/clips/manifest.json`)).ok) break;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const page = await browser.newPage();
    await page.route('**/bench-clip.mp4', (route) => route.fulfill({ path: clip, contentType: 'video/mp4' }));
    await page.goto(`${base}/clips/manifest.json`); // any same-origin document: the app itself is not started
    result = await page.evaluate(async ([repeats, moduleUrl]) => {
      const m = (await import(/* @vite-ignore */ moduleUrl)) as typeof import('../src/data/sampling-bench');
      return m.benchSampling(
        '/bench-clip.mp4',
        [
          { strategy: 'spread', numFrames: 16 },
          { strategy: 'random-crop', numFrames: 16, stride: 2 },
          { strategy: 'spread', numFrames: 64 },
          { strategy: 'random-crop', numFrames: 64, stride: 2 },
        ],
        112,
        repeats,
      );
    }, [opts.repeats, '/src/data/sampling-bench.ts'] as const);
  } finally {
    await browser.close();
    server.kill();
  }
  const md = [
    `| sampling: 10 s ${result.clip.width}×${result.clip.height} ${result.clip.codec}, ${result.clip.fps} fps → ${result.size}² | frames | median ms | ms per frame | % of clip duration |`,
    '|---|---|---|---|---|',
    ...result.rows.map((r) => `| ${r.strategy === 'spread' ? 'spread over the clip' : `random crop, stride ${r.stride}`} | ${r.numFrames} | ${Math.round(r.medianMs)} | ${(r.medianMs / r.numFrames).toFixed(1)} | ${r.percentOfClip.toFixed(1)}% |`),
  ].join('\n');
  console.log(`${md}\n\nGoal: 16 frames in under 5% of the clip's duration (500 ms). Runs (ms): ${result.rows.map((r) => r.runsMs.map(Math.round).join('/')).join('; ')}`);
  mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/sampling.json'), JSON.stringify({ date: new Date().toISOString(), repeats: opts.repeats, ...result }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
