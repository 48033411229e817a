import { expect, test, type Page } from '@playwright/test';
import { openApp } from './ui';

const points = async (page: Page, id: string) =>
  Number(await page.getByTestId(id).getAttribute('data-points'));

for (const backend of ['webgpu', 'webgl'] as const)
  test(`train a tiny model on ${backend} from the UI: curves grow, epochs advance, pause and resume, order tests`, async ({
    page,
  }, info) => {
    // The link names the experiment; pressing train runs exactly that.
    const { consoleErrors } = await openApp(
      page,
      `?family=early-fusion&task=order-direction&frames=4&size=16&epochs=12&batch=8&seed=3&backend=${backend}`,
    );
    await expect(page.getByTestId('backend-badge')).toContainText(backend);
    await expect(page.getByTestId('dataset-select')).toHaveValue('order-direction');
    await page.getByLabel('Training clips / class').fill('8');
    await expect(page.getByTestId('dataset-preview').locator('canvas')).toHaveCount(4);
    await expect(page.getByTestId('budget-check')).toContainText('fits');
    await expect(page.getByTestId('train-status')).toHaveText('idle');

    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('train-status')).toHaveText('training');
    await expect.poll(() => points(page, 'loss-chart'), { timeout: 120_000 }).toBeGreaterThan(0);

    // Pause: the loop stops after the batch in flight; nothing more arrives.
    await page.getByTestId('pause-button').click();
    await expect(page.getByTestId('train-status')).toHaveText('paused');
    const pausedAt = await points(page, 'loss-chart');
    await page.waitForTimeout(1500);
    expect(await points(page, 'loss-chart')).toBe(pausedAt);

    // Resume and run to the end: 12 epochs of 2 batches each (enough that the run is still going
    // when Pause is pressed, even on a fast backend).
    await expect(page.getByTestId('pause-button')).toHaveText('Resume');
    await page.getByTestId('pause-button').click();
    await expect(page.getByTestId('train-status')).toHaveText(/training|done/);
    await expect(page.getByTestId('epoch-counter')).not.toHaveText('0');
    await expect.poll(() => points(page, 'accuracy-chart'), { timeout: 120_000 }).toBeGreaterThan(0);
    await expect(page.getByTestId('train-status')).toHaveText('done', { timeout: 150_000 });
    await expect(page.getByTestId('epoch-counter')).toHaveText('12');
    expect(await points(page, 'loss-chart')).toBe(24);
    expect(await points(page, 'accuracy-chart')).toBe(12);
    await expect(page.getByTestId('val-accuracy')).toHaveText(/^\d{1,3}\.\d%$/);

    // After training: the order tests, the confusion matrix and the results row.
    const order = page.getByTestId('order-tests');
    await expect(order).toBeVisible();
    for (const name of ['Normal order', 'Frames shuffled', 'Frames reversed', 'One frame repeated'])
      await expect(order).toContainText(name);
    await expect(page.getByTestId('confusion-matrix')).toContainText('moves left');
    await expect(page.getByTestId('results-table')).toContainText('Early fusion');

    // Inference on a validation clip.
    await page.getByRole('button', { name: 'Run on it' }).click();
    await expect(page.getByTestId('inference-result')).toContainText(/moves (left|right)/);

    await page.getByTestId('accuracy-chart').scrollIntoViewIfNeeded();
    await page.screenshot({
      path: info.outputPath(`training-studio-${backend}.png`),
      fullPage: true,
    });
    await info.attach(`training-studio-${backend}`, {
      path: info.outputPath(`training-studio-${backend}.png`),
      contentType: 'image/png',
    });
    expect(consoleErrors).toEqual([]);
  });
