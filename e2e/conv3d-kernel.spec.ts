// Our WebGPU Conv3D kernels (src/webgpu) against tfjs's stock ones, in the browser:
// forward and both gradients on random odd-sized shapes with strides and same/valid padding,
// max relative error ≤ 1e-4, every output element written (NaN-filled outputs), gradients
// against central differences. Runs in the bench worker (the app's tfjs core) through the benchmark page.
import { expect, test } from '@playwright/test';
import { FAMILIES } from '../src/models/registry';

test('the fast Conv3D kernels are on by default on webgpu and match the stock kernels', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/bench.html');
  await page.waitForFunction(() => window.__clipscopeBench !== undefined);
  // The app's `init`: its default kernels (ours on webgpu).
  const report = await page.evaluate(() => window.__clipscopeBench!.init('webgpu'));
  expect(report.backend, report.fallbackReason ?? '').toBe('webgpu');
  const check = await page.evaluate(() => window.__clipscopeBench!.request('bench-conv3d-check', {}));
  const summary = check.cases.map((c) => `${c.name}: fwd ${c.forwardRelError}, dx ${c.inputGradRelError}, dW ${c.filterGradRelError}, FD ${c.numericalInputGradError}/${c.numericalFilterGradError}, written ${c.allWritten}`).join('\n');
  expect(check.activeKernels).toBe('fast');
  expect(check.cases.length).toBeGreaterThanOrEqual(6);
  expect(check.allWritten, summary).toBe(true);
  expect(check.maxRelError, summary).toBeLessThanOrEqual(1e-4);
  expect(check.maxNumericalGradError, summary).toBeLessThanOrEqual(1e-3);
  for (const c of check.cases) {
    expect(c.forwardRelError, c.name).toBeLessThanOrEqual(1e-4);
    if (c.dilations.every((d) => d === 1)) {
      expect(c.inputGradRelError, c.name).not.toBeNull();
      expect(c.filterGradRelError, c.name).not.toBeNull();
    }
  }
  // The other kernels of webgpu/ops, also on by default: per-channel broadcasts (exact),
  // matmuls, reductions, softmax, max pooling and its gradients on ties, depthwise convolution and
  // mirror padding (the optical flow's filters).
  const ops = await page.evaluate(() => window.__clipscopeBench!.request('bench-ops-check', {}));
  expect(ops.activeKernels).toBe('fast');
  const groups = new Set(ops.cases.map((c) => c.op.split(':')[0]));
  for (const g of ['matMul', 'reduce', 'softmax', 'pool', 'depthwise', 'pad']) expect([...groups].some((o) => o.startsWith(g)), `a ${g} case`).toBe(true);
  const table = ops.cases.map((c) => `${c.op} ${JSON.stringify(c.big)}: ${c.relError}`).join('\n');
  // Ours really ran (a case handed back to tfjs would compare stock with stock), except where the
  // case is there to prove the fallback.
  for (const c of ops.cases) expect(c.handedBack, `${c.op}: handed back to the stock kernel`).toBe(/\(non-contiguous: stock\)/.test(c.op));
  for (const c of ops.cases) expect(c.relError, `${c.op}\n${table}`).toBeLessThanOrEqual(/^(add|sub|mul|div|squaredDifference)$|^pool:|^pad:|max over|min over/.test(c.op) ? 0 : 1e-5);
  expect(errors).toEqual([]);
});

// Whole models: loss and every gradient of each family's tiny presets (SlowFast and the attention
// variants included) with our kernels against tfjs's stock kernels, and no WebGPU error raised.
// This is the check that catches a kernel that hangs or miscompiles on a shape only a model makes.
test('every tiny preset trains the same with our webgpu kernels as with the stock ones', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto('/bench.html');
  await page.waitForFunction(() => window.__clipscopeBench !== undefined);
  const report = await page.evaluate(() => window.__clipscopeBench!.init('webgpu'));
  expect(report.backend, report.fallbackReason ?? '').toBe('webgpu');
  const presets = Object.values(FAMILIES).flatMap((f) => Object.keys(f!.presets).filter((p) => p.includes('tiny')).map((preset) => ({ family: f!.id, preset })));
  expect(presets.length).toBeGreaterThanOrEqual(14);
  for (const p of presets) {
    const r = await page.evaluate((p) => window.__clipscopeBench!.request('bench-model-check', p), p);
    const what = `${p.family}:${p.preset}: ${JSON.stringify(r.worst)}`;
    expect(r.gpuErrors, what).toEqual([]);
    expect(r.maxRelError, what).toBeLessThanOrEqual(2e-4);
    expect(Object.values(r.fast).every((k) => k === 'fast'), what).toBe(true);
  }
});
