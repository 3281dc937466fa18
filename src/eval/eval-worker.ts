// A worker thread of the evaluation (eval-pool.ts): initialises the kernel backend the
// evaluating thread uses, then runs the jobs it is sent (eval-jobs.ts) and posts each result.
import { parentPort, workerData } from 'node:worker_threads';
import { init, type Backend } from '../match/loader.js';
import { _InstanceCache, _runEvalJob, type _EvalJob } from './eval-jobs.js';

const { backend } = workerData as { backend: Backend | undefined };
if (backend) await init({ backend });
const cache = new _InstanceCache();
parentPort!.on('message', ({ id, job }: { id: number; job: _EvalJob }) => {
  try {
    const result = _runEvalJob(job, cache);
    const bytes = ArrayBuffer.isView(result) ? result.buffer : result.embedding.buffer;
    parentPort!.postMessage({ id, result }, [bytes as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
