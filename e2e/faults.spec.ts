// Faults, as a lecture hall makes them: the tfjs worker dies mid-run, the WebGPU device is lost
// mid-run, a step runs out of GPU memory. Each is caused through the app's fault hooks
// (`window.__clipscopeFaults`, runtime/runtime-actions.ts), which go through the same detection
// and messages as a real fault: the worker is terminated without telling the page (only the
// heartbeat can notice), the device is destroyed with `device.destroy()`, and the step asks the
// device for a buffer it cannot give inside the step's error scopes.
import { expect, test, type Page } from '@playwright/test';
import { addFourOwnClips, openApp } from './ui';

type Faults = { killWorker(): void; destroyDevice(): Promise<unknown>; oomNextStep(): Promise<unknown> };
const fault = (page: Page, name: keyof Faults) => page.evaluate((n) => (window as unknown as { __clipscopeFaults: Faults }).__clipscopeFaults[n](), name);
const points = async (page: Page, id: string) => Number(await page.getByTestId(id).getAttribute('data-points'));

test('the worker killed mid-run is detected and restarted; the clips are sent again and train', async ({ page }, info) => {
  test.setTimeout(420_000);
  await openApp(page, '?family=single-frame&frames=4&size=16&epochs=200&batch=2&backend=webgl');
  await expect(page.getByTestId('backend-badge')).toContainText('webgl');
  await page.getByTestId('dataset-select').selectOption('own-clips');
  const own = page.getByTestId('own-classes');
  await addFourOwnClips(page, 4);
  await page.getByTestId('train-button').click();
  await expect.poll(() => points(page, 'loss-chart'), { timeout: 120_000 }).toBeGreaterThan(2);

  await fault(page, 'killWorker');
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toContainText('the tfjs worker stopped — restarting', { timeout: 120_000 }); // 75 s of silence
  await expect(badge).toContainText('webgl', { timeout: 120_000 });
  await expect(page.getByTestId('runtime-note')).toContainText('4 sampled clips sent again');
  // The run ended with its curve kept; nothing the user made is lost.
  await expect(page.getByTestId('train-status')).toHaveText('error');
  await expect(page.locator('.run-error')).toContainText('the tfjs worker stopped');
  expect(await points(page, 'loss-chart')).toBeGreaterThan(2);
  await expect(page.getByTestId('clip-item')).toHaveCount(4);
  await expect(own.locator('li')).toHaveCount(4);
  await page.screenshot({ path: info.outputPath('worker-restarted.png') });

  // The new worker has the clips' frames: a run on them trains to the end.
  await page.getByLabel('Epochs').fill('1');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('done', { timeout: 180_000 });
  await expect(page.getByTestId('results-table').locator('tbody tr')).toHaveCount(2);
});

test('a WebGPU device destroyed mid-run ends the run cleanly; finished runs stay, the run resumes, the next run trains', async ({ page }, info) => {
  test.setTimeout(420_000);
  await openApp(page, '?family=early-fusion&task=order-direction&frames=4&size=16&epochs=1&batch=8&seed=3&backend=webgpu');
  await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
  await page.getByLabel('Training clips / class').fill('8');
  // A finished run first.
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('done', { timeout: 150_000 });
  await expect(page.getByTestId('order-tests')).toBeVisible();
  // Its verdict: the app trains the single-frame baseline on the same data (a second row).
  await expect(page.getByTestId('verdict')).not.toHaveAttribute('data-kind', 'pending', { timeout: 150_000 });
  await expect(page.getByTestId('results-table').locator('tbody tr')).toHaveCount(2);

  // A long run, lost after its first epoch.
  await page.getByLabel('Epochs').fill('500'); // minutes: still training when the device goes
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('results-table').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('train-status')).toHaveText('training');
  await expect(page.getByTestId('epoch-counter')).not.toHaveText('0', { timeout: 150_000 });
  await fault(page, 'destroyDevice');
  await expect(page.getByTestId('runtime-note')).toContainText("Runs and clips are kept: each run's model was rebuilt on WebGPU", { timeout: 120_000 });
  await expect(page.getByTestId('backend-fallback')).toContainText(/The GPU device was lost \(.+\); WebGPU was started again on a new device/);
  await expect(page.getByTestId('error-banner')).toContainText('The GPU device was lost');
  await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
  await expect(page.getByTestId('train-status')).toHaveText('paused');
  await expect(page.getByTestId('results-table').locator('tbody tr')).toHaveCount(3);
  await page.screenshot({ path: info.outputPath('device-lost.png') });

  // The interrupted run continues from the weights kept on the CPU side.
  const before = await points(page, 'loss-chart');
  await page.getByTestId('pause-button').click(); // Resume
  await expect.poll(() => points(page, 'loss-chart'), { timeout: 120_000 }).toBeGreaterThan(before);
  await page.getByTestId('pause-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('paused');

  // The next run trains to the end on the new device.
  await page.getByLabel('Epochs').fill('2');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('done', { timeout: 150_000 });
  await expect(page.getByTestId('val-accuracy')).toHaveText(/^\d{1,3}\.\d%$/);
  // The same data: the baseline trained for the first run gives this one's verdict too (no new row).
  await expect(page.getByTestId('verdict')).not.toHaveAttribute('data-kind', 'pending');
  await expect(page.getByTestId('results-table').locator('tbody tr')).toHaveCount(4);
});

test('a GPU out-of-memory in a step’s error scope ends the run with a message, and the next run trains', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page, '?family=early-fusion&task=order-direction&frames=4&size=16&epochs=1&batch=8&seed=3&backend=webgpu');
  await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
  await page.getByLabel('Training clips / class').fill('8');
  await fault(page, 'oomNextStep');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('error', { timeout: 120_000 });
  await expect(page.locator('.run-error')).toContainText('The GPU ran out of memory during a training step');
  await expect(page.locator('.run-error')).toContainText('lower the batch size');
  expect(await points(page, 'loss-chart')).toBe(0); // no number from the failed step

  await page.getByTestId('reset-button').click();
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('done', { timeout: 150_000 });
});
