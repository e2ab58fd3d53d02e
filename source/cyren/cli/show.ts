import type {ConsoleContext} from '../../context.js';
import {ExitCode} from '../../errors.js';
import {writeJson} from '../../commands/parse.js';
import type {CommandIo} from '../../commands/types.js';
import {summarize, type ProxyOverview} from '../proxy-files.js';
import {loadFiles, out, type Values} from './shared.js';

export function printOverview(io: CommandIo, overview: ProxyOverview): void {
  out(io, `CYREN proxy settings in ${overview.folder}`);
  for (const file of overview.files) {
    const where = file.server ? `${file.server}:${file.port ?? '?'}` : '';
    const auth = file.auth ? `auth ${file.auth}` : '';
    const user = file.user ? `user ${file.user}` : '';
    const password = file.auth?.toLowerCase() === 'basic' || file.passwordSet ? `password ${file.passwordSet ? 'set' : 'not set'}` : '';
    out(io, `  ${file.file.padEnd(11)} ${file.status.padEnd(9)} ${[where, auth, user, password].filter(Boolean).join('  ')}`.trimEnd());
    out(io, `  ${''.padEnd(11)} ${file.encoding}, ${file.lineEndings} line endings`);
    for (const warning of file.warnings) out(io, `  ${''.padEnd(11)} ! ${warning}`);
  }
  for (const missing of overview.missing) out(io, `  ${missing.file.padEnd(11)} missing   ${missing.explanation}`);
  if (!overview.agree) {
    out(io, 'The files disagree:');
    for (const line of overview.disagreements) out(io, `  - ${line}`);
  }
}

export async function show(context: ConsoleContext, io: CommandIo, values: Values): Promise<number> {
  const overview = summarize(await loadFiles(context));
  if (values.json) writeJson(io.stdout, overview);
  else printOverview(io, overview);
  return ExitCode.ok;
}
