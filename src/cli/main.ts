// `templock` entry point: finds the verb-noun subcommand, parses its options, prints --help,
// maps errors to exit code 1 with a message that never carries secret or biometric data.
import { parseArgs } from 'node:util';
import { TemplockError } from '../errors.js';
import type { Command, Io } from './command.js';
import { COMMANDS } from './commands/index.js';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.join(' ').length), 4);
  const lines = COMMANDS.map((c) => `  templock ${c.name.join(' ').padEnd(width)}  ${c.summary}`);
  return ['Usage: templock <command> [options]   (--help on any command)', '', 'Commands:', ...lines].join('\n');
}

/** The command named by the leading words of argv, longest match first. */
function findCommand(argv: readonly string[]): Command | undefined {
  return [...COMMANDS]
    .sort((a, b) => b.name.length - a.name.length)
    .find((c) => c.name.every((w, i) => argv[i] === w));
}

/** Process-stream Io: progress rewrites one stderr line on a TTY and is silent otherwise. */
export function processIo(quiet: boolean): Io {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    progress(done, total, label) {
      if (quiet || !process.stderr.isTTY) return;
      const width = 30;
      const filled = total > 0 ? Math.round((done / total) * width) : 0;
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      if (done >= total) process.stderr.write('\n');
    },
  };
}

/** Runs the CLI on argv (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io?: Io): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (io ?? processIo(false)).out(usage());
    return argv.length === 0 ? 1 : 0;
  }
  const cmd = findCommand(argv);
  const sink = io ?? processIo(argv.includes('--json'));
  if (!cmd) {
    sink.err(`templock: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${usage()}`);
    return 1;
  }
  const rest = argv.slice(cmd.name.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    sink.out(`Usage: templock ${cmd.name.join(' ')} ${cmd.help}`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: cmd.options, allowPositionals: cmd.positionals ?? false, strict: true });
  } catch (e) {
    sink.err(`templock ${cmd.name.join(' ')}: ${(e as Error).message}`);
    return 1;
  }
  try {
    return await cmd.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals, sink);
  } catch (e) {
    if (e instanceof TemplockError) sink.err(`templock ${cmd.name.join(' ')}: ${e.code}: ${e.message}`);
    else if (e instanceof TypeError || e instanceof RangeError) sink.err(`templock ${cmd.name.join(' ')}: ${e.message}`);
    else sink.err(`templock ${cmd.name.join(' ')}: ${(e as Error)?.message ?? String(e)}`);
    return 1;
  }
}
