import React from 'react';
import {describe, expect, it} from 'vitest';
import {notBuiltScreen} from '../../components/shell/NotBuilt.js';
import {KeyRouter} from '../../components/input/key-router.js';
import {createContext} from '../../source/context.js';
import {keys, press, renderScreen} from '../helpers/ink.js';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

describe('a capability that is not built yet', () => {
  it('says so and goes back with Esc instead of crashing', async () => {
    const context = await createContext({stateDir: mkdtempSync(join(tmpdir(), 'nsp-nb-'))}, {});
    const Screen = notBuiltScreen('Frobnication');
    let wentBack = 0;
    const rendered = await renderScreen(
      <KeyRouter>
        <Screen context={context} back={() => wentBack++} setKeyHelp={() => {}} quit={() => {}} />
      </KeyRouter>,
    );
    expect(rendered.lastFrame()).toContain('Frobnication is not built yet');
    await press(rendered, keys.escape);
    expect(wentBack).toBe(1);
    rendered.unmount();
  });
});
