// `templock enroll --id ID --image FILE`: detects the face, protects it under the terminal's key
// and current salt epoch, and stores the sealed template (in the terminal's database, or with
// --store at a desk in the central store); the raw embedding never leaves memory.
import { TemplockError } from '../../errors.js';
import type { Command } from '../command.js';
import { openCentralDesk, redactedUrl, STORE_HELP, STORE_OPTIONS, storeUrlOption } from './central-store.js';
import { captureFace, COMMON_HELP, COMMON_OPTIONS, emit, FACE_HELP, FACE_OPTIONS, faceRequest, epochSalt, terminalRuntime, withSession } from './terminal-session.js';

export const enrollCommand: Command = {
  name: ['enroll'],
  summary: 'Enrol a resident from a photo (protected template, sealed in the store)',
  help: `--id ID --image FILE [options]
  Detects the face in FILE, protects it (the raw embedding is zero-filled) and stores the
  protected template, sealed, under ID. An ID that is enrolled already is refused (use reissue).
  With --store (a desk), the sealed template goes to the central store, and every terminal
  following it (\`templock sync\`) receives it.
  --id ID           resident id (1..255 bytes of UTF-8)
${FACE_HELP}
${STORE_HELP}
${COMMON_HELP}`,
  options: { id: { type: 'string' }, ...FACE_OPTIONS, ...STORE_OPTIONS, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const { id, image, face } = faceRequest(values);
    const url = storeUrlOption(values);
    return withSession(values, async (s) => {
      const desk = url === undefined ? undefined : await openCentralDesk(url, s.terminal.ring, s.terminal.settings.tenant);
      try {
        const enrolled = desk ? await desk.has(id) : s.store.list().some((r) => r.subjectId === id);
        if (enrolled) throw new TemplockError('DUPLICATE_ID', `"${id}" is enrolled already: use \`templock reissue\` to replace the template`);
        const epoch = s.terminal.settings.epochs.length - 1;
        const t0 = performance.now();
        const captured = await captureFace(s, image, [epochSalt(s.terminal)], face, io);
        if (desk) await desk.put(id, captured.template);
        else s.store.put(id, captured.template);
        const ms = Math.round(performance.now() - t0);
        const runtime = await terminalRuntime();
        const where = url === undefined ? s.db : redactedUrl(url);
        emit(io, values, { enrolled: id, epoch, ...(url === undefined ? { db: s.db } : { store: where }), ms, runtime }, [`enrolled "${id}" (salt epoch ${epoch}) into ${where} in ${ms} ms (${runtime})`]);
        return 0;
      } finally {
        await desk?.close();
      }
    }, io);
  },
};
