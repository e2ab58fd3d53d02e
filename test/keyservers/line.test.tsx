import React from 'react';
import {describe, expect, it} from 'vitest';
import {fitText, Line} from '../../components/keyservers/Line.js';
import {LayoutProvider} from '../../components/layout.js';
import {renderScreen} from '../helpers/ink.js';

describe('Line', () => {
  it('cuts with an ASCII ellipsis in ASCII mode and keeps short text whole', async () => {
    expect(fitText('abcdef', 10, true)).toBe('abcdef');
    expect(fitText('abcdefghijkl', 10, true)).toBe('abcdefg...');
    expect(fitText('abcdefghijkl', 10, false)).toBe('abcdefghi…');
    const rendered = await renderScreen(
      <LayoutProvider ascii color={false}>
        <Line>{'x'.repeat(300)}</Line>
      </LayoutProvider>,
    );
    // The test terminal has 100 columns; a line is at most columns - 1 wide (99), ellipsis included.
    expect(rendered.lastFrame()).toBe(`${'x'.repeat(96)}...`);
    rendered.unmount();
  });
});
