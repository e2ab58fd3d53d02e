import {wrapWords} from '../text/wrap.js';
import type {HealthLine, HealthReport} from '../../source/health/types.js';
import {statusMark, type Status} from '../layout.js';

/** The health statuses in the console's one status vocabulary (the marks every screen uses). */
export const healthStatus: Record<HealthLine['status'], Status> = {ok: 'ok', attention: 'failed', info: 'skipped', unknown: 'unknown'};

/** One screen row of the report: an optional status mark (coloured on its own), then text. */
export interface HealthRow {
  /** Spaces before the mark or the text. */
  indent: number;
  status?: Status;
  text: string;
  dim?: boolean;
  bold?: boolean;
}

/**
 * The report as rows for the screen, in the same order as the command-line text: each section, its
 * lines with their mark (`[ok]` `[!!]` `[--]` `[??]` in ASCII mode, ✔ ✖ – ? otherwise), what to do
 * next under a line that needs it, then the summary.
 */
export function healthRows(report: HealthReport, ascii: boolean): HealthRow[] {
  const rows: HealthRow[] = [];
  // "next:" lines start under the text of the line they belong to.
  const textColumn = 2 + statusMark('ok', ascii).length + 1;
  for (const section of report.sections) {
    rows.push({indent: 0, text: `${section.title}:`, bold: true});
    for (const line of section.lines) {
      rows.push({indent: 2, status: healthStatus[line.status], text: line.text});
      if (line.next && line.status !== 'ok') rows.push({indent: textColumn, text: `next: ${line.next}${line.screen ? ` [${line.screen}]` : ''}`, dim: true});
    }
  }
  const attention = report.sections.flatMap(section => section.lines).filter(line => line.status === 'attention').length;
  rows.push({indent: 0, text: ''});
  rows.push(attention > 0 ? {indent: 0, status: 'failed', text: `${attention} thing${attention === 1 ? '' : 's'} need${attention === 1 ? 's' : ''} attention.`} : {indent: 0, status: 'ok', text: 'Nothing needs attention.'});
  rows.push({indent: 0, text: `Checked in ${report.durationMs} ms.`, dim: true});
  return rows;
}

/**
 * The rows as the screen draws them, each at most `columns - 1` wide: a long line wraps under its own
 * text (the mark stays on its first row), so paging counts what is really drawn and nothing is cut.
 */
export function wrapHealthRows(rows: readonly HealthRow[], columns: number, ascii: boolean): HealthRow[] {
  return rows.flatMap(row => {
    const markWidth = row.status ? statusMark(row.status, ascii).length + 1 : 0;
    const room = Math.max(10, columns - 1 - row.indent - markWidth);
    const pieces = row.text === '' ? [''] : wrapWords(row.text, room);
    return pieces.map((text, index) => (index === 0 ? {...row, text} : {indent: row.indent + markWidth, text, dim: row.dim, bold: row.bold}));
  });
}
