// The SQLite driver check: better-sqlite3 12 and 13 are accepted where they run (13 needs Node
// 22, and on Node 20 would crash the process), other majors and 13 on Node 20 are refused with
// BACKEND_UNAVAILABLE naming what to install; the peer range admits both majors; the installed
// driver loads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplockError } from '../../src/index.js';
import { _checkDriver, _driver } from '../../src/storage/sqlite/driver.js';
import { PROJECT_ROOT } from '../_lib/shared.js';

function refusal(driver: string, node: string): TemplockError {
  try {
    _checkDriver(driver, node);
  } catch (e) {
    assert.instance(e, TemplockError);
    assert.is((e as TemplockError).code, 'BACKEND_UNAVAILABLE');
    return e as TemplockError;
  }
  throw new assert.Assertion({ message: `better-sqlite3 ${driver} on Node ${node} was accepted`, generated: false, operator: 'throws', expects: 'throw', actual: 'none' });
}

test('better-sqlite3 12 runs on Node 20 and 22, 13 on Node 22 and later', () => {
  for (const [driver, node] of [['12.11.1', '20.19.0'], ['12.0.0', '22.12.0'], ['13.2.0', '22.12.0'], ['13.0.0', '24.1.0']] as const) _checkDriver(driver, node);
});

test('better-sqlite3 13 on Node 20 is refused before loading, naming version 12', () => {
  const e = refusal('13.2.0', '20.20.2');
  assert.match(e.message, 'needs Node 22 or later');
  assert.match(e.message, 'better-sqlite3@12');
});

test('unsupported majors are refused', () => {
  for (const v of ['11.10.0', '14.0.0', 'x']) assert.match(refusal(v, '22.12.0').message, 'install better-sqlite3 12 or 13');
});

test('the peer range admits both supported majors', () => {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
  assert.is(pkg.peerDependencies['better-sqlite3'], '^12.0.0 || ^13.0.0');
});

test('the installed driver loads', () => {
  const Driver = _driver();
  const db = new Driver(':memory:');
  assert.is((db.prepare('select 1 as one').get() as { one: number }).one, 1);
  db.close();
});

test.run();
