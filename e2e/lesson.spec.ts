// The lesson out of the box, on WebGPU: each family opened from a bare link (`?family=<f>`, so
// its recipe, models/presets/<family>.ts) and trained with one press of Train. On order-direction
// (both classes see the same frames, only their order differs) single-frame and late fusion stay
// near chance and the five temporal families learn it; each gets a verdict against one frame,
// whose baseline the app trains by itself on the same data.
import { expect, test } from '@playwright/test';
import { FAMILY_IDS } from '../src/models/family-info';
import { openApp } from './ui';

const ORDER_BLIND = new Set(['single-frame', 'late-fusion']);

for (const family of FAMILY_IDS) {
  const blind = ORDER_BLIND.has(family);
  test(`?family=${family}: Train once → ${blind ? '≤ 65%' : '≥ 90%'} on order-direction, with a verdict against one frame`, async ({ page }) => {
    test.setTimeout(540_000);
    const { consoleErrors } = await openApp(page, `?family=${family}&backend=webgpu`);
    await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
    await expect(page.getByTestId('recipe')).toContainText('Recipe for this family:');
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('train-status')).toHaveText('done', { timeout: 360_000 });
    const verdict = page.getByTestId('verdict');
    await expect(verdict).toBeVisible();
    await expect(verdict).not.toHaveAttribute('data-kind', 'pending', { timeout: 180_000 });
    const text = (await page.getByTestId('val-accuracy').textContent()) ?? '';
    const pct = Number(/([\d.]+)\s*%/.exec(text)?.[1]);
    const said = (await verdict.textContent()) ?? '';
    console.log(`lesson on webgpu, ${family}: ${pct}% — ${said}`);
    if (family === 'single-frame') {
      expect(pct).toBeLessThanOrEqual(65);
      await expect(verdict).toHaveAttribute('data-kind', 'baseline');
      await expect(verdict).toContainText('one frame cannot solve this task');
    } else if (blind) {
      expect(pct).toBeLessThanOrEqual(65);
      await expect(verdict).toHaveAttribute('data-kind', 'chance');
    } else {
      expect(pct).toBeGreaterThanOrEqual(90);
      await expect(verdict).toHaveAttribute('data-kind', 'uses-time');
      expect(Number(await verdict.getAttribute('data-points'))).toBeGreaterThanOrEqual(25);
      await expect(verdict).toContainText(/Beats one frame by \d+ points \(\d+% vs \d+%\): it uses time/);
      // The baseline trained by the app is on the chart and in the results, on the same data.
      await expect(page.getByTestId('accuracy-chart')).toContainText('one frame (baseline)');
      await expect(page.getByTestId('results-table')).toContainText('(baseline for the verdict)');
    }
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });
}
