// `templock` entry point: finds the verb-noun subcommand, parses its options, prints --help and
// --version, maps errors to their exit status (exit-status.ts) with a message that never carries
// secret or biometric data: on stderr, and with --json also as one JSON object on stdout.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TemplockError } from '../errors.js';
import type { Command, Io } from './command.js';
import { COMMANDS } from './commands/index.js';
import { _failureOf, EXIT } from './exit-status.js';

/** The usage text of `commands` (all of them, or one group such as `keys`). */
function usage(commands: readonly Command[] = COMMANDS, group = '<command>'): string {
  const width = Math.max(...commands.map((c) => c.name.join(' ').length), 4);
  const lines = commands.map((c) => `  templock ${c.name.join(' ').padEnd(width)}  ${c.summary}`);
  const statuses = 'Exit status: 0 accepted or done, 1 rejected (no match, not enrolled, revoked, locked out),\n  2 usage, 3 keys, 4 store or data, 5 image, 6 runtime.';
  return [`Usage: templock ${group} [options]   (--help on any command, --version)`, '', 'Commands:', ...lines, '', statuses].join('\n');
}

/** The version of this package. */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The command named by the leading words of argv, longest match first. */
function findCommand(argv: readonly string[]): Command | undefined {
  return [...COMMANDS]
    .sort((a, b) => b.name.length - a.name.length)
    .find((c) => c.name.every((w, i) => argv[i] === w));
}

/** m:ss of a number of seconds. */
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/**
 * Process-stream Io: progress rewrites one stderr line on a TTY (a bar, and once a step is done
 * the time left at the pace so far) and is silent otherwise.
 */
export function processIo(quiet: boolean): Io {
  let started = 0, lastTotal = -1;
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    progress(done, total, label) {
      if (quiet || !process.stderr.isTTY) return;
      const now = performance.now();
      if (total !== lastTotal || done === 0) { started = now; lastTotal = total; }
      const width = 30;
      const filled = total > 0 ? Math.round((done / total) * width) : 0;
      const eta = done > 0 && done < total ? `  eta ${clock((((now - started) / 1000) / done) * (total - done))}` : '';
      process.stderr.write(`\r\x1b[K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${eta}`);
      if (done >= total) process.stderr.write('\n');
    },
  };
}

/** Runs the CLI on argv (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io?: Io): Promise<number> {
  const json = argv.includes('--json');
  const sink = io ?? processIo(json);
  const help = argv.includes('--help') || argv.includes('-h');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    sink.out(usage());
    return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    sink.out(json ? JSON.stringify({ version: version() }) : `templock ${version()}`);
    return EXIT.OK;
  }
  const cmd = findCommand(argv);
  /** Reports a failure on stderr (and stdout with --json) and returns its exit status. */
  const fail = (what: string, e: unknown): number => {
    const { status, code } = _failureOf(e);
    const message = e instanceof Error ? e.message : String(e);
    sink.err(`${what}: ${e instanceof TemplockError ? `${code}: ` : ''}${message}`);
    if (json) sink.out(JSON.stringify({ error: { code, message }, exit: status }));
    return status;
  };
  if (!cmd) {
    const group = COMMANDS.filter((c) => c.name.length > 1 && c.name[0] === argv[0]);
    if (group.length > 0 && (help || argv.length === 1)) {
      if (help) sink.out(usage(group, `${argv[0]} <command>`));
      else sink.err(usage(group, `${argv[0]} <command>`));
      return help ? EXIT.OK : EXIT.USAGE;
    }
    const status = fail('templock', new RangeError(`unknown command "${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}" (templock --help lists them)`));
    if (!json) sink.err(`\n${usage()}`);
    return status;
  }
  const rest = argv.slice(cmd.name.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    sink.out(`Usage: templock ${cmd.name.join(' ')} ${cmd.help}`);
    return EXIT.OK;
  }
  const what = `templock ${cmd.name.join(' ')}`;
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: cmd.options, allowPositionals: cmd.positionals ?? false, strict: true });
  } catch (e) {
    return fail(what, new TypeError((e as Error).message));
  }
  try {
    return await cmd.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals, sink);
  } catch (e) {
    return fail(what, e);
  }
}
