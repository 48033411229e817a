import { expect, test } from '@playwright/test';
import { openApp } from './ui';

test('the app loads on WebGPU with a clean console', async ({ page }, info) => {
  const { consoleErrors } = await openApp(page);
  await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
  await expect(page.getByTestId('backend-fallback')).toHaveCount(0);
  for (const id of ['clip-input', 'frame-strip', 'tensor-shape', 'param-count', 'dataset-select', 'train-button', 'pause-button', 'train-status', 'epoch-counter', 'val-accuracy', 'accuracy-chart', 'loss-chart', 'flow-mean']) {
    await expect(page.getByTestId(id), id).toHaveCount(1);
  }
  for (const id of ['single-frame', 'late-fusion', 'early-fusion', 'conv3d', 'two-stream', 'cnn-rnn', 'transformer']) {
    await expect(page.getByTestId(`family-${id}`)).toHaveAttribute('aria-pressed', /true|false/);
  }
  await page.screenshot({ path: info.outputPath('app-webgpu.png'), fullPage: true });
  await info.attach('app-webgpu', { path: info.outputPath('app-webgpu.png'), contentType: 'image/png' });
  expect(consoleErrors).toEqual([]);
});

test('?backend=cpu gives the CPU backend', async ({ page }) => {
  const { consoleErrors } = await openApp(page, '?backend=cpu');
  await expect(page.getByTestId('backend-badge')).toContainText('cpu');
  expect(consoleErrors).toEqual([]);
});

test('?backend=webgl gives WebGL', async ({ page }) => {
  await openApp(page, '?backend=webgl');
  await expect(page.getByTestId('backend-badge')).toContainText('webgl');
});

test('link state: family and seed come from the URL, invalid values give a notice, changes are written back', async ({ page }) => {
  await openApp(page, '?family=cnn-rnn&seed=7&frames=abc');
  await expect(page.getByTestId('family-cnn-rnn')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('notices')).toContainText('frames=“abc” is not valid');
  await page.getByTestId('family-transformer').click();
  await expect(page.getByTestId('family-transformer')).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/family=transformer/);
  await expect(page).toHaveURL(/seed=7/);
  await expect(page).toHaveURL(/frames=8/);
});

test('when the worker cannot load, the app says so and offers the main-thread CPU path', async ({ page }) => {
  await page.route(/app\.worker/, (route) => route.abort());
  await page.goto('/');
  const failure = page.getByTestId('runtime-failure');
  await expect(failure).toBeVisible({ timeout: 60_000 });
  await expect(failure).toContainText('could not start');
  await failure.getByRole('button', { name: /main thread/ }).click();
  await expect(page.getByTestId('backend-badge')).toContainText('cpu');
  await expect(page.getByTestId('backend-badge')).toContainText('main thread');
});
