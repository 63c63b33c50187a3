import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { current, hasChromium, open, settled, signIn, startJourney } from '../../test/browser.js';
import { expectAccessible } from '../../test/a11y.js';
import { persona } from '../../test/personas.js';
import { repoRoot } from '../../scripts/lib/migrate.js';

const picturePath = path.join(repoRoot, 'miniapp/dist-h5/static/e2e-mall/tissue.png');

describe.skipIf(!hasChromium)('H5 journey: redeem points for a good and collect it', () => {
  let j: Awaited<ReturnType<typeof startJourney>>;
  let volunteer: Page;
  let clerk: Page;
  let code = '';
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    rmSync(path.dirname(picturePath), { recursive: true, force: true });
    await j?.close();
  });

  it('the volunteer redeems 洗衣液 with seeded points and sees the pickup QR code', async () => {
    await j.db.sql(`update app.goods set price_points = 81 where name = '花生油 1.8L'`);
    // One good with a picture that loads, one whose picture is broken.
    // A picture the server really serves (same origin, as the H5 page's Content-Security-Policy wants).
    mkdirSync(path.dirname(picturePath), { recursive: true });
    writeFileSync(
      picturePath,
      await sharp({ create: { width: 120, height: 120, channels: 3, background: { r: 240, g: 236, b: 228 } } })
        .png()
        .toBuffer(),
    );
    await j.db.sql(`update app.goods set picture_url = $1 where name = '抽纸 6 包'`, [`${j.server.url}/static/e2e-mall/tissue.png`]);
    await j.db.sql(`update app.goods set picture_url = $1 where name = '纯棉毛巾'`, [`${j.server.url}/no-such-picture.png`]);
    volunteer = await signIn(j.browser, j.server.url, 'volunteer');
    await open(volunteer, j.server.url, '/pages/volunteer/index');
    await current(volunteer).locator('.mall-entry').click();
    await settled(volunteer);
    const mall = current(volunteer);
    await expect.poll(() => mall.locator('.mall-available').textContent()).toBe('80');
    // Pictures carry the good's name as alt text; a broken one becomes a placeholder that says so.
    await expect.poll(() => mall.locator('.goods-card', { hasText: '抽纸 6 包' }).locator('img').getAttribute('alt')).toBe('抽纸 6 包');
    await expect.poll(() => mall.locator('.goods-card', { hasText: '纯棉毛巾' }).locator('.goods-picture-missing').textContent()).toContain('图片打不开');
    await expectAccessible(volunteer, '积分超市');
    // A good that costs more than the balance (花生油, repriced to 81 above) cannot be chosen, and says by how much.
    const dear = mall.locator('.goods-card', { hasText: '花生油 1.8L' }).locator('.redeem');
    await expect.poll(() => dear.textContent()).toContain('积分不够，还差 1 分');
    expect(await dear.getAttribute('aria-disabled')).toBe('true');
    await dear.click({ force: true });
    expect(await mall.locator('.redeem-confirm').count()).toBe(0);
    await mall.locator('.goods-card', { hasText: '洗衣液 2kg' }).locator('.redeem').click();
    expect(await mall.locator('.redeem-confirm').textContent()).toContain('兑换后剩余可用积分 50');
    await expectAccessible(volunteer, '积分超市：确认兑换');
    await mall.locator('.redeem-yes').click();
    await settled(volunteer);
    const mine = current(volunteer);
    await mine.locator('.redemption.highlight .pickup-code').waitFor();
    code = (await mine.locator('.redemption.highlight .pickup-code').textContent())!;
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    expect(await mine.locator('.redemption.highlight .qr').count()).toBe(1);
    await expectAccessible(volunteer, '我的兑换');
    await j.shot(volunteer, 'mall-1-pickup-code', true);
  });

  it('the clerk types the code and hands the good over', async () => {
    clerk = await signIn(j.browser, j.server.url, 'clerk');
    await current(clerk).locator('.mall-desk').click();
    await settled(clerk);
    const desk = current(clerk);
    await expectAccessible(clerk, '积分超市核销');
    await desk.locator('.pickup-input input').fill(code.toLowerCase());
    await desk.locator('.lookup').click();
    await expect.poll(() => desk.locator('.handover-preview').textContent()).toContain('陈*雨');
    await desk.locator('.handover-submit').click();
    await expect.poll(() => desk.locator('.handover-message').textContent()).toContain('已核销');
    await expectAccessible(clerk, '积分超市核销：已核销');
    const row = await j.db.sql(`select status from app.redemptions where pickup_code = $1`, [code]);
    expect(row.rows[0].status).toBe('handed_over');
  });

  it('the volunteer sees it as received and the balance reduced', async () => {
    await open(volunteer, j.server.url, '/packages/mall/mine/index');
    const card = current(volunteer).locator('.redemption', { hasText: '洗衣液 2kg' });
    await expect.poll(() => card.locator('.redemption-status').textContent()).toBe('已领取');
    await open(volunteer, j.server.url, '/packages/mall/goods/index');
    await expect.poll(() => current(volunteer).locator('.mall-available').textContent()).toBe('50');
    const balance = await j.db.sql(`select balance from app.point_accounts where profile_id = $1`, [persona.volunteer]);
    expect(balance.rows[0].balance).toBe(70);
  });

  it('a second hand-over of the same code is refused with a clear message', async () => {
    await open(clerk, j.server.url, '/packages/mall/handover/index');
    const desk = current(clerk);
    await desk.locator('.pickup-input input').fill(code);
    await desk.locator('.lookup').click();
    await expect.poll(() => desk.locator('.handover-preview').textContent()).toContain('领取');
    expect(await desk.locator('.handover-submit').count()).toBe(0);
    // Even if the button were pressed on a stale screen, the server refuses.
    const token = await clerk.evaluate(() => JSON.parse(localStorage.getItem('cunju.token') ?? '{}').data as string);
    const res = await fetch(`${j.server.url}/api/mall/redemptions/${code}/handover`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('这个领取码已经领过了，不能重复领取');
    await j.shot(clerk, 'mall-2-second-handover');
  });
});
