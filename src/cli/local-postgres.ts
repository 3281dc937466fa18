// A throw-away local PostgreSQL server for the fleet demo, the suites and the benchmarks: initdb in
// a temporary folder, a server on a Unix socket in that folder (no TCP port), stopped and removed
// by stop(). The server runs as the unprivileged `postgres` system user when started as root
// (initdb refuses root). Where Debian's binaries are missing, postgresSkipReason() says why.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cluster {
  /** Folder of the data directory and the socket. */
  readonly dir: string;
  /** Connection string of the superuser `postgres` to database `postgres`. */
  readonly url: string;
  /** A connection string for another role and password. */
  urlFor(role: string, password: string): string;
  /** SIGKILLs the server's processes (a crash), leaving the data for restart(). */
  kill(): void;
  /** Starts the server again on the same data directory. */
  restart(): void;
  /** Stops the server and removes the folder. */
  stop(): void;
}

const PORT = 5432;

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, 'bin') : undefined;
}

const asRoot = process.getuid?.() === 0;

function serverUser(): { uid: number; gid: number } | undefined {
  if (!asRoot) return undefined;
  const r = spawnSync('id', ['-u', 'postgres']);
  const g = spawnSync('id', ['-g', 'postgres']);
  if (r.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(r.stdout.toString()), gid: Number(g.stdout.toString()) };
}

/** Why a cluster cannot be started here, or undefined when it can. */
export function postgresSkipReason(): string | undefined {
  if (binDir() === undefined) return 'PostgreSQL server binaries not found (Debian package postgresql: apt-get install -y postgresql)';
  if (asRoot && serverUser() === undefined) return 'running as root and no `postgres` system user to run the server as';
  return undefined;
}

function run(bin: string, args: string[]): void {
  const cmd = join(binDir()!, bin);
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  else execFileSync(cmd, args, { stdio: 'pipe' });
}

/**
 * Starts a fresh cluster (superuser `postgres`, password authentication for other roles).
 * @example
 * const cluster = startCluster();
 * try { ... cluster.url ... } finally { cluster.stop(); }
 */
export function startCluster(): Cluster {
  const reason = postgresSkipReason();
  if (reason) throw new Error(reason);
  const dir = mkdtempSync(join(tmpdir(), 'templock-pg-'));
  chmodSync(dir, 0o700);
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '-E', 'UTF8', '--locale=C']);
  // Other roles log in with a password: trust stays for the superuser only.
  // A standby (startStandby) streams from the superuser's local replication connection.
  execFileSync('sh', ['-c', `printf 'local all postgres trust\\nlocal replication postgres trust\\nlocal all all scram-sha-256\\n' > '${join(data, 'pg_hba.conf')}'`]);
  if (user) chownSync(join(data, 'pg_hba.conf'), user.uid, user.gid);
  return serve(dir, data);
}

/**
 * Starts a hot standby of `primary`: a base backup streamed from it (pg_basebackup -R), serving
 * reads while it replays the primary's changes. Stop it before the primary.
 * @example
 * const standby = startStandby(primary);
 */
export function startStandby(primary: Cluster): Cluster {
  const dir = mkdtempSync(join(tmpdir(), 'templock-pg-standby-'));
  chmodSync(dir, 0o700);
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  run('pg_basebackup', ['-h', primary.dir, '-p', String(PORT), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '--no-sync']);
  return serve(dir, data);
}

function serve(dir: string, data: string): Cluster {
  const start = () => run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-k ${dir} -p ${PORT} -c listen_addresses='' -c fsync=off`, 'start']);
  start();
  const url = `postgres://postgres@/postgres?host=${encodeURIComponent(dir)}&port=${PORT}`;
  return {
    dir,
    url,
    urlFor: (role, password) => `postgres://${encodeURIComponent(role)}:${encodeURIComponent(password)}@/postgres?host=${encodeURIComponent(dir)}&port=${PORT}`,
    kill() {
      // The whole server dies at once, as in a power cut: the postmaster and every child.
      const pid = Number(execFileSync('head', ['-1', join(data, 'postmaster.pid')]).toString());
      const children = spawnSync('pgrep', ['-P', String(pid)]).stdout.toString().split('\n').filter(Boolean).map(Number);
      for (const p of [pid, ...children]) { try { process.kill(p, 'SIGKILL'); } catch { /* already gone */ } }
      const alive = (p: number) => { try { process.kill(p, 0); return true; } catch { return false; } };
      for (let i = 0; i < 200 && [pid, ...children].some(alive); i++) spawnSync('sleep', ['0.02']);
    },
    restart() {
      rmSync(join(data, 'postmaster.pid'), { force: true });
      start();
    },
    stop() {
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
