import {describe, expect, it} from 'vitest';
import {wrapWords, wrappedHeight} from '../../components/text/wrap.js';

describe('wrapWords', () => {
  it.each([
    ['words move to the next line whole', 'hello world this is a test', 11, 0, ['hello world', 'this is a', 'test']],
    ['a path longer than a line starts on the same line and is split hard', 'to /a/very/long/path/name.zip', 12, 0, ['to /a/very/l', 'ong/path/nam', 'e.zip']],
    ['continuation lines are indented', 'one two three four', 9, 2, ['one two', '  three', '  four']],
    ['newlines are kept', 'a\nb', 10, 0, ['a', 'b']],
    ['an empty text is one empty line', '', 10, 0, ['']],
  ])('%s', (_name, text, width, indent, expected) => {
    expect(wrapWords(text, width, indent)).toEqual(expected);
    expect(wrappedHeight(text, width, indent)).toBe(expected.length);
  });

  it('never makes a line wider than the width, and loses no character', () => {
    const text = 'The proxy check answered 500 Unable to connect for resolver1.de.cyren.example after 3 tries; C:\\ProgramData\\Net at Work Mail Gateway\\Logs';
    for (const width of [10, 23, 40, 79]) {
      const lines = wrapWords(text, width);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
      expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
  });
});
