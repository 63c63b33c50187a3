/**
 * Smoke test of the compiled WeChat build (miniapp/dist): every page of app.json — main package and every
 * subpackage — is opened in a simulated WeChat logic layer (test/weapp-runtime.ts), signed in as a persona,
 * with its requests answered by the real API on its own database.
 *
 * What it simulates: WeChat's module loading (`require` per file, subpackage boundaries, webpack's chunk
 * registry on `wx`), the JS globals WeChat has and the ones it lacks (no window/document/fetch/URL/eval; use of
 * Taro's window/document stand-ins counts as a DOM API), App/Page lifecycles (onLaunch, onLoad, onShow, onReady,
 * onHide, onUnload), `setData` (merged and recorded), `wx.request` against the test server, storage, and the
 * `wx` UI/navigation APIs as recording no-ops (navigation targets are checked against app.json and the tab bar).
 *
 * What it does not: render WXML (base.wxml and the `comp` wrapper never run), run the view layer or CSS, tap
 * anything, or reproduce WeChat's real APIs, permissions, domain whitelist or device quirks. A page passes when it
 * loads, renders something (setData with content) and settles without an error; what it shows is the H5
 * journeys' business.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { depsFromEnv } from '../../api/_lib/app.js';
import { startServer } from '../../scripts/serve.js';
import { repoRoot } from '../../scripts/lib/migrate.js';
import { testDb } from '../../test/db.js';
import { TEST_JWT_SECRET } from '../../test/api.js';
import { community } from '../../test/personas.js';
import { WeappRuntime, allPages, readAppJson, type PageRun } from '../../test/weapp-runtime.js';

// WEAPP_DIST: another weapp build to check (e.g. one compiled with TARO_APP_API_BASE for a device).
const dist = process.env.WEAPP_DIST ? path.resolve(process.env.WEAPP_DIST) : path.join(repoRoot, 'miniapp/dist');
const built = existsSync(path.join(dist, 'app.json'));
if (!built) {
  console.warn(
    `\n[weapp-smoke] ${path.join(dist, 'app.json')} not found: the weapp smoke test is SKIPPED. Build it with "npm test" or ` +
      '"cd miniapp && node ../node_modules/@tarojs/cli/bin/taro build --type weapp".\n',
  );
}

const PERSONA = 'committee';
const TOKEN_KEY = 'cunju.token'; // miniapp/src/api/client.ts

// Seeded ids (seeds/*.sql) for pages that open one record.
const seeded = {
  notice: 'a1000000-0000-4000-8000-000000000001',
  activity: 'b2000000-0000-4000-8000-000000000003', // upcoming
  organizedActivity: 'b2000000-0000-4000-8000-000000000001', // organised by the committee persona
  goods: 'c1000000-0000-4000-8000-000000000001',
  serviceItem: 'd1000000-0000-4000-8000-000000000001', // online application
  bookableItem: 'd1000000-0000-4000-8000-000000000002', // taken by appointment
  case: 'd2000000-0000-4000-8000-000000000001',
  topic: 'e3000000-0000-4000-8000-000000000001',
  poll: 'e4000000-0000-4000-8000-000000000001',
  report: 'f1000000-0000-4000-8000-000000000002', // a 随手拍 in 春晖社区 (the committee sees the community's)
  dispute: 'f4000000-0000-4000-8000-000000000001',
};

/** The query each page is opened with, as a link, share card or QR code would give it. */
const queries: Record<string, Record<string, string>> = {
  'packages/volunteer/activity/index': { id: seeded.activity },
  'packages/volunteer/organize/index': { id: seeded.organizedActivity },
  'packages/affairs/topic/index': { id: seeded.topic },
  'packages/affairs/poll/index': { id: seeded.poll },
  'packages/hall/item/index': { id: seeded.serviceItem },
  'packages/hall/apply/index': { id: seeded.serviceItem },
  'packages/hall/case/index': { id: seeded.case },
  'packages/hall/book/index': { id: seeded.bookableItem },
  'packages/mall/goods/index': { id: seeded.goods },
  'packages/notices/detail/index': { id: seeded.notice },
  'packages/notices/stats/index': { id: seeded.notice },
  'packages/notices/poster/index': { id: seeded.notice },
  'packages/notices/manage/index': { communityId: community.chunhui },
  'packages/staff/verifications/index': { communityId: community.chunhui },
  'packages/grid/report/index': { id: seeded.report },
  'packages/grid/dispute/index': { id: seeded.dispute },
  'packages/admin/community/index': { id: community.chunhui },
  'packages/admin/import/index': { id: community.chunhui },
  'packages/admin/staff/index': { id: community.chunhui },
  'packages/admin/residents/index': { id: community.chunhui },
  'packages/admin/dashboard/index': { id: community.chunhui },
  'packages/public/chain/index': { community: community.chunhui },
};

