// Teaching with the lab: shortcuts wherever focus is, a fix matrix that fits, "Show how" that
// shows, the presenter view at projector sizes, and the phone's first screen.
import {
  test, assert, gotoApp, settle, screenshot, runAxe, formatAxe,
} from './lib.mjs';

const A = 'grpc-shim';
const B = 'template-cache';

const counter = (page) => page.locator('.timeline .counter').innerText();
async function stepNow(page) {
  const m = (await counter(page)).match(/Step (\d+) of (\d+)/);
  assert.ok(m, 'the step counter is shown');
  return [Number(m[1]), Number(m[2])];
}
async function open(page, suffix) {
  await gotoApp(page, suffix);
  await page.locator('.diagram-svg').waitFor();
  await page.locator('.matrix tbody button').first().waitFor();
}
const playing = (page) => page.locator('.transport .play[aria-pressed="true"]').count();

/** From whatever has focus now: → steps, ← steps back, End, Home, Space plays and pauses. */
async function shortcutsWork(page, what) {
  await page.keyboard.press('Home');
  assert.equal((await stepNow(page))[0], 0, `${what}: Home goes to step 0`);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal((await stepNow(page))[0], 2, `${what}: → steps`);
  await page.keyboard.press('ArrowLeft');
  assert.equal((await stepNow(page))[0], 1, `${what}: ← steps back`);
  await page.keyboard.press('PageDown');
  assert.equal((await stepNow(page))[0], 2, `${what}: Page Down steps (clickers)`);
  await page.keyboard.press('End');
  const [end, steps] = await stepNow(page);
  assert.equal(end, steps, `${what}: End jumps to the last step`);
  await page.keyboard.press('Home');
  await page.keyboard.press('Space');
  assert.equal(await playing(page), 1, `${what}: Space plays`);
  await page.keyboard.press('Space');
  assert.equal(await playing(page), 0, `${what}: Space pauses`);
}

test('keys wherever focus is: after clicking Step, a switch or a matrix row, shortcuts still work', async ({ page }) => {
  await open(page, `#s=${A}`);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await shortcutsWork(page, 'after Step');
  const split = page.locator('#sw-split');
  await split.click();
  assert.ok(await split.isChecked(), 'a click flips the switch');
  assert.ok(await page.evaluate(() => document.activeElement?.id === 'sw-split'), 'the switch has focus');
  await shortcutsWork(page, 'on a ticked switch');
  assert.ok(await split.isChecked(), 'Space did not untick the fix');
  await page.keyboard.press('Enter');
  assert.ok(!(await split.isChecked()), 'Enter flips the focused switch');
  await page.locator('.matrix tbody button').first().click();
  await settle(page);
  await shortcutsWork(page, 'after a matrix row');
  await page.locator('.card').first().click();
  await shortcutsWork(page, 'after a scenario card');
});

test('keys wherever focus is: a slider and a select keep their own keys', async ({ page }) => {
  await open(page, `#s=${B}`);
  await page.locator('#timeline').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal((await stepNow(page))[0], 1, 'the timeline slider steps with its own arrows');
  const speed = page.locator('#speed');
  const before = await speed.inputValue();
  await speed.focus();
  await page.keyboard.press('r');
  assert.equal((await stepNow(page))[0], 1, 'R typed into the select is the select\'s');
  assert.ok(typeof before === 'string');
  // Space on a focused switch: still play/pause, never a flip.
  const box = page.locator('.switches input[type=checkbox]').first();
  const was = await box.isChecked();
  await box.focus();
  await page.keyboard.press('Space');
  assert.equal(await box.isChecked(), was, 'Space does not change the focused switch');
  assert.equal(await playing(page), 1, 'Space on a switch plays');
  await page.keyboard.press('Space');
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  assert.match(await dialog.innerText(), /Space always plays or pauses/);
  assert.match(await dialog.innerText(), /Enter/);
});
