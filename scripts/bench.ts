// `npm run bench [-- --only <group>[,<group>…]] [--no-build] [--port N] [--dist DIR] [--quick]`
//
// Builds the production app (unless --no-build) into dist/ (or --dist DIR, so a bench run can
// leave another checkout user's dist/ alone), serves it with `vite preview` on 127.0.0.1,
// opens bench.html in headless Chromium (e2e/browser.ts: the same browser and flags as the e2e
// suite; WebGPU and WebGL on SwiftShader where there is no GPU) and asks the bench worker (the
// app's tfjs core plus the bench requests, src/bench/) to run each group (bench-groups.ts) on
// WebGPU, WebGL and CPU. Medians over repeats after warm-up runs. Writes bench/results.json and
// bench/results.md (bench-report.ts; with --only, the other groups keep their last numbers).
// Never pass/fail on time: it fails only when a group cannot run at all.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/browser';
import { GROUPS, type GroupName } from './bench-groups';
import type { BenchContext, BenchResults } from './bench-context';
import { renderMarkdown } from './bench-report';
import { errorText } from '../src/lib/errors';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function parseArgs(argv: string[]): { only: GroupName[] | null; build: boolean; port: number; dist: string | null; quick: boolean } {
  let only: GroupName[] | null = null;
  let dist: string | null = null;
  let build = true;
  let port = 4192; // not 4190: fetch and Chromium block it (the ManageSieve port)
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      for (const n of names) if (!(n in GROUPS)) throw new Error(`--only ${n}: no such group. Groups: ${Object.keys(GROUPS).join(', ')}.`);
      only = names as GroupName[];
    } else if (a === '--no-build') build = false;
    else if (a === '--quick') quick = true;
    else if (a === '--port') port = Number(argv[++i]);
    else if (a === '--dist') dist = path.resolve(argv[++i] ?? '');
    else throw new Error(`Unknown argument ${a}. Usage: npm run bench -- [--only <group>[,…]] [--no-build] [--port N] [--dist DIR] [--quick]`);
  }
  return { only, build, port, dist, quick };
}

async function waitForServer(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with code ${child.exitCode} (is port ${new URL(url).port} taken?)`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`vite preview did not answer on ${url} within ${timeoutMs / 1000} s`);
}

async function openBenchPage(browser: Browser, base: string, log: (s: string) => void): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log(`  [page ${m.type()}] ${m.text().slice(0, 300)}`);
  });
  page.on('pageerror', (e) => log(`  [page error] ${e.message}`));
  await page.goto(`${base}/bench.html`);
  await page.waitForFunction(() => window.__clipscopeBench !== undefined, undefined, { timeout: 60_000 });
  return page;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const log = (s: string) => console.log(s);
  const outDir = opts.dist ? ['--outDir', opts.dist, '--emptyOutDir'] : [];
  if (opts.build) {
    log('Building the production app (vite build)…');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', ...outDir], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('vite build failed');
  }
  const base = `http://127.0.0.1:${opts.port}`;
  const server = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(opts.port), '--strictPort', ...outDir.slice(0, 2)], { cwd: ROOT, stdio: 'ignore' });
  let browser: Browser | null = null;
  try {
    await waitForServer(`${base}/bench.html`, server);
    browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    const results: BenchResults = {
      date: new Date().toISOString(),
      machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10, os: `${os.type()} ${os.release()} ${os.arch()}`, node: process.version },
      browser: { name: 'Chromium', version: browser.version(), executable: findChromium(), args: CHROMIUM_ARGS, userAgent: '' },
      adapters: {},
      groups: {},
    };
    const ctx: BenchContext = { browser, base, log, quick: opts.quick, results, openPage: () => openBenchPage(browser!, base, log) };
    const names = opts.only ?? (Object.keys(GROUPS) as GroupName[]);
    for (const name of names) {
      const t0 = Date.now();
      log(`\n== ${name}`);
      try {
        results.groups[name] = await GROUPS[name](ctx);
      } catch (e) {
        results.groups[name] = { error: errorText(e) };
        log(`  FAILED: ${results.groups[name].error}`);
      }
      log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
    const jsonPath = path.join(ROOT, 'bench/results.json');
    const mdPath = path.join(ROOT, 'bench/results.md');
    // --only reruns some groups: the others keep their last numbers (each group records its date).
    for (const name of names) results.groups[name].date = results.date;
    if (opts.only && existsSync(jsonPath)) {
      const prior = JSON.parse(readFileSync(jsonPath, 'utf8')) as BenchResults;
      results.groups = { ...prior.groups, ...results.groups };
      results.adapters = { ...prior.adapters, ...results.adapters };
      if (!names.includes('conv3d')) Object.assign(results, { conv3dSpeedup: prior.conv3dSpeedup, maxRelError: prior.maxRelError });
    }
    writeFileSync(jsonPath, JSON.stringify(results, null, 2) + '\n');
    writeFileSync(mdPath, renderMarkdown(results));
    log(`\nWrote ${path.relative(ROOT, jsonPath)} and ${path.relative(ROOT, mdPath)}.`);
    const failed = Object.entries(results.groups).filter(([, g]) => 'error' in g && g.error);
    if (failed.length) {
      log(`Groups that could not run: ${failed.map(([n]) => n).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await browser?.close();
    server.kill('SIGTERM');
  }
}

main().catch((e) => {
  console.error(errorText(e));
  process.exit(1);
});
