// The URL is the experiment: a copied link reproduces a run to the same curves, every knob that
// changes a run is written to the link, and inference over K chunks shows each chunk's
// prediction and their average, with the same sampling in MMAction2 and PySlowFast terms.
import { expect, test, type Page } from '@playwright/test';
import { openApp, sampleBuiltin } from './ui';

const TINY = '?family=early-fusion&task=order-direction&frames=4&size=16&clips=8&valclips=4&epochs=2&batch=4&seed=11&backend=webgpu';

async function trainAndReadCurve(page: Page): Promise<string> {
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('done', { timeout: 180_000 });
  const curve = (await page.getByTestId('loss-chart').getAttribute('data-curve')) ?? '';
  expect(curve.split(' ')).toHaveLength(8); // 2 epochs × 16 clips / batch 4
  return curve;
}

test('a copied link, opened in a fresh page, reproduces the run to the same loss curve', async ({ browser }) => {
  test.setTimeout(420_000);
  const first = await browser.newPage();
  await openApp(first, TINY);
  // Change knobs in the UI (not in the link): the link written back must carry them.
  await first.getByLabel('Noise').fill('0.1');
  await first.getByLabel('Learning rate').fill('0.004');
  await first.getByLabel('Augmentation').selectOption('shift');
  await expect(first).toHaveURL(/noise=0\.1/);
  await expect(first).toHaveURL(/lr=0\.004/);
  await expect(first).toHaveURL(/augment=shift/);
  const a = await trainAndReadCurve(first);
  const link = first.url();
  await first.close();

  const second = await browser.newPage();
  const { consoleErrors } = await openApp(second, link.slice(link.indexOf('?')));
  expect(second.url()).toBe(link);
  await expect(second.getByTestId('recipe')).toContainText('changed');
  const b = await trainAndReadCurve(second);
  expect(b).toBe(a);
  expect(consoleErrors).toEqual([]);
  await second.close();
});

test('every knob that changes a run is written to the link', async ({ page }) => {
  await openApp(page, '?family=conv3d&backend=webgpu');
  const param = (name: string) => new URL(page.url()).searchParams.get(name);
  const changes: [string, () => Promise<unknown>, string][] = [
    ['task', () => page.getByTestId('dataset-select').selectOption('motion-speed'), 'motion-speed'],
    ['frames', () => page.getByTestId('knob-frames').fill('6'), '6'],
    ['size', () => page.getByTestId('knob-size').fill('20'), '20'],
    ['clips', () => page.getByLabel('Training clips / class').fill('12'), '12'],
    ['valclips', () => page.getByLabel('Validation clips / class').fill('5'), '5'],
    ['noise', () => page.getByLabel('Noise').fill('0.2'), '0.2'],
    ['objsize', () => page.getByLabel('Object size').fill('1.5'), '1.5'],
    ['optimizer', () => page.getByLabel('Optimizer').selectOption('sgd'), 'sgd'],
    ['lr', () => page.getByLabel('Learning rate').fill('0.01'), '0.01'],
    ['batch', () => page.getByLabel('Batch').fill('4'), '4'],
    ['epochs', () => page.getByLabel('Epochs').fill('3'), '3'],
    ['wd', () => page.getByLabel('Weight decay').fill('0.001'), '0.001'],
    ['augment', () => page.getByLabel('Augmentation').selectOption('shift'), 'shift'],
    ['seed', () => page.locator('.training-studio').getByLabel('Seed').fill('42'), '42'],
    ['strategy', () => page.getByTestId('knob-strategy').selectOption('chunks'), 'chunks'],
    ['stride', () => page.getByTestId('knob-stride').fill('3'), '3'],
    ['chunks', () => page.getByTestId('knob-chunks').fill('4'), '4'],
    ['short', () => page.getByTestId('knob-short-clip').selectOption('loop'), 'loop'],
    ['flowlevels', () => page.getByTestId('flow-levels').selectOption('2'), '2'],
    ['flowiters', () => page.getByTestId('flow-iterations').selectOption('3'), '3'],
    ['flowsigma', () => page.getByTestId('flow-windowSigma').selectOption('1.5'), '1.5'],
    ['variant', () => page.getByTestId('variant-select').selectOption('r2plus1d_tiny'), 'r2plus1d_tiny'],
    ['source', () => page.getByTestId('dataset-select').selectOption('own-clips'), 'own'],
  ];
  for (const [name, change, value] of changes) {
    expect(param(name), `${name} before`).not.toBe(value);
    await change();
    await expect.poll(() => param(name), { message: `${name} is written to the link` }).toBe(value);
  }
  // The recipe line names what differs from the family's recipe, and puts it back.
  await expect(page.getByTestId('recipe')).toContainText('learning rate 0.01 (recipe 0.003)');
  await page.getByTestId('recipe-reset').click();
  await expect.poll(() => param('lr')).toBe('0.003');
  await expect(page.getByTestId('recipe')).toContainText('Recipe for this family:');
  // Choosing another family loads its recipe.
  await page.getByTestId('family-cnn-rnn').click();
  await expect.poll(() => param('augment')).toBe('shift');
  await expect.poll(() => param('clips')).toBe('64');
});

test('K-chunk inference shows each chunk’s prediction and their average; the explorer shows the MMAction2 and PySlowFast settings', async ({ page }) => {
  test.setTimeout(300_000);
  const { consoleErrors } = await openApp(page, `${TINY}&strategy=chunks&chunks=3&stride=2`);
  await expect(page.getByTestId('toolkit-train')).toContainText("SampleFrames', clip_len=4, frame_interval=2, num_clips=3,");
  await expect(page.getByTestId('toolkit-test')).toContainText('num_clips=3, test_mode=True');
  await expect(page.getByTestId('toolkit-test')).toContainText('DATA.NUM_FRAMES=4 DATA.SAMPLING_RATE=2 TEST.NUM_ENSEMBLE_VIEWS=3');
  await sampleBuiltin(page, 'slide-right', 12);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('done', { timeout: 180_000 });
  await page.getByRole('button', { name: 'Run on the sampled clip (K = 3)' }).click();
  await expect(page.getByTestId('inference-chunk')).toHaveCount(3);
  await expect(page.getByTestId('inference-average').locator('tr')).toHaveCount(2);
  await expect(page.getByTestId('inference-result')).toContainText('Averaged over 3 chunks');
  expect(consoleErrors).toEqual([]);
});
