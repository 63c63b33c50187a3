import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { current, hasChromium, open, settled, signIn, startJourney } from '../../test/browser.js';
import { expectAccessible } from '../../test/a11y.js';

/**
 * A resident photographs her 户口本 for a 居住证明 application (the photo carries a GPS position); the clerk
 * opens the case and sees it; the stored photo has no EXIF; another resident gets nothing for the case's
 * files, neither the list nor the link.
 */
describe.skipIf(!hasChromium)('H5 journey: a photo of a document on a 居住证明 application', () => {
  let j: Awaited<ReturnType<typeof startJourney>>;
  let resident: Page;
  let caseId = '';
  let photoPath = '';
  beforeAll(async () => {
    j = await startJourney();
    const dir = mkdtempSync(path.join(tmpdir(), 'cunju-photo-'));
    photoPath = path.join(dir, 'hukou.jpg');
    writeFileSync(
      photoPath,
      await sharp({ create: { width: 900, height: 600, channels: 3, background: { r: 220, g: 60, b: 50 } } })
        .jpeg()
        .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '28/1 11/1 3360/100' } })
        .toBuffer(),
    );
  });
  afterAll(async () => j?.close());

  it('the resident adds a photo while applying and sees it on her case', async () => {
    resident = await signIn(j.browser, j.server.url, 'resident');
    await open(resident, j.server.url, '/packages/hall/apply/index?id=d1000000-0000-4000-8000-000000000001');
    const form = current(resident);
    await form.locator('.field-name input').fill('张秀兰');
    await form.locator('.field-idNumber input').fill('43010219520312002X');
    await form.locator('.field-purpose').click();
    await resident.locator('.weui-picker__action').last().click();
    await form.locator('.field-proof input').fill('户口本照片');
    const chooser = resident.waitForEvent('filechooser');
    await form.locator('.uploader-add').click();
    await (await chooser).setFiles(photoPath);
    await expect.poll(() => form.locator('.uploader-status').first().textContent(), { timeout: 20_000 }).toBe('已上传');
    await expectAccessible(resident, '申请表（带照片）');
    await j.shot(resident, 'files-1-apply-with-photo', true);
    await form.locator('.apply-submit').click();
    await settled(resident);
    await expect.poll(() => current(resident).locator('.case-status').textContent()).toBe('已提交');
    caseId = (await j.db.sql(`select id from app.applications where form_data->>'proof' = '户口本照片'`)).rows[0].id;
    await expect.poll(() => current(resident).locator('.attachment-photo').count()).toBe(1);
    await expectAccessible(resident, '办件（带照片）');
    const row = (await j.db.sql(`select entity, entity_id, check_status, sha256 from app.files where entity_id = $1`, [caseId])).rows[0];
    expect(row).toMatchObject({ entity: 'application', check_status: 'passed' });
  });

  it('the clerk opens the case and the photo, which carries no location', async () => {
    const clerk = await signIn(j.browser, j.server.url, 'clerk');
    await open(clerk, j.server.url, `/packages/hall/case/index?id=${caseId}`);
    const img = current(clerk).locator('.attachment-photo img, img.attachment-photo').first();
    await expect.poll(() => current(clerk).locator('.attachment-photo').count()).toBe(1);
    const src = await current(clerk)
      .locator('.attachment-photo')
      .first()
      .evaluate((el) => (el.querySelector('img') ?? el).getAttribute('src'));
    expect(src).toContain('/api/files/raw/');
    const res = await clerk.request.get(new URL(src!, j.server.url).toString());
    expect(res.status()).toBe(200);
    expect((await sharp(await res.body()).metadata()).exif).toBeUndefined();
    expect(img).toBeTruthy();
    await expectAccessible(clerk, '办件（窗口）');
    await j.shot(clerk, 'files-2-clerk-case', true);
  });

  it('another resident gets neither the list of files nor a link', async () => {
    const other = await signIn(j.browser, j.server.url, 'resident2');
    const login = await other.request.post(`${j.server.url}/api/auth/dev`, { data: { persona: 'resident2' } });
    const headers = { authorization: `Bearer ${(await login.json()).token}` };
    expect((await other.request.get(`${j.server.url}/api/files?entity=application&entityId=${caseId}`, { headers })).status()).toBe(404);
    const fileId = (await j.db.sql(`select id from app.files where entity_id = $1`, [caseId])).rows[0].id;
    expect((await other.request.get(`${j.server.url}/api/files/${fileId}`, { headers })).status()).toBe(404);
    await open(other, j.server.url, `/packages/hall/case/index?id=${caseId}`);
    await expect.poll(() => current(other).textContent()).toContain('没有找到这个办件');
    expect(await current(other).locator('.attachment-photo').count()).toBe(0);
    await expectAccessible(other, '办件（找不到）');
  });
});
