// Gradient parity in the browser: for every registered family, the loss and every gradient of its
// tiny model on WebGPU (and on WebGL) match the CPU backend within 1e-3 relative. tfjs's GPU
// backends have silent bugs that zero gradients (shared/TFJS-NOTES.md); this is the test that a
// family which "trains" on the GPU really learns.
import { expect, test } from '@playwright/test';
import { openApp } from './ui';

for (const backend of ['webgpu', 'webgl'] as const) {
  test(`every family's gradients on ${backend} match the CPU backend`, async ({ page }, info) => {
    test.setTimeout(600_000);
    const { consoleErrors } = await openApp(page, `?backend=${backend}`);
    await expect(page.getByTestId('backend-badge')).toContainText(backend);
    // On WebGPU (the backend with the silent bugs) every small preset, not only `tiny`: e.g. the
    // conv3d ResNet variants (strided 3D convs, residual adds, (2+1)D) run other kernels than its
    // C3D stack. WebGL checks the `tiny` presets, to keep CI short.
    if (backend === 'webgpu') await page.getByTestId('parity-all-presets').check();
    await page.getByTestId('parity-run').click();
    await expect(page.getByTestId('parity-status')).toHaveText('done', { timeout: 540_000 });

    const rows = page.locator('[data-testid^="parity-row-"]');
    const n = await rows.count();
    expect(n, 'at least the conv3d family is registered').toBeGreaterThan(0);
    await expect(page.getByTestId('parity-row-conv3d')).toHaveCount(1);
    const report: string[] = [];
    for (let i = 0; i < n; i++) {
      const row = rows.nth(i);
      const id = await row.getAttribute('data-testid');
      report.push(`${id}: ${(await row.innerText()).replace(/\s+/g, ' ')}`);
    }
    console.log(`${backend}:\n${report.join('\n')}`);
    await page.screenshot({ path: info.outputPath(`gradient-parity-${backend}.png`), fullPage: true });
    for (let i = 0; i < n; i++) await expect(rows.nth(i), report[i]).toHaveAttribute('data-ok', 'true');
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });
}
