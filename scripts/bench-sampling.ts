// `npx tsx scripts/bench-sampling.ts [--port N] [--repeats R] [--no-build]`
//
// Sampling benchmark rows, measured through the real app like a user: build, serve the
// production app, upload a generated 10 s 640×360 H.264 clip (30 fps, keyframe every 2 s) with the
// clip input, and read the sampler's own timing ("Sampled T frames in N ms": seek + seeked +
// drawImage + readback for each frame, on the page) for 16 and 64 frames, spread over the whole
// clip (random access: the costly case) and as a random temporal crop (stride 2, seeded).
// Prints a markdown table and writes bench/sampling.json. Never pass/fail on time.
//
// The performance issue's `npm run bench` can call the same path (src/data/clip-library.ts:
// `addClip` + `grabFrames`) from its bench page; this script stands in until then.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/browser';
import { makeBenchClip } from './test-clips';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function args() {
  const a = process.argv.slice(2);
  const get = (k: string, d: number) => (a.includes(k) ? Number(a[a.indexOf(k) + 1]) : d);
  return { port: get('--port', 4183), repeats: get('--repeats', 5), build: !a.includes('--no-build') };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

async function sampledMs(page: Page, frames: number): Promise<number> {
  const status = page.getByTestId('sample-status');
  await page.waitForFunction((n) => /Sampled (\d+) frames in (\d+) ms/.exec(document.querySelector('[data-testid="sample-status"]')?.textContent ?? '')?.[1] === String(n), frames, { timeout: 120_000 });
  const m = /in (\d+) ms/.exec((await status.textContent()) ?? '');
  if (!m) throw new Error('no timing in the sample status');
  // Let the flow view finish with these frames so it does not compete with the next grab.
  await page.waitForFunction(() => !/computing/.test(document.querySelector('[data-testid="flow-status"]')?.textContent ?? ''), undefined, { timeout: 120_000 });
  return Number(m[1]);
}

async function main() {
  const opts = args();
  if (opts.build) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('vite build failed');
  }
  const clip = makeBenchClip(path.join(tmpdir(), 'clipscope-bench'));
  const base = `http://127.0.0.1:${opts.port}`;
  const server = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(opts.port), '--strictPort'], { cwd: ROOT, stdio: 'ignore' });
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const rows: { case: string; frames: number; medianMs: number; runsMs: number[]; percentOfClip: number }[] = [];
  try {
    for (let i = 0; i < 240; i++) {
      try {
        if ((await fetch(base)).ok) break;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const page = await browser.newPage();
    await page.goto(`${base}/?frames=16&size=112&strategy=spread`);
    await page.getByTestId('backend-badge').filter({ hasNotText: 'starting' }).waitFor({ timeout: 120_000 });
    await page.getByTestId('clip-input').setInputFiles(clip);
    await sampledMs(page, 16); // warm-up: first decode, shader compilation in the flow view
    for (const frames of [16, 64]) {
      for (const strategy of ['spread', 'random-crop'] as const) {
        await page.getByTestId('knob-strategy').selectOption(strategy);
        await page.getByTestId('knob-frames').fill(String(frames));
        if (strategy === 'random-crop') await page.getByTestId('knob-stride').fill('2');
        const runs: number[] = [];
        for (let r = 0; r < opts.repeats; r++) {
          // Change a knob that does not change the work, so the sampler grabs again.
          if (strategy === 'random-crop') await page.getByTestId('knob-seed').fill(String(100 + r));
          else await page.getByTestId('knob-size').fill(String(r % 2 ? 112 : 113));
          runs.push(await sampledMs(page, frames));
        }
        const med = median(runs);
        rows.push({ case: strategy === 'spread' ? 'spread over the clip' : 'random crop, stride 2', frames, medianMs: med, runsMs: runs, percentOfClip: (med / 10_000) * 100 });
        console.log(`${frames} frames, ${strategy}: median ${med} ms (${runs.join(', ')})`);
      }
    }
  } finally {
    await browser.close();
    server.kill();
  }
  const md = [
    '| sampling (10 s 640×360 H.264, keyframe every 2 s → 112×112) | frames | median ms | % of clip duration |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.case} | ${r.frames} | ${r.medianMs} | ${r.percentOfClip.toFixed(1)}% |`),
  ].join('\n');
  console.log(`\n${md}\n\nGoal: 16 frames in under 5% of the clip's duration (500 ms).`);
  mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/sampling.json'), JSON.stringify({ date: new Date().toISOString(), repeats: opts.repeats, rows }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
