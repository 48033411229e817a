// The lesson in the browser, on WebGPU: on `order-direction` (both classes see the same frames,
// only their order differs) the 3D convolution learns the order and the single-frame baseline
// cannot. The experiment is the unit tests' lesson (src/test/lesson-setup.ts), opened as a
// link and started with the train button, so the link alone reproduces it.
import { expect, test, type Page } from '@playwright/test';
import { lessonConfig } from '../src/test/lesson-setup';
import type { FamilyId } from '../src/models/family-info';
import { openApp } from './ui';

async function trainFromLink(page: Page, family: FamilyId): Promise<number> {
  const c = lessonConfig(family, 'order-direction');
  const t = c.train;
  const query = `?family=${family}&task=${c.task}&seed=${c.seed}&frames=${c.numFrames}&size=${c.size}&epochs=${t.epochs}&batch=${t.batchSize}&lr=${t.learningRate}&optimizer=${t.optimizer}&backend=webgpu`;
  const { consoleErrors } = await openApp(page, query);
  await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
  await page.getByLabel('Training clips / class').fill(String(c.trainPerClass));
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('done', { timeout: 240_000 });
  await expect(page.getByTestId('epoch-counter')).toContainText(String(t.epochs));
  const text = (await page.getByTestId('val-accuracy').textContent()) ?? '';
  const pct = Number(/([\d.]+)\s*%/.exec(text)?.[1]);
  expect(Number.isFinite(pct), `val-accuracy reads "${text}"`).toBe(true);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
  return pct;
}

test('on WebGPU, conv3d learns order-direction (≥ 90%) and the single frame cannot (≤ 65%)', async ({ page }) => {
  test.setTimeout(600_000);
  const conv3d = await trainFromLink(page, 'conv3d');
  const single = await trainFromLink(page, 'single-frame');
  console.log(`lesson on webgpu, order-direction: conv3d ${conv3d}%, single-frame ${single}%`);
  expect(conv3d).toBeGreaterThanOrEqual(90);
  expect(single).toBeLessThanOrEqual(65);
});
