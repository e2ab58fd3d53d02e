// React's act() only works (and warns otherwise) when this flag is set. Screen tests drive every
// key inside act() (test/helpers/ink.ts), so a warning here points at a real update outside act.
(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = true;

// ...and any such warning fails the test it happened in.
import './act-guard.js';

// Ink only draws a final frame (and ignores resizes) when it believes it runs in CI. The console's
// launcher removes these variables for the interactive console; screen tests must see the same Ink.
for (const name of Object.keys(process.env)) {
  if (name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_')) delete process.env[name];
}
