import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {HelpOverlay} from '../../components/shell/HelpOverlay.js';
import {KeyRouter} from '../../components/input/key-router.js';
import {LayoutProvider} from '../../components/layout.js';
import {renderScreen, type Rendered} from '../helpers/ink.js';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

describe('the help overlay', () => {
  it('fits the body (24 rows: 17 lines) with its border, title and closing line, however many keys', async () => {
    const keys = Array.from({length: 30}, (_, index) => [`k${index}`, `meaning ${index}`] as const);
    rendered = await renderScreen(
      <LayoutProvider ascii={false} color={false}>
        <KeyRouter>
          <HelpOverlay title="Many keys" keys={keys} onClose={() => {}} />
        </KeyRouter>
      </LayoutProvider>,
    );
    const frame = rendered.lastFrame()!;
    // At 60x20 the overlay was two lines taller than the body and pushed the header off the screen.
    expect(frame.split('\n').length).toBeLessThanOrEqual(17);
    expect(frame).toContain('Keys: Many keys');
    expect(frame).toContain('any key closes this help');
  });
});
