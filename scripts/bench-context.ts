// What every benchmark group (scripts/bench-groups.ts) shares: the results record that
// scripts/bench.ts writes to bench/results.json, the context a group runs in, a bench page with
// the bench worker started on one backend, and number formatting.

import type { Browser, Page } from '@playwright/test';
import type { BackendName } from '../src/lib/tf-backend';

export interface BenchResults {
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string };
  browser: { name: string; version: string; executable: string; args: string[]; userAgent: string };
  /** Backend → what the worker reported (adapter description, fallback reason). */
  adapters: Record<
    string,
    { backend: string; adapterInfo: string | null; fallbackReason: string | null }
  >;
  /** stock ms / ours ms for the WebGPU Conv3D kernels (the conv3d group). */
  conv3dSpeedup?: { trainStep: number; c3dLayer: number };
  /** Largest error of our Conv3D kernels against the stock ones, relative to the output scale. */
  maxRelError?: number;
  groups: Record<string, GroupResult>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GroupResult = { error?: string; [k: string]: any };

export interface BenchContext {
  browser: Browser;
  base: string;
  quick: boolean;
  log: (s: string) => void;
  results: BenchResults;
  openPage(): Promise<Page>;
}

export const BACKENDS: BackendName[] = ['webgpu', 'webgl', 'cpu'];

/** A page with the bench worker started on `backend`; fails if it fell back to another backend. */
export async function pageOn(ctx: BenchContext, backend: BackendName): Promise<Page> {
  const page = await ctx.openPage();
  const report = await page.evaluate((b) => window.__clipscopeBench!.init(b), backend);
  ctx.results.adapters[backend] = {
    backend: report.backend,
    adapterInfo: report.adapterInfo,
    fallbackReason: report.fallbackReason,
  };
  if (!ctx.results.browser.userAgent)
    ctx.results.browser.userAgent = await page.evaluate(() => window.__clipscopeBench!.userAgent());
  if (report.backend !== backend) {
    await page.close();
    throw new Error(
      `asked for ${backend}, the worker started ${report.backend}: ${report.fallbackReason ?? ''}`,
    );
  }
  return page;
}

export const fmt = (x: number | null | undefined, digits = 0): string =>
  x == null || Number.isNaN(x)
    ? '—'
    : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
