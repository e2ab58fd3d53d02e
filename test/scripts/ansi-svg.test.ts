import {describe, expect, it} from 'vitest';
import {ansiToSvg, applySgr, parseCapture} from '../../scripts/ansi-svg.js';

const plain = {bold: false, dim: false, italic: false, underline: false, inverse: false};

describe('ANSI capture to SVG', () => {
  it.each([
    ['bold and a basic colour', [1, 36], {...plain, bold: true, fg: '#3a96dd'}],
    ['256 colours', [38, 5, 196], {...plain, fg: '#ff0000'}],
    ['true colour background', [48, 2, 1, 2, 3], {...plain, bg: '#010203'}],
    ['reset', [0], plain],
    ['bright foreground', [92], {...plain, fg: '#16c60c'}],
  ])('SGR: %s', (_name, parameters, expected) => {
    expect(applySgr({...plain}, parameters as number[])).toEqual(expected);
    expect(applySgr({...plain, bold: true, fg: '#000000'}, [0])).toEqual(plain);
  });

  it('keeps the style across rows and drops other escape sequences', () => {
    const screen = parseCapture('\u001B[31mred\nstill red\u001B[0m\u001B[?25h ok', 20, 3);
    expect(screen[0]!.map(cell => cell.char).join('')).toBe('red');
    expect(screen[1]![0]!.style.fg).toBe('#c50f1f');
    expect(screen[1]!.map(cell => cell.char).join('')).toBe('still red ok');
    expect(screen[1]!.at(-1)!.style.fg).toBeUndefined();
    expect(screen[2]).toEqual([]);
  });

  it('draws one text per row, escapes XML and paints inverse video as a background', () => {
    const svg = ansiToSvg('\u001B[1mA & <B>\u001B[0m\n\u001B[7m sel \u001B[27m', {columns: 20, rows: 2, title: 'test'});
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('font-weight="bold">A &amp; &lt;B&gt;</tspan>');
    expect(svg).toMatch(/<rect x="[\d.]+" y="\d+" width="42.0" height="18" fill="#cccccc"\/>/);
    expect(svg.match(/<text y=/g)).toHaveLength(2);
  });
});
