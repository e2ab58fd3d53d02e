// React's act() only works (and warns otherwise) when this flag is set.
(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = true;

// The key router applies keys one per macrotask on purpose (each key renders before the next, as
// on a real terminal); React cannot see that those updates belong to the test's act() scope and
// warns for each. The tests wait for every key with settle()/waitForFrame(), so the warning is noise.
const originalError = console.error;
console.error = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('was not wrapped in act(')) return;
  originalError(...args);
};

// Ink only draws a final frame (and ignores resizes) when it believes it runs in CI. The console's
// launcher removes these variables for the interactive console; screen tests must see the same Ink.
for (const name of Object.keys(process.env)) {
  if (name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_')) delete process.env[name];
}
