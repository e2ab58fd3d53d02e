import {describe, expect, it} from 'vitest';
import {splitKeys} from '../../source/input/keys.js';

const names = (chunk: string) => splitKeys(chunk).map(key => (key.name === 'char' ? (key.ctrl ? `^${key.input}` : key.input) : key.name));

describe('splitKeys', () => {
  it('splits a text burst with Enter into single keys', () => {
    expect(names('389\r')).toEqual(['3', '8', '9', 'return']);
  });
  it('recognises arrows in CSI and SS3 form, page keys and delete', () => {
    expect(names('\u001B[A\u001B[B\u001BOC\u001BOD\u001B[5~\u001B[6~\u001B[3~')).toEqual(['up', 'down', 'right', 'left', 'pageup', 'pagedown', 'delete']);
  });
  it('keeps Esc as a key of its own before text or another sequence', () => {
    expect(names('\u001Bjj\r')).toEqual(['escape', 'j', 'j', 'return']);
    expect(names('\u001B\u001B[B')).toEqual(['escape', 'down']);
    expect(names('\u001B')).toEqual(['escape']);
  });
  it('maps control characters, backspace, tab and space', () => {
    expect(names('\u0003\u007F\t ')).toEqual(['^c', 'backspace', 'tab', 'space']);
  });
  it('keeps non-ASCII characters whole', () => {
    expect(names('für😀')).toEqual(['f', 'ü', 'r', '😀']);
  });
});
