import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib/migrate.js';
import { buildMiniapp } from './lib/miniapp-build.js';

// `npm test`: lint and format check, type checks, both mini-program builds (the browser journeys use H5, the budget check weapp),
// then every test in one vitest run. Prints `N passed, N failed, N skipped` at the end.
const t0 = Date.now();
const step = (m: string) => console.log(`\n[test] ${m}`);

if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  console.warn('[test] Chromium not found at /usr/bin/chromium: browser journeys will be skipped (apt-get install -y chromium).');
}

step('lint and format (biome check)…');
{
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/@biomejs/biome/bin/biome'), 'check', '--diagnostic-level=error', '.'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.log('\n[test] biome found errors: `npm run format` fixes formatting; the rest is listed above.');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

step('type checking (api, scripts, tests, miniapp)…');
for (const project of ['tsconfig.json', 'miniapp/tsconfig.json']) {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) {
    console.log('\n0 passed, 1 failed');
    process.exit(1);
  }
}

step('building the mini-program (h5, weapp; skipped when unchanged)…');
for (const target of ['h5', 'weapp'] as const) {
  const b = buildMiniapp(target);
  console.log(`[test] ${target}: ${b.built ? `built in ${(b.ms / 1000).toFixed(1)} s` : 'up to date'}`);
}

step('running vitest…');
mkdirSync(path.join(repoRoot, '.test-output'), { recursive: true });
const results = path.join(repoRoot, '.test-output/vitest.json');
const run = spawnSync(
  process.execPath,
  [
    path.join(repoRoot, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${results}`,
    ...process.argv.slice(2),
  ],
  {
    cwd: repoRoot,
    stdio: 'inherit',
  },
);

// Judge by the report as well as the exit code: a failure must never end as success.
let failed = run.status !== 0;
let summary = '0 passed, 1 failed';
if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, 'utf8')) as {
    success: boolean;
    numPassedTests: number;
    numFailedTests: number;
    numFailedTestSuites: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  summary = `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`;
  failed ||= !r.success || r.numFailedTests > 0 || r.numFailedTestSuites > 0;
} else {
  failed = true;
}
console.log(`\n[test] done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(summary);
process.exit(failed ? 1 : 0);
