/**
 * The one progress bar of the console and the commands: `[#####-----]` in ASCII mode,
 * `[█████░░░░░]` otherwise; `width` is the number of cells between the brackets.
 */
export function progressBar(fraction: number, width: number, ascii: boolean): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const cells = Math.max(1, Math.floor(width));
  const filled = Math.round(clamped * cells);
  const [full, empty] = ascii ? ['#', '-'] : ['█', '░'];
  return `[${full.repeat(filled)}${empty.repeat(cells - filled)}]`;
}
