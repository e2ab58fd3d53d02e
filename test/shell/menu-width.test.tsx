import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {Menu} from '../../components/widgets/Menu.js';
import {KeyRouter} from '../../components/input/key-router.js';
import {LayoutProvider} from '../../components/layout.js';
import {renderScreen, type Rendered} from '../helpers/ink.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

// the test terminal is 100 columns wide: a hint longer than that must not wrap the row
// (at 60x20 the main menu's rows broke into two lines with the label cut mid-word).
const items = [
  {value: 'a', label: 'Key-server lookup', hint: `find S/MIME certificates in LDAP directories ${'and more '.repeat(10)}`},
  {value: 'b', label: 'Back'},
];

describe('Menu rows never wrap', () => {
  for (const ascii of [false, true]) {
    it(`keeps each entry on one line, label whole, hint cut (${ascii ? 'ASCII' : 'Unicode'})`, async () => {
      rendered = await renderScreen(
        <LayoutProvider ascii={ascii} color={false}>
          <KeyRouter>
            <Menu items={items} onSelect={() => {}} />
          </KeyRouter>
        </LayoutProvider>,
      );
      const lines = rendered.lastFrame()!.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toContain('Key-server lookup  find S/MIME');
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
      if (ascii) expect(rendered.lastFrame()).toMatch(/^[\x00-\x7f]*$/);
    });
  }
});
