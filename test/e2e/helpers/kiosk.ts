import type { Page } from 'playwright-core';

/** Waits until the kiosk shows `screen` (and optionally some text on it). */
export async function waitForScreen(page: Page, screen: string, opts: { text?: string; timeout?: number } = {}): Promise<void> {
  const root = page.locator(`[data-screen="${screen}"]`);
  await root.waitFor({ timeout: opts.timeout ?? 15_000 });
  if (opts.text) await root.getByText(opts.text).first().waitFor({ timeout: opts.timeout ?? 15_000 });
}

/**
 * Touches a control the way a citizen would: once the UI takes touches again (it ignores taps
 * for a moment after a screen change, see docs/ui.md) and the control is enabled.
 */
export async function touch(page: Page, control: string): Promise<void> {
  await page.waitForFunction(() => {
    const app = document.querySelector('ykt-kiosk');
    return app?.getAttribute('data-input') === 'ready' && app.getAttribute('data-link') === 'open';
  });
  const btn = page.locator(`[data-control="${control}"]`);
  await btn.and(page.locator(':enabled')).waitFor();
  await btn.click();
}
