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
