// Two-stream and transformer families in the browser on WebGPU (and WebGL): pick the family, see its
// parameter count (the same number describe() gives), and take one training step on random clips
// in the worker without an error, a leak, or a WebGPU shader/validation warning (the silent-bug
// signature of shared/TFJS-NOTES.md).
import { expect, test, type ConsoleMessage } from '@playwright/test';
import { openApp } from './ui';

const WEBGPU_TROUBLE =
  /WGSL|storage buffers|GPUValidationError|Invalid CommandBuffer|cannot index type/i;

const PARAMS = /^\d{1,3}(,\d{3})*$/;

for (const backend of ['webgpu', 'webgl'] as const)
  for (const family of ['two-stream', 'transformer'] as const) {
    test(`${family}: parameter count and one training step on ${backend}`, async ({ page }) => {
      test.setTimeout(240_000);
      const gpuWarnings: string[] = [];
      page.on('console', (m: ConsoleMessage) => {
        if (WEBGPU_TROUBLE.test(m.text())) gpuWarnings.push(m.text());
      });
      const { consoleErrors } = await openApp(
        page,
        `?family=${family}&frames=8&size=32&backend=${backend}`,
      );
      await expect(page.getByTestId('backend-badge')).toContainText(backend);
      await expect(page.getByTestId(`family-${family}`)).toHaveAttribute('aria-pressed', 'true');
      await expect(page.getByTestId('param-count')).toHaveText(PARAMS, { timeout: 60_000 });
      await expect(page.getByTestId('layer-table')).toBeVisible();
      await page.getByTestId('step-check-button').click();
      const result = page.getByTestId('step-check-result');
      await expect(result).not.toHaveAttribute('data-status', /running|idle/, { timeout: 200_000 });
      // Fail at once with the app's own message when the step failed.
      expect(await result.getAttribute('data-status'), (await result.textContent()) ?? '').toBe(
        'done',
      );
      await expect(result).toContainText(backend);
      await expect(result).toContainText('nothing leaked');
      const before = await result.getAttribute('data-tensors-before');
      expect(await result.getAttribute('data-tensors-after')).toBe(before);
      await page.screenshot({
        path: `test-results/xformer-${family}-${backend}.png`,
        fullPage: true,
      });
      expect(gpuWarnings).toEqual([]);
      expect(consoleErrors).toEqual([]);
    });
  }
