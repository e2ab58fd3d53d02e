import {afterEach, describe, expect, it} from 'vitest';
import {interruptedRunOutcome} from '../source/logflow/controller.js';
import {outcomeLine, recordOutcome, resetOutcomeForTests, sessionOutcome} from '../source/outcome.js';

afterEach(() => resetOutcomeForTests());

describe('the one line printed after the console exits', () => {
  it('says nothing was changed when nothing was recorded, and the run was not interrupted', () => {
    expect(outcomeLine()).toBe('nsp-console: closed; nothing was changed or left running.');
    expect(sessionOutcome().interrupted).toBe(false);
  });

  it('joins what happened into one line; an interrupted run marks the session', () => {
    recordOutcome('Support bundle written: /out/a.zip');
    recordOutcome('Support bundle written: /out/a.zip');
    recordOutcome('Troubleshooting logs interrupted: logging turned off for Gateway 2; no ZIP', {interrupted: true});
    expect(outcomeLine()).toBe('nsp-console: Support bundle written: /out/a.zip; Troubleshooting logs interrupted: logging turned off for Gateway 2; no ZIP');
    expect(outcomeLine().includes('\n')).toBe(false);
    expect(sessionOutcome().interrupted).toBe(true);
  });

  it.each([
    [[{name: 'Gateway 2', logging: 'off'}], 'Troubleshooting logs interrupted: logging turned off for Gateway 2; no ZIP'],
    [[{name: 'GW1', logging: 'off'}, {name: 'GW guided', logging: 'pendingManualOff'}], 'Troubleshooting logs interrupted: logging turned off for GW1, TURN LOGGING OFF BY HAND for GW guided (NoSpamProxy console); no ZIP'],
    [[{name: 'GW1', logging: 'offFailed'}], 'Troubleshooting logs interrupted: LOGGING MAY STILL BE ON for GW1: run "nsp-console logflow stop"; no ZIP'],
  ])('names the roles by what they need: %j', (roles, line) => {
    expect(interruptedRunOutcome(roles)).toBe(line);
  });
});
