// What a run was measured on: CPU, cores, memory, OS, Node and V8 versions, the C compiler.
import { arch, cpus, platform, release, totalmem } from 'node:os';
import type { NativeBuild } from './native.js';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly v8: string;
  readonly compiler: string;
  readonly compilerFlags: string;
}

export function machineInfo(build: NativeBuild): MachineInfo {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    v8: process.versions.v8,
    compiler: build.compiler ?? `none (${build.skipped})`,
    compilerFlags: build.flags.join(' '),
  };
}