/** Pages that show a message instead of content in weapp on purpose. */
const expectedMessage: Record<string, string> = {
  'packages/notices/poster/index': '请在电脑浏览器中打开', // printing is H5-only
};

const TEMPLATE_LEVELS = 12;

interface Node {
  cn?: Node[];
  v?: string;
  cl?: string;
  [k: string]: unknown;
}

/** The text and class names of Taro's render tree as the page's setData left it. */
function readTree(data: Record<string, unknown>) {
  const texts: string[] = [];
  const classes: string[] = [];
  let nodes = 0;
  let depth = 0;
  const walk = (n: Node | undefined, level = 1) => {
    if (!n || typeof n !== 'object') return;
    nodes++;
    depth = Math.max(depth, level);
    if (typeof n.v === 'string' && n.v.trim()) texts.push(n.v.trim());
    if (typeof n.cl === 'string') classes.push(...n.cl.split(/\s+/));
    for (const c of n.cn ?? []) walk(c, level + 1);
  };
  for (const c of (data.root as Node | undefined)?.cn ?? []) walk(c);
  return { texts, classes, nodes, depth };
}

describe.skipIf(!built)('weapp build runs in a simulated WeChat runtime', () => {
  const pages = built ? allPages(readAppJson(dist)) : [];
  let db: Awaited<ReturnType<typeof testDb>>;
  let server: Awaited<ReturnType<typeof startServer>>;
  let token = '';
  const notes = new Set<string>();

  beforeAll(async () => {
    db = await testDb();
    server = await startServer(depsFromEnv({ NODE_ENV: 'test', DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent', DEV_LOGIN: 'on' }), 0);
    const res = await fetch(`${server.url}/api/auth/dev`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona: PERSONA }),
    });
    expect(res.status).toBe(200);
    token = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => {
    for (const n of notes) console.warn(`[weapp-smoke] note: ${n}`);
    await server?.close();
    await db?.close();
  });

  it('lists pages in app.json', () => {
    expect(pages.length).toBeGreaterThan(5);
  });

  it.each(pages)('%s', async (route) => {
    const rt = new WeappRuntime({ distDir: dist, apiOrigin: server.url, storage: { [TOKEN_KEY]: token } });
    let run: PageRun;
    try {
      run = await rt.openPage(route, queries[route] ?? {});
    } finally {
      rt.close();
    }
    for (const n of rt.notes) notes.add(n);
    const tree = readTree(run.data);
    const problems = [...run.errors];
    const failed = run.requests.filter((r) => r.status >= 500 || r.status === 0);
    for (const r of failed) problems.push(`request ${r.method} ${r.path} → ${r.status || 'no answer'}`);
    // base.wxml holds one template set per nesting level (mini.baseLevel in miniapp/config/index.ts).
    if (tree.depth > TEMPLATE_LEVELS)
      problems.push(`nested ${tree.depth} levels deep, past the ${TEMPLATE_LEVELS} compiled template levels (flatten the page or raise mini.baseLevel)`);
    if (run.setDataCalls === 0) problems.push('setData was never called: the page rendered nothing');
    else if (tree.nodes === 0 || tree.texts.length === 0) problems.push('the page rendered no text');
    const expected = expectedMessage[route];
    if (tree.classes.includes('state-error') && !(expected && tree.texts.some((t) => t.includes(expected)))) {
      problems.push(`the page shows an error state: ${tree.texts.join(' | ').slice(0, 200)}`);
    }
    if (tree.texts.length > 0 && tree.texts.every((t) => t.startsWith('正在加载') || t.startsWith('请先登录'))) {
      problems.push(`the page is still loading after settling: ${tree.texts.join(' | ')}`);
    }
    const statuses = run.requests.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`).join(', ');
    const refused = run.requests.filter((r) => r.status >= 400 && r.status < 500).map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`);
    const counts = new Map<string, number>();
    for (const c of run.wxCalls) if (!/^(on|off)[A-Z]/.test(c.api)) counts.set(c.api, (counts.get(c.api) ?? 0) + 1);
    const wxSummary = [...counts].map(([api, n]) => (n > 1 ? `${api}×${n}` : api)).join(', ');
    console.log(
      `[weapp-smoke] ${problems.length ? 'FAIL' : 'ok  '} ${route.padEnd(36)} depth ${String(tree.depth).padStart(2)}  setData ${String(run.setDataCalls).padStart(2)}  requests ${String(run.requests.length).padStart(2)}  ${String(run.ms).padStart(4)} ms  ` +
        `"${tree.texts.slice(0, 4).join(' / ').slice(0, 60)}"${wxSummary ? `  wx: ${wxSummary}` : ''}${refused.length ? `  refused: ${refused.join(', ')}` : ''}` +
        `${problems.length ? `\n  requests: ${statuses}\n  ${problems.join('\n  ')}` : ''}`,
    );
    expect(problems).toEqual([]);
  });
});
