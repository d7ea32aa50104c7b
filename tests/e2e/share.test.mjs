// Sharing and embedding: the share panel's link and embed code for the view on screen, the embed
// pasted into a page on another origin (its view, its height fitted by embed.js, no request to any
// origin but the app's), the embed's bar, and a link whose step does not fit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, assert, env, gotoApp, settle, screenshot, runAxe, formatAxe } from './lib.mjs';
import { startServer } from '../../scripts/serve.mjs';

const A = 'grpc-shim';

async function openShare(page) {
  await page.getByText('Share or embed this view').click();
  return page.locator('.share');
}

test('share: the panel gives a link and embed code for the view on screen, with its options', async ({ page }) => {
  await gotoApp(page, `#s=${A}&at=24`);
  const share = await openShare(page);
  const link = share.getByLabel('Link');
  assert.match(await link.inputValue(), new RegExp(`^${env.baseURL.replace(/[/.]/g, '\\$&')}#v=2&s=${A}&h=[0-9a-f]{8}&sw=00&k=2,8,200,1&at=24$`));
  await share.getByLabel('Shows', { exact: true }).selectOption({ label: 'the diagram, narration and controls' });
  await share.getByLabel('Plays by itself').check();
  await share.getByLabel(/Opens at the step on screen/).uncheck();
  assert.match(await link.inputValue(), /&at=0&view=focus&play=1$/);
  await share.getByLabel('Shows the controls').uncheck();
  const code = await share.getByLabel(/^Embed code/).inputValue();
  assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/#v=2&s=grpc-shim&h=[0-9a-f]{8}&sw=00&k=2,8,200,1&at=0&view=focus&play=1&ctl=0" title="Deadlock Lab: [^"]+" width="100%" height="640" loading="lazy" style="border:0"><\/iframe>$/);
  // Stepping on changes the link when it opens at the step on screen.
  await share.getByLabel(/Opens at the step on screen/).check();
  await page.keyboard.press('ArrowLeft');
  await page.locator('body').press('ArrowLeft');
  assert.match(await link.inputValue(), /&at=2[23]&view=focus/);
  await share.getByRole('button', { name: 'Copy link' }).click();
  await share.getByRole('status').filter({ hasText: /clipboard|Ctrl\+C/ }).waitFor();
  await share.getByRole('button', { name: 'Preview the embed' }).click();
  const preview = page.frameLocator('.share iframe[title="Preview of the embed"]');
  await preview.locator('.diagram-svg').waitFor();
  const found = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.equal(found.length, 0, formatAxe(found));
  await screenshot(page, 'share-panel');
}, { timeout: 45000 });

test('embed: pasted into a page on another origin, it shows the chosen view, fits its height, asks no one else', async ({ page }) => {
  // The host page: another origin (its own server), the copied embed code and the app's embed.js.
  await gotoApp(page, `#s=${A}&at=24`);
  const share = await openShare(page);
  await share.getByLabel('Shows', { exact: true }).selectOption({ label: 'the diagram, narration and controls' });
  const code = await share.getByLabel(/^Embed code/).inputValue();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-'));
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog post</title></head>
<body><h1>A post about deadlocks</h1>${code}<p>After the embed.</p><script src="${env.baseURL}embed.js"></script></body></html>`);
  const host = await startServer(dir);
  const context = await env.browser.newContext({ viewport: { width: 900, height: 800 } });
  try {
    const requests = [];
    context.on('request', (r) => requests.push(r));
    const blog = await context.newPage();
    await blog.goto(host.url);
    const frame = blog.frameLocator('iframe');
    await frame.locator('.diagram-svg').waitFor();
    await blog.waitForFunction(() => document.querySelector('iframe').style.height !== '');
    await settle(blog, 500);
    const fitted = await blog.evaluate(() => parseFloat(document.querySelector('iframe').style.height));
    const inner = await frame.locator('body').evaluate((b) => b.getBoundingClientRect().height);
    assert.ok(Math.abs(fitted - inner) <= 2, `the iframe fits its app (${fitted} px for ${inner} px)`);
    assert.ok(await frame.locator('.embed-bar').isVisible(), 'the embed has its bar');
    assert.ok(!(await frame.locator('.picker').isVisible()) && !(await frame.locator('.matrix').isVisible()), 'the focused view leaves the rest out');
    assert.ok(await frame.locator('.narration .now').isVisible() && await frame.getByRole('group', { name: 'Playback' }).isVisible());
    const open = frame.getByRole('link', { name: /Open in Deadlock Lab/ });
    assert.equal(await open.getAttribute('target'), '_blank');
    // Every request from the embedded app goes to the app's origin; the host asked only for its page and embed.js.
    const appOrigin = new URL(env.baseURL).origin;
    const foreign = requests.filter((r) => r.frame() !== blog.mainFrame() && new URL(r.url()).origin !== appOrigin && !/^(data|blob):/.test(r.url()));
    assert.deepEqual(foreign.map((r) => r.url()), [], 'the embed asks no other origin');
    await blog.screenshot({ path: path.join(path.dirname(await screenshot(page, 'share-host-app')), 'share-host-page.png'), fullPage: true });
    // The reader plays around, then goes back to the step the post linked.
    await frame.getByRole('button', { name: 'Start', exact: false }).first().click();
    await frame.getByRole('button', { name: 'Back to the linked step' }).click();
    assert.match(await frame.locator('.timeline .counter').innerText(), /^Step 24 of/);
  } finally {
    await context.close();
    host.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, { timeout: 45000 });

test('embed: the focused and diagram-only views, axe clean in both themes', async ({ page }) => {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const view of ['focus', 'diagram']) {
      await gotoApp(page, `#s=${A}&at=24&view=${view}&ctl=${view === 'focus' ? 1 : 0}`);
      await page.locator('.diagram-svg').waitFor();
      await settle(page, 300);
      assert.ok(await page.locator('.embed-bar').isVisible());
      assert.equal(await page.getByRole('group', { name: 'Playback' }).isVisible(), view === 'focus');
      assert.equal(await page.locator('.narration .now').isVisible(), view === 'focus');
      const found = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.equal(found.length, 0, `${view} ${scheme}: ${formatAxe(found)}`);
      await screenshot(page, `embed-${view}-${scheme}`);
      await gotoApp(page, '#');
    }
  }
});

test('links: one made for a scenario that has changed since says so and shows its start', async ({ page }) => {
  await gotoApp(page, '#v=2&s=template-cache&h=00000000&sw=0001&k=3,1,2,0&at=7');
  await page.locator('.diagram-svg').waitFor();
  assert.match(await page.locator('.timeline .counter').innerText(), /^Step 0 of/);
  assert.match(await page.locator('.notice').innerText(), /made for an earlier version of .+, which has changed since/);
});

test('links: a step past the end shows the last step and says what changed', async ({ page }) => {
  await gotoApp(page, '#s=template-cache&at=12');
  await page.locator('.diagram-svg').waitFor();
  assert.match(await page.locator('.timeline .counter').innerText(), /^Step 9 of 9/);
  assert.match(await page.locator('.notice').innerText(), /step 12 is past the end of this run; showing its last step, 9/);
});
