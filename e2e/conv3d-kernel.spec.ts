// Our WebGPU Conv3D kernels (src/lib/webgpu-conv3d) against tfjs's stock ones, in the browser:
// forward and both gradients on random odd-sized shapes with strides and same/valid padding,
// max relative error ≤ 1e-4, every output element written (NaN-filled outputs), gradients
// against central differences. Runs in the app's own worker through the benchmark page.
import { expect, test } from '@playwright/test';

test('the fast Conv3D kernels are on by default on webgpu and match the stock kernels', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/bench.html');
  await page.waitForFunction(() => window.__clipscopeBench !== undefined);
  // No `conv3d` argument: the app's default kernels.
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
  // The per-channel broadcast kernels (lib/webgpu-fast-ops), also on by default.
  const ops = await page.evaluate(() => window.__clipscopeBench!.request('bench-ops-check', {}));
  expect(ops.activeKernels).toBe('fast');
  expect(ops.cases.length).toBeGreaterThanOrEqual(20);
  expect(ops.maxRelError, JSON.stringify(ops.cases)).toBeLessThanOrEqual(1e-6);
  expect(errors).toEqual([]);
});
