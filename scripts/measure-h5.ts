import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { depsFromEnv } from '../api/_lib/app.js';
import { launchChromium } from './lib/chromium.js';
import { LOCAL_JWT_SECRET } from './lib/local-env.js';
import { startLocalPostgres } from './lib/local-pg.js';
import { migrate, seed } from './lib/migrate.js';
import { buildMiniapp } from './lib/miniapp-build.js';
import { startServer } from './serve.js';

/**
 * `npm run measure:h5`: how fast the H5 home shows its first content for a signed-in resident, cold (a new
 * browser context each time: no cache), on localhost and on a simulated 4G link with 4× CPU slowdown.
 * A measurement, not a test: it prints medians and never fails on a number.
 *
 *   first content  = the browser's first-contentful-paint
 *   home ready     = the greeting and the notices card are both on screen (what the resident came for)
 *   bytes          = what went over the wire (compressed), and how many requests
 */
const RUNS = Number(process.env.RUNS ?? 7);
const PROFILES = [
  { name: 'localhost', net: null, cpu: 1 },
  // Chrome DevTools' "Fast 4G"-like link: 150 ms round trip, 9 Mbit/s down, 1.5 Mbit/s up.
  { name: '4G, CPU ×4', net: { latency: 150, downloadThroughput: (9 * 1024 * 1024) / 8, uploadThroughput: (1.5 * 1024 * 1024) / 8 }, cpu: 4 },
] as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const build = buildMiniapp('h5');
if (build.built) console.log(`[measure] H5 built in ${(build.ms / 1000).toFixed(1)} s`);
const dataDir = mkdtempSync(path.join(tmpdir(), 'cunju-measure-'));
const filesDir = mkdtempSync(path.join(tmpdir(), 'cunju-measure-files-'));
const pg = await startLocalPostgres({ dir: dataDir, quiet: true, fast: true });
try {
  await migrate(pg.url());
  await seed(pg.url());
  const server = await startServer(
    depsFromEnv({
      NODE_ENV: 'test',
      DATABASE_URL: pg.url(),
      JWT_SECRET: LOCAL_JWT_SECRET,
      LOG_LEVEL: 'silent',
      DEV_LOGIN: 'on',
      FILES_DIR: filesDir,
      AUTH_RATE_LIMIT: '100000',
    }),
    0,
  );
  const token = (
    (await (
      await fetch(`${server.url}/api/auth/dev`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ persona: 'resident' }),
      })
    ).json()) as { token: string }
  ).token;
  // A returning resident has accepted the privacy notice already.
  const me = (await (await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { privacyPolicyVersion: string };
  const consent = await fetch(`${server.url}/api/me/consents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ purpose: 'privacy_policy', version: me.privacyPolicyVersion, granted: true }),
  });
  if (!consent.ok) throw new Error(`consent: ${consent.status} ${await consent.text()}`);
  const browser = await launchChromium();
  try {
    console.log(`\nH5 home, signed in as the demo resident, cold cache, median of ${RUNS} runs (375×812)\n`);
    console.log('profile           first content   home ready   transferred   requests   then 办事 (incl. network idle)');
    for (const profile of PROFILES) {
      const fcp: number[] = [];
      const ready: number[] = [];
      let bytes = 0;
      let requests = 0;
      let apiCalls: string[] = [];
      const nextPage: number[] = [];
      let nextBytes = 0;
      for (let i = 0; i < RUNS; i++) {
        const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
        // Signed in and past the privacy notice, as a returning resident is.
        await context.addInitScript((t: string) => {
          localStorage.setItem('cunju.token', JSON.stringify({ data: t }));
        }, token);
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        if (profile.net) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...profile.net });
        if (profile.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
        let runBytes = 0;
        let runRequests = 0;
        cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
          runBytes += e.encodedDataLength;
          runRequests++;
        });
        const calls: string[] = [];
        page.on('request', (r) => {
          const u = new URL(r.url());
          if (u.pathname.startsWith('/api/')) calls.push(u.pathname);
        });
        const t0 = Date.now();
        await page.goto(`${server.url}/`);
        await page.locator('.hero').first().waitFor({ state: 'visible', timeout: 60_000 });
        await page.locator('.home-notices').first().waitFor({ state: 'visible', timeout: 60_000 });
        ready.push(Date.now() - t0);
        fcp.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
        bytes = runBytes;
        requests = runRequests;
        // Then the 办事 tab, as a resident's next tap: what the split saves shows here.
        const t1 = Date.now();
        await page.locator('.custom-tab-bar .tab-bar-item').nth(1).first().click();
        await page
          .locator('.taro_page_show.taro_page_stationed .hall-search, .taro_page_show.taro_page_stationed .theme-grid')
          .first()
          .waitFor({ state: 'visible', timeout: 60_000 })
          .catch(() => undefined);
        await page.waitForLoadState('networkidle');
        nextPage.push(Date.now() - t1);
        nextBytes = runBytes - bytes;
        apiCalls = [...calls];
        await context.close();
      }
      console.log(
        `${profile.name.padEnd(18)}${`${Math.round(median(fcp))} ms`.padStart(13)}${`${Math.round(median(ready))} ms`.padStart(13)}` +
          `${`${(bytes / 1024).toFixed(0)} KB`.padStart(14)}${String(requests).padStart(11)}   ${Math.round(median(nextPage))} ms, ${(nextBytes / 1024).toFixed(0)} KB` +
          `   (home's API calls: ${apiCalls.join(', ')})`,
      );
    }
    console.log('\nGoals (issue 11): first content ≤ 1 s on localhost, ≤ 3 s on 4G with CPU ×4.');
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  await pg.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(filesDir, { recursive: true, force: true });
}
