// Attempt limits (README "Attempt limits and audit log"): how many failed decisions a subject or a
// source (terminal, camera) may have before it must wait (exponential back-off) and, after a number
// of back-off rounds, before it is locked out until an operator clears it. Pure state transitions;
// the state itself persists in the store (access-ledger.ts).
import { TemplockError } from '../errors.js';
import { aInt } from '../validate.js';
import type { AttemptState } from './access-ledger.js';

/** The limits of failed decisions of one key (a subject, or a source). */
export interface AttemptPolicy {
  /** Failures within the window before back-off begins, 1..1000. */
  readonly maxFailures: number;
  /** A failure is forgotten when this many milliseconds pass without another one, 1 s .. 30 days. */
  readonly windowMs: number;
  /** The first back-off, in milliseconds; each further failure doubles it. */
  readonly backoffBaseMs: number;
  /** The longest back-off, in milliseconds, backoffBaseMs .. windowMs. */
  readonly backoffMaxMs: number;
  /** Back-off rounds before the next failure locks the key out until an operator clears it, 0..1000. */
  readonly lockoutAfter: number;
}

/**
 * The default limits: 5 failures within 15 minutes, then back-off of 1 s doubling per further
 * failure (1, 2, 4, 8, 16 s, at most 5 minutes), and after 5 back-off rounds the 10th failure locks
 * the key out until an operator clears it. So at most 9 failures per 15 minutes per subject and
 * per source without a lock-out.
 */
export const DEFAULT_ATTEMPT_POLICY: AttemptPolicy = Object.freeze({
  maxFailures: 5,
  windowMs: 15 * 60_000,
  backoffBaseMs: 1000,
  backoffMaxMs: 5 * 60_000,
  lockoutAfter: 5,
});

const DAY_MS = 86_400_000;

/** Asserts a policy given as changes to the defaults; returns the full, frozen policy. */
export function _aAttemptPolicy(name: string, value: unknown): AttemptPolicy {
  if (value === undefined) return DEFAULT_ATTEMPT_POLICY;
  if (typeof value !== 'object' || value === null) throw new TypeError(`"${name}" expected object, got ${value === null ? 'null' : typeof value}`);
  const p = { ...DEFAULT_ATTEMPT_POLICY, ...(value as Partial<AttemptPolicy>) };
  aInt(`${name}.maxFailures`, p.maxFailures, 1, 1000);
  aInt(`${name}.windowMs`, p.windowMs, 1000, 30 * DAY_MS);
  aInt(`${name}.backoffBaseMs`, p.backoffBaseMs, 1, p.windowMs);
  aInt(`${name}.backoffMaxMs`, p.backoffMaxMs, p.backoffBaseMs, p.windowMs);
  aInt(`${name}.lockoutAfter`, p.lockoutAfter, 0, 1000);
  return Object.freeze({ maxFailures: p.maxFailures, windowMs: p.windowMs, backoffBaseMs: p.backoffBaseMs, backoffMaxMs: p.backoffMaxMs, lockoutAfter: p.lockoutAfter });
}

/** LOCKED_OUT when the state refuses an attempt at `now` (saying how long to wait, nothing else). */
export function _refusal(state: AttemptState | undefined, now: number): TemplockError | undefined {
  if (!state) return undefined;
  if (state.locked) return new TemplockError('LOCKED_OUT', 'locked out after too many failed attempts: an operator must clear it');
  if (now < state.blockedUntil)
    return new TemplockError('LOCKED_OUT', `too many failed attempts: try again in ${Math.ceil((state.blockedUntil - now) / 1000)} s`);
  return undefined;
}

/** The state after one more failure at `now`. */
export function _afterFailure(state: AttemptState | undefined, policy: AttemptPolicy, now: number): AttemptState {
  const fresh = !state || (!state.locked && now - state.lastFailureAt > policy.windowMs);
  const failures = (fresh ? 0 : state.failures) + 1;
  const round = failures - policy.maxFailures + 1;
  if (round <= 0) return { failures, lastFailureAt: now, blockedUntil: 0, locked: false };
  if (round > policy.lockoutAfter) return { failures, lastFailureAt: now, blockedUntil: 0, locked: true };
  const backoff = Math.min(policy.backoffBaseMs * 2 ** (round - 1), policy.backoffMaxMs);
  return { failures, lastFailureAt: now, blockedUntil: now + backoff, locked: false };
}
