// Your own clips, Teachable Machine style: make two classes from built-in clips (loaded through
// the HTML video element like an upload), train a tiny model on them on WebGPU, and see the run
// finish with a validation accuracy, a results row, and the clips and classes still there.
import { expect, test } from '@playwright/test';
import { addFourOwnClips, openApp } from './ui';

test('train on your own classes of clips on WebGPU', async ({ page }) => {
  test.setTimeout(300_000);
  const { consoleErrors } = await openApp(page, '?family=single-frame&frames=4&size=16&epochs=2&batch=2&backend=webgpu');
  await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
  await page.getByTestId('dataset-select').selectOption('own-clips');
  const own = page.getByTestId('own-classes');
  await expect(own).toBeVisible();
  await own.getByLabel('Name of class 1').fill('sideways');
  await own.getByLabel('Name of class 2').fill('vertical');

  await addFourOwnClips(page, 4);
  await expect(own.locator('li')).toHaveCount(4);

  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('done', { timeout: 240_000 });
  await expect(page.getByTestId('epoch-counter')).toContainText('2');
  await expect(page.getByTestId('val-accuracy')).toHaveText(/\d+(\.\d+)?\s*%/);
  await expect(page.getByTestId('results-table').locator('tbody tr')).toHaveCount(1);
  // Nothing the user made is lost: the clips and both classes are still there.
  await expect(page.getByTestId('clip-item')).toHaveCount(4);
  await expect(own.locator('li')).toHaveCount(4);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});
