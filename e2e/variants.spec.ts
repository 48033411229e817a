// Variants in the browser on WebGPU: SlowFast and the three attention kinds are picked with the
// variant selector (or a link), describe themselves (parameter count as describe() gives it) and
// take one training step with a gradient for every weight; a variant the family does not have
// falls back to tiny with a notice; the results table names the variant a run trained.
import { expect, test, type Page } from '@playwright/test';
import { FAMILIES } from '../src/models/registry';
import { recipeFor } from '../src/models/catalog';
import { openApp } from './ui';

const CLIP = { numFrames: 8, height: 16, width: 16, channels: 3, numClasses: 2 };
/** The transformer's recipe clip: choosing the family loads it (the positional embeddings follow the token count). */
const XF = recipeFor('transformer');
const XF_CLIP = { ...CLIP, numFrames: XF.frames, height: XF.size, width: XF.size };
const paramsOf = (family: 'two-stream' | 'transformer', preset: string, clip = CLIP) => {
  const f = FAMILIES[family]!;
  return f.describe(f.presets[preset].config, clip).totals.trainableParams;
};

async function stepCheck(page: Page, what: string) {
  await page.getByTestId('step-check-button').click();
  const result = page.getByTestId('step-check-result');
  await expect(result).toHaveAttribute('data-status', /done|error/, { timeout: 240_000 });
  await expect(result, what).toHaveAttribute('data-status', 'done');
  await expect(result, `${what}: ${await result.textContent()}`).toHaveAttribute('data-zero-grads', '0');
  expect(await result.getAttribute('data-tensors-after'), `${what}: tensors before/after`).toBe(await result.getAttribute('data-tensors-before'));
}

test('SlowFast and the attention variants: pick, describe, one step each on WebGPU; bad variant falls back', async ({ page }) => {
  test.setTimeout(600_000);
  const { consoleErrors } = await openApp(page, '?family=two-stream&variant=tiny_slowfast&frames=8&size=16&task=order-direction');
  await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
  const select = page.getByTestId('variant-select');
  await expect(select).toHaveValue('tiny_slowfast');
  await expect(page.getByTestId('variant-note')).toContainText('SlowFast');
  await expect(page.getByTestId('param-count')).toHaveText(paramsOf('two-stream', 'tiny_slowfast').toLocaleString('en-US'));
  await stepCheck(page, 'two-stream:tiny_slowfast');

  await page.getByTestId('family-transformer').click();
  await expect(select).toHaveValue('tiny'); // another family starts at tiny
  for (const v of ['tiny_joint', 'tiny_divided', 'tiny_factorised']) {
    await select.selectOption(v);
    await expect(page).toHaveURL(new RegExp(`variant=${v}`));
    await expect(page.getByTestId('param-count')).toHaveText(paramsOf('transformer', v, XF_CLIP).toLocaleString('en-US'));
    await expect(page.getByTestId('layer-table')).toContainText(v === 'tiny_joint' ? 'block0.attn' : v === 'tiny_divided' ? 'block0.time_attn' : 'temporal0.attn');
    await stepCheck(page, `transformer:${v}`);
  }

  // One training step of the picked variant: the results table names it.
  await page.getByTestId('step-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('paused', { timeout: 240_000 });
  await expect(page.getByTestId('results-table')).toContainText('Video transformer · tiny_factorised');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);

  // A link with a variant this family does not have: tiny, and a notice that says why.
  await openApp(page, '?family=conv3d&variant=tiny_joint&frames=8&size=16');
  await expect(page.getByText('has no variant “tiny_joint”')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('variant-select')).toHaveValue('tiny');
  await expect(page).toHaveURL(/variant=tiny(&|$)/);
});
