import {confirmOrRefuse} from '../commands/confirm.js';
import type {CommandIo} from '../commands/types.js';

/**
 * Asks a yes/no question on the terminal. --yes answers it in advance; without a terminal on
 * stdin (scripts) and without --yes it is a usage error, so nothing changes unasked.
 */
export function confirm(io: CommandIo, question: string, yes: boolean): Promise<boolean> {
  return confirmOrRefuse(io, question, {yes, refusal: `${question.replace(/\?$/, '')}: confirmation needed. Run it in a terminal, or add --yes.`, promptTo: io.stdout});
}

export function writeLines(stream: NodeJS.WritableStream, lines: readonly string[]): void {
  stream.write(`${lines.join('\n')}\n`);
}
