// Benchmark suite contract: a suite file bench/<name>.bench.ts default-exports a Suite, a list
// of workloads, each measured through several implementations (variants). The variants named
// `baseline` (plain JS) and `native` (C ceiling) are the references every other variant of the
// workload is compared with.

/** One implementation of a workload. */
export interface Impl {
  /** Shown in the table: `baseline`, `native`, `js`, `wasm`, `wasm-scalar`, ... */
  readonly variant: string;
  /** The timed operation; its return value is kept alive so the work is not optimised away. */
  readonly fn: () => unknown;
  /** `fn` returns a Promise (timed with the benchmark package's deferred mode). */
  readonly async?: boolean;
  /** Ops done by one call of `fn` (e.g. a batch); medians and throughputs are per op. */
  readonly opsPerCall?: number;
  /** Maps the first call's return value to the form compared across variants. */
  readonly output?: (value: unknown) => unknown;
  /** Runs before this impl is timed (e.g. selects its backend with `await init({ backend })`). */
  readonly prepare?: () => void | Promise<void>;
}

/** A variant that cannot run here (a peer library that did not install): shown as a row with the reason. */
export interface Unavailable {
  readonly variant: string;
  readonly unavailable: string;
}

/** One task measured across its implementations. */
export interface Workload {
  /** Unique in the suite; kernels named <metric>_<dtype> as in WASM and JS. */
  readonly name: string;
  /** Bytes read per op: gives GB/s and the share of the machine's read bandwidth. */
  readonly bytes?: number;
  /** Items per op (templates, embeddings, records): gives items/s. */
  readonly items?: number;
  readonly itemUnit?: string;
  /** Builds the inputs (big data lives only between setup and teardown). */
  readonly setup?: () => void | Promise<void>;
  readonly teardown?: () => void | Promise<void>;
  /** The implementations, built after setup; unavailable ones are listed with their reason. */
  readonly impls: () => readonly (Impl | Unavailable)[] | Promise<readonly (Impl | Unavailable)[]>;
  /** Whether two outputs agree; default deep equality. */
  readonly equal?: (a: unknown, b: unknown) => boolean;
  /** Samples at least (default 6) and seconds of sampling per impl (default 3), over all rounds. */
  readonly minSamples?: number;
  readonly maxTimeSeconds?: number;
}

export interface Suite {
  readonly name: string;
  readonly workloads: readonly Workload[];
  /** The matching backend the suite ran on (e.g. `wasm-simd`), read after its workloads. */
  readonly backend?: () => string | undefined;
}

/** Identity helper that type-checks a suite definition. */
export function defineSuite(suite: Suite): Suite {
  return suite;
}
