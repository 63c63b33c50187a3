// Installs dependencies when they are missing or older than package.json / package-lock.json,
// so `npm start` and `npm test` work on a fresh clone with only Node and npm.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';

const stamp = 'node_modules/.cunju-deps';
const hash = createHash('sha256');
for (const f of ['package.json', 'package-lock.json']) if (existsSync(f)) hash.update(readFileSync(f));
const want = hash.digest('hex');
const have = existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';

if (want !== have) {
  console.log('[deps] installing dependencies (npm install)…');
  // `npm ci` fails on Taro's lockfile (optional platform packages), so install.
  execSync('npm install --no-audit --no-fund', { stdio: 'inherit' });
  writeFileSync(stamp, want);
}
