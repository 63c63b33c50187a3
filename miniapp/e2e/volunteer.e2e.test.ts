import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { current, hasChromium, open, settled, signIn, startJourney, tab } from '../../test/browser.js';
import { expectAccessible } from '../../test/a11y.js';
import { community, persona } from '../../test/personas.js';

const TITLE = '周六上午帮独居老人打扫卫生';

describe.skipIf(!hasChromium)('H5 journey: an activity from sign-up to available points', () => {
  let j: Awaited<ReturnType<typeof startJourney>>;
  let committee: Page;
  let volunteer: Page;
  let resident: Page;
  let resident2: Page;
  let id = '';
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => j?.close());

  const statusOf = async (who: keyof typeof persona) =>
    (await j.db.sql(`select status from app.activity_signups where activity_id = $1 and profile_id = $2 and status <> 'cancelled'`, [id, persona[who]])).rows[0]
      ?.status;
  const openActivity = (p: Page) => open(p, j.server.url, `/packages/volunteer/activity/index?id=${id}`);
  const organizerCode = async () => {
    await open(committee, j.server.url, `/packages/volunteer/organize/index?id=${id}`);
    await expect.poll(() => current(committee).locator('.checkin-code').textContent()).toMatch(/^\d{6}$/);
    return (await current(committee).locator('.checkin-code').textContent())!;
  };

  it('committee publishes an activity with 2 seats', async () => {
    committee = await signIn(j.browser, j.server.url, 'committee');
    await tab(committee, 3);
    await current(committee).locator('.new-activity').waitFor();
    await expectAccessible(committee, '志愿');
    await current(committee).locator('.new-activity').click();
    await settled(committee);
    const form = current(committee);
    await form.locator('.act-title input').waitFor();
    await expectAccessible(committee, '发布志愿活动');
    await form.locator('.act-title input').fill(TITLE);
    await form.locator('.act-place input').fill('5号楼1单元门口');
    await form.locator('.act-capacity input').fill('2');
    await form.locator('.create-submit').click();
    await settled(committee);
    await expect.poll(() => current(committee).locator('.activity-title').textContent()).toBe(TITLE);
    await expectAccessible(committee, '志愿活动（组织者）');
    id = (await j.db.sql(`select id from app.activities where title = $1`, [TITLE])).rows[0].id;
  });

  it('volunteer and resident take the seats; resident2 lands on the waitlist and is promoted when resident cancels', async () => {
    volunteer = await signIn(j.browser, j.server.url, 'volunteer');
    resident = await signIn(j.browser, j.server.url, 'resident');
    resident2 = await signIn(j.browser, j.server.url, 'resident2');
    for (const p of [volunteer, resident]) {
      await openActivity(p);
      await current(p).locator('.signup').waitFor();
      await expectAccessible(p, '志愿活动（报名前）');
      await current(p).locator('.signup').click();
      await expect.poll(() => current(p).locator('.signup-status').textContent()).toBe('您已报名');
    }
    await openActivity(resident2);
    expect(await current(resident2).locator('.signup').textContent()).toContain('候补');
    await current(resident2).locator('.signup').click();
    await expect.poll(() => current(resident2).locator('.signup-status').textContent()).toContain('候补第 1 位');
    await j.shot(resident2, 'volunteer-1-waitlist', true);
    await expectAccessible(resident2, '志愿活动（候补）');

    // Cancelling asks first (one tap is easy to make by mistake); saying no keeps the seat.
    await current(resident).locator('.cancel-signup').click();
    await resident.locator('.taro-model__cancel').filter({ visible: true }).click();
    expect(await statusOf('resident')).toBe('confirmed');
    await current(resident).locator('.cancel-signup').click();
    await resident.locator('.taro-model__confirm').filter({ visible: true }).click();
    await expect.poll(() => statusOf('resident2')).toBe('confirmed');
    await openActivity(resident2);
    await expect.poll(() => current(resident2).locator('.signup-status').textContent()).toBe('您已报名');
  });

  it('at the activity the organiser shows the code; the volunteer checks in and out with it', async () => {
    // The activity is now under way: it began 70 minutes ago.
    await j.db.sql(
      `update app.activities set cancel_until = now() - interval '3 hours', starts_at = now() - interval '70 minutes',
                    ends_at = now() + interval '50 minutes' where id = $1`,
      [id],
    );
    const code = await organizerCode();
    await j.shot(committee, 'volunteer-2-organiser-code', true);
    await expectAccessible(committee, '签到码');
    await openActivity(volunteer);
    await current(volunteer).locator('.code-input input').waitFor();
    await expectAccessible(volunteer, '志愿活动（签到）');
    await current(volunteer)
      .locator('.code-input input')
      .fill('123456' === code ? '654321' : '123456');
    await current(volunteer).locator('.checkin-submit').click();
    await expect
      .poll(() =>
        j.db
          .sql(`select checked_in_at from app.activity_signups where activity_id = $1 and profile_id = $2`, [id, persona.volunteer])
          .then((r) => r.rows[0].checked_in_at),
      )
      .toBeNull();
    await current(volunteer)
      .locator('.code-input input')
      .fill(await organizerCode());
    await current(volunteer).locator('.checkin-submit').click();
    await expect
      .poll(() =>
        j.db
          .sql(`select checked_in_at from app.activity_signups where activity_id = $1 and profile_id = $2`, [id, persona.volunteer])
          .then((r) => r.rows[0].checked_in_at),
      )
      .not.toBeNull();
    // An hour of service goes by.
    await j.db.sql(`update app.activity_signups set checked_in_at = now() - interval '60 minutes' where activity_id = $1 and profile_id = $2`, [
      id,
      persona.volunteer,
    ]);
    const outCode = await organizerCode();
    await openActivity(volunteer);
    await current(volunteer).locator('.code-input input').fill(outCode);
    await current(volunteer).locator('.checkin-submit').click();
    await expect
      .poll(() =>
        j.db
          .sql(`select checked_out_at from app.activity_signups where activity_id = $1 and profile_id = $2`, [id, persona.volunteer])
          .then((r) => r.rows[0].checked_out_at),
      )
      .not.toBeNull();
  });

  it('the organiser confirms; the volunteer sees the points as pending, then available after the window', async () => {
    await open(committee, j.server.url, `/packages/volunteer/organize/index?id=${id}`);
    await current(committee).locator('.confirm-attendance').click();
    await current(committee).locator('.confirm-yes').click();
    await expect
      .poll(() =>
        j.db.sql(`select points from app.activity_signups where activity_id = $1 and profile_id = $2`, [id, persona.volunteer]).then((r) => r.rows[0].points),
      )
      .toBe(10);
    await j.shot(committee, 'volunteer-3-attendance', true);
    await expectAccessible(committee, '出勤确认');

    // Seeds: 80 available (October), 20 pending (November); +10 for this hour, pending until the month is published.
    await open(volunteer, j.server.url, '/pages/volunteer/index');
    const card = () => current(volunteer).locator('.points-card');
    await expect.poll(() => card().locator('.points-pending').textContent()).toBe('30');
    expect(await card().locator('.points-available').textContent()).toBe('80');
    await j.shot(volunteer, 'volunteer-4-pending');
    await expectAccessible(volunteer, '志愿（积分待公示）');

    // Time passes: the month is over, published, and its objection window has closed.
    // Every month that has points (the seeded November and this one) is published with its window closed.
    await j.db.sql(
      `insert into app.point_publications (community_id, month, objection_days, published_by, published_at, window_closes_at)
                    select distinct $1::uuid, e.month, 7, $2::uuid, now() - interval '8 days', now() - interval '1 day'
                      from app.point_entries e where e.community_id = $1
                    on conflict do nothing`,
      [community.chunhui, persona.committee],
    );
    await volunteer.reload();
    await settled(volunteer);
    await expect.poll(() => card().locator('.points-available').textContent()).toBe('110');
    expect(await card().locator('.points-pending').textContent()).toBe('0');
  });
});
