import React, {useState} from 'react';
import {describe, expect, it} from 'vitest';
import {Text} from 'ink';
import {KeyRouter, useKeys} from '../../components/input/key-router.js';
import {act} from 'react';
import {press, renderScreen, settle, type Rendered} from '../helpers/ink.js';

/** The whole burst inside one act() scope: React holds every update until the scope ends. */
async function pressInOneScope(rendered: Rendered, chunk: string): Promise<void> {
  await act(async () => {
    rendered.stdin.write(chunk);
    await new Promise(resolve => setTimeout(resolve, 100));
  });
  await settle(chunk.length * 4);
}

/** Two fields; Tab moves the focus. Each field appends what it is typed, reading only its render's state. */
function Field({name, value, onType, active}: {name: string; value: string; onType: (text: string) => void; active: boolean}) {
  useKeys(key => onType(value + (key.name === 'char' ? key.input : `<${key.name}>`)), {isActive: active, capturesText: true});
  return <Text>{`${name}=${value}${active ? ' *' : ''}`}</Text>;
}

function Form() {
  const [focus, setFocus] = useState<'a' | 'b'>('a');
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  return (
    <>
      <Field name="a" value={a} active={focus === 'a'} onType={text => (text.endsWith('<tab>') ? setFocus('b') : setA(text))} />
      <Field name="b" value={b} active={focus === 'b'} onType={text => (text.endsWith('<tab>') ? setFocus('a') : setB(text))} />
    </>
  );
}

describe('the key router', () => {
  it('applies a burst key by key, each to the field the previous key left focused, reading fresh state', async () => {
    const rendered = await renderScreen(
      <KeyRouter>
        <Form />
      </KeyRouter>,
    );
    await press(rendered, 'ab\tcd\tef');
    expect(rendered.lastFrame()).toBe('a=abef *\nb=cd');
    await pressInOneScope(rendered, 'g\th\ti');
    expect(rendered.lastFrame()).toBe('a=abefgi *\nb=cdh');
    rendered.unmount();
  });

  it('keeps the order of a long paste', async () => {
    const rendered = await renderScreen(
      <KeyRouter>
        <Form />
      </KeyRouter>,
    );
    const text = 'the quick brown fox jumps over the lazy dog 0123456789'.replace(/ /g, '_').repeat(3);
    await press(rendered, text, text.length * 4);
    expect(rendered.lastFrame()!.replace(/\n/g, '')).toContain(`a=${text} *`);
    rendered.unmount();
  });
});
