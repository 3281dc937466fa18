// The shape of a `templock` subcommand: verb-noun name, help text, options (node:util parseArgs)
// and a run function that returns the exit code. Output goes through `Io` so tests capture it.
import type { ParseArgsConfig } from 'node:util';

/** Where a command writes; the CLI passes process streams, tests pass buffers. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Progress on long work (stderr, rewritten in place on a terminal); silent when --json. */
  progress(done: number, total: number, label: string): void;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Command {
  /** Words after `templock`, e.g. ['vectors', 'verify']. */
  readonly name: readonly string[];
  readonly summary: string;
  /** Usage lines and option descriptions shown by --help. */
  readonly help: string;
  readonly options: OptionSpec;
  /** Whether positional arguments are accepted. */
  readonly positionals?: boolean;
  run(values: OptionValues, positionals: string[], io: Io): Promise<number>;
}
