// Turns a terminal capture with SGR colour codes (tmux capture-pane -e) into an SVG picture: one
// <text> per row, one <tspan> per run of equal style, background rectangles behind coloured cells.

export interface SvgOptions {
  columns: number;
  rows: number;
  /** Shown in the window bar. */
  title?: string;
}

interface Style {
  fg?: string;
  bg?: string;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
}

interface Cell {
  char: string;
  style: Style;
}

const plain: Style = {bold: false, dim: false, italic: false, underline: false, inverse: false};

/** The 16 basic colours (a dark theme close to the Windows Terminal default). */
const basic = ['#0c0c0c', '#c50f1f', '#13a10e', '#c19c00', '#0037da', '#881798', '#3a96dd', '#cccccc', '#767676', '#e74856', '#16c60c', '#f9f1a5', '#3b78ff', '#b4009e', '#61d6d6', '#f2f2f2'];
const defaultFg = '#cccccc';
const defaultBg = '#0c0c0c';

function color256(index: number): string {
  if (index < 16) return basic[index]!;
  if (index >= 232) {
    const level = 8 + (index - 232) * 10;
    return rgb(level, level, level);
  }
  const cube = index - 16;
  const step = (value: number) => (value === 0 ? 0 : 55 + value * 40);
  return rgb(step(Math.floor(cube / 36)), step(Math.floor(cube / 6) % 6), step(cube % 6));
}

function rgb(red: number, green: number, blue: number): string {
  return `#${[red, green, blue].map(value => value.toString(16).padStart(2, '0')).join('')}`;
}

/** Applies one SGR parameter list to a style. */
export function applySgr(style: Style, parameters: number[]): Style {
  let next = {...style};
  const list = parameters.length === 0 ? [0] : parameters;
  for (let index = 0; index < list.length; index++) {
    const code = list[index]!;
    if (code === 0) next = {...plain};
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 7) next.inverse = true;
    else if (code === 22) next = {...next, bold: false, dim: false};
    else if (code === 23) next.italic = false;
    else if (code === 24) next.underline = false;
    else if (code === 27) next.inverse = false;
    else if (code >= 30 && code <= 37) next.fg = basic[code - 30];
    else if (code === 39) next.fg = undefined;
    else if (code >= 40 && code <= 47) next.bg = basic[code - 40];
    else if (code === 49) next.bg = undefined;
    else if (code >= 90 && code <= 97) next.fg = basic[code - 90 + 8];
    else if (code >= 100 && code <= 107) next.bg = basic[code - 100 + 8];
    else if (code === 38 || code === 48) {
      const mode = list[index + 1];
      let value: string | undefined;
      if (mode === 5) {
        value = color256(list[index + 2] ?? 0);
        index += 2;
      } else if (mode === 2) {
        value = rgb(list[index + 2] ?? 0, list[index + 3] ?? 0, list[index + 4] ?? 0);
        index += 4;
      }
      if (code === 38) next.fg = value;
      else next.bg = value;
    }
  }
  return next;
}

/** The screen as rows of styled cells; other escape sequences are dropped. */
export function parseCapture(text: string, columns: number, rows: number): Cell[][] {
  const screen: Cell[][] = [];
  let style: Style = {...plain};
  for (const line of text.replace(/\r/g, '').split('\n').slice(0, rows)) {
    const cells: Cell[] = [];
    const pattern = /\u001B\[([?>=]?[0-9;:]*)([A-Za-z])|\u001B[()][A-Za-z0-9]|\u001B.|([^\u001B])/gu;
    for (const match of line.matchAll(pattern)) {
      if (match[2] === 'm' && /^[0-9;:]*$/.test(match[1]!)) style = applySgr(style, match[1]!.split(/[;:]/).filter(part => part !== '').map(Number));
      else if (match[3] !== undefined && cells.length < columns) cells.push({char: match[3], style});
    }
    screen.push(cells);
  }
  while (screen.length < rows) screen.push([]);
  return screen;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function sameStyle(a: Style, b: Style): boolean {
  return a.fg === b.fg && a.bg === b.bg && a.bold === b.bold && a.dim === b.dim && a.italic === b.italic && a.underline === b.underline && a.inverse === b.inverse;
}

export function ansiToSvg(capture: string, options: SvgOptions): string {
  const cellWidth = 8.4;
  const lineHeight = 18;
  const fontSize = 14;
  const padding = 12;
  const bar = 28;
  const width = Math.ceil(options.columns * cellWidth + 2 * padding);
  const height = Math.ceil(options.rows * lineHeight + 2 * padding + bar);
  const screen = parseCapture(capture, options.columns, options.rows);
  const backgrounds: string[] = [];
  const texts: string[] = [];
  screen.forEach((cells, row) => {
    const y = bar + padding + row * lineHeight;
    let column = 0;
    const spans: string[] = [];
    while (column < cells.length) {
      const start = column;
      const style = cells[column]!.style;
      while (column < cells.length && sameStyle(cells[column]!.style, style)) column++;
      const run = cells.slice(start, column).map(cell => cell.char).join('');
      const fg = style.inverse ? (style.bg ?? defaultBg) : (style.fg ?? defaultFg);
      const bg = style.inverse ? (style.fg ?? defaultFg) : style.bg;
      const x = padding + start * cellWidth;
      if (bg) backgrounds.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${((column - start) * cellWidth).toFixed(1)}" height="${lineHeight}" fill="${bg}"/>`);
      if (run.trim() === '') continue;
      const attributes = [`x="${x.toFixed(1)}"`, `fill="${fg}"`];
      if (style.bold) attributes.push('font-weight="bold"');
      if (style.dim) attributes.push('fill-opacity="0.6"');
      if (style.italic) attributes.push('font-style="italic"');
      if (style.underline) attributes.push('text-decoration="underline"');
      spans.push(`<tspan ${attributes.join(' ')}>${escapeXml(run)}</tspan>`);
    }
    if (spans.length > 0) texts.push(`<text y="${y + lineHeight - 5}" xml:space="preserve">${spans.join('')}</text>`);
  });
  const title = options.title ? `<text x="${width / 2}" y="19" fill="#9d9d9d" font-size="12" text-anchor="middle">${escapeXml(options.title)}</text>` : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.title ?? 'terminal')}">`,
    `<rect width="${width}" height="${height}" rx="8" fill="${defaultBg}"/>`,
    `<rect width="${width}" height="${bar}" rx="8" fill="#2b2b2b"/><rect y="${bar - 8}" width="${width}" height="8" fill="#2b2b2b"/>`,
    `<circle cx="18" cy="14" r="5" fill="#ff5f56"/><circle cx="34" cy="14" r="5" fill="#ffbd2e"/><circle cx="50" cy="14" r="5" fill="#27c93f"/>`,
    title,
    `<g>${backgrounds.join('')}</g>`,
    `<g font-family="Cascadia Mono, Consolas, DejaVu Sans Mono, monospace" font-size="${fontSize}">${texts.join('')}</g>`,
    '</svg>',
    '',
  ].join('\n');
}
