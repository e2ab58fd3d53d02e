import {describe, expect, it} from 'vitest';
import {flowReducer, initialFlowState, isLoggingMaybeOn, remainingMs, type FlowEvent, type FlowState, type Phase} from '../../source/logflow/machine.js';
import type {RoleDefinition} from '../../source/logflow/types.js';

/** An injected clock: tests move time by hand, so the 5-minute countdown takes no time. */
class FakeClock {
  constructor(public time = Date.parse('2026-11-27T10:00:00Z')) {}
  now = () => this.time;
  advance(ms: number) {
    this.time += ms;
  }
}

const script: RoleDefinition = {name: 'GW1', driver: 'script', location: '/logs/1', enable: ['on'], disable: ['off']};
const guided: RoleDefinition = {name: 'GW2', driver: 'guided', location: '/logs/2'};
const wait = 5 * 60_000;

function run(clock: FakeClock, events: FlowEvent[], start?: FlowState): FlowState {
  let state = start ?? initialFlowState('run-1', wait, clock.now(), ['AntiSpam', 'Mailvalidation', 'DNS', 'ProxySystem']);
  for (const event of events) state = flowReducer(state, event, clock.now());
  return state;
}

const toConfirming: FlowEvent[] = [{type: 'ROLES_CHOSEN', roles: [script, guided]}];
const toTurningOn: FlowEvent[] = [...toConfirming, {type: 'SETTINGS_CONFIRMED', protocols: ['AntiSpam', 'DNS'], roles: [script, guided], onSnapshot: {GW1: {'a.log': 10}, GW2: {}}}];
const toVerifyingOn: FlowEvent[] = [...toTurningOn, {type: 'ROLE_TURNED_ON', role: 'GW1'}, {type: 'ROLE_TURNED_ON', role: 'GW2'}];
const toReproducing: FlowEvent[] = [...toVerifyingOn, {type: 'ACTIVITY_CONFIRMED'}];
const toCountingDown: FlowEvent[] = [...toReproducing, {type: 'REPRODUCED'}];
const toConfirmingFinish: FlowEvent[] = [...toCountingDown, {type: 'FINISH_REQUESTED'}];
const toTurningOff: FlowEvent[] = [...toCountingDown, {type: 'ABORT'}];
const toTurningOffNormal: FlowEvent[] = [...toConfirmingFinish, {type: 'FINISH_CONFIRMED'}];
const toVerifyingOff: FlowEvent[] = [...toTurningOffNormal, {type: 'ROLE_TURNED_OFF', role: 'GW1'}, {type: 'ROLE_TURNED_OFF', role: 'GW2'}];
const toCollecting: FlowEvent[] = [...toVerifyingOff, {type: 'OFF_VERIFIED', offSnapshot: {GW1: {'a.log': 30}, GW2: {}}}];
const toStillLogging: FlowEvent[] = [...toVerifyingOff, {type: 'STILL_GROWING', roles: ['GW1'], offSnapshot: {GW1: {'a.log': 30}, GW2: {}}}];
const toFinished: FlowEvent[] = [...toCollecting, {type: 'COLLECTED', zipPath: '/out/x.zip', zipBytes: 100}];

const paths: Record<Phase, FlowEvent[]> = {
  choosingRoles: [],
  confirmingSettings: toConfirming,
  turningOn: toTurningOn,
  verifyingOn: toVerifyingOn,
  reproducing: toReproducing,
  countingDown: toCountingDown,
  confirmingFinish: toConfirmingFinish,
  turningOff: toTurningOff,
  verifyingOff: toVerifyingOff,
  stillLogging: toStillLogging,
  collecting: toCollecting,
  finished: toFinished,
  aborted: [...toTurningOff, {type: 'ROLE_TURNED_OFF', role: 'GW1'}, {type: 'ROLE_TURNED_OFF', role: 'GW2'}, {type: 'OFF_VERIFIED', offSnapshot: {}}],
  failed: [...toCollecting, {type: 'FAILED', message: 'disk full'}],
  stopped: [...toCountingDown, {type: 'ABORT', reason: 'signal'}, {type: 'ROLE_TURNED_OFF', role: 'GW1'}, {type: 'ROLE_OFF_PENDING_MANUAL', role: 'GW2'}],
  leftOn: [...toStillLogging, {type: 'LEAVE_ON_CONFIRMED'}],
};

describe('log-flow state machine: the normal path', () => {
  it('walks steps 1-8 and ends finished with logging off', () => {
    const clock = new FakeClock();
    const seen: Phase[] = [];
    let state = run(clock, []);
    for (const event of toFinished) {
      if (event.type === 'FINISH_REQUESTED') continue;
      if (event.type === 'FINISH_CONFIRMED') {
        clock.advance(wait);
        state = flowReducer(state, {type: 'TICK'}, clock.now());
        seen.push(state.phase);
        continue;
      }
      state = flowReducer(state, event, clock.now());
      seen.push(state.phase);
    }
    expect(seen).toEqual(['confirmingSettings', 'turningOn', 'turningOn', 'verifyingOn', 'reproducing', 'countingDown', 'turningOff', 'turningOff', 'verifyingOff', 'collecting', 'finished']);
    expect(state.offReason).toBe('countdown');
    expect(isLoggingMaybeOn(state)).toBe(false);
    expect(state.zipPath).toBe('/out/x.zip');
    expect(state.onSnapshot).toEqual({GW1: {'a.log': 10}, GW2: {}});
    expect(state.offSnapshot).toEqual({GW1: {'a.log': 30}, GW2: {}});
  });

  for (const [phase, events] of Object.entries(paths)) {
    it(`reaches ${phase}`, () => expect(run(new FakeClock(), events).phase).toBe(phase));
  }
});

describe('countdown from a deadline with the injected clock', () => {
  it('counts from the deadline, not from ticks, and ends exactly at the deadline', () => {
    const clock = new FakeClock();
    let state = run(clock, toCountingDown);
    expect(state.deadline).toBe(new Date(clock.now() + wait).toISOString());
    clock.advance(wait - 1);
    state = flowReducer(state, {type: 'TICK'}, clock.now());
    expect(state.phase).toBe('countingDown');
    expect(remainingMs(state, clock.now())).toBe(1);
    clock.advance(1);
    state = flowReducer(state, {type: 'TICK'}, clock.now());
    expect(state.phase).toBe('turningOff');
    expect(state.offReason).toBe('countdown');
  });

  it('a missed tick does not lengthen the wait: one late tick ends it', () => {
    const clock = new FakeClock();
    let state = run(clock, toCountingDown);
    clock.advance(wait + 90_000);
    state = flowReducer(state, {type: 'TICK'}, clock.now());
    expect(state.phase).toBe('turningOff');
  });

  it('extend adds one minute to the deadline (from now when it already passed)', () => {
    const clock = new FakeClock();
    let state = run(clock, toCountingDown);
    const deadline = Date.parse(state.deadline!);
    state = flowReducer(state, {type: 'EXTEND'}, clock.now());
    expect(Date.parse(state.deadline!)).toBe(deadline + 60_000);
    state = flowReducer(state, {type: 'FINISH_REQUESTED'}, clock.now());
    state = flowReducer(state, {type: 'EXTEND'}, clock.now());
    expect(Date.parse(state.deadline!)).toBe(deadline + 120_000);
    clock.advance(wait + 60_000);
    state = flowReducer(state, {type: 'TICK'}, clock.now());
    expect(state.phase).toBe('confirmingFinish');
    clock.advance(60_000);
    state = flowReducer(state, {type: 'TICK'}, clock.now());
    expect(state.phase).toBe('turningOff');
  });

  it('cancelling "finish now" returns to the countdown, or ends it when the time is up meanwhile', () => {
    const clock = new FakeClock();
    const confirming = run(clock, toConfirmingFinish);
    expect(flowReducer(confirming, {type: 'FINISH_CANCELLED'}, clock.now()).phase).toBe('countingDown');
    clock.advance(wait);
    expect(flowReducer(confirming, {type: 'FINISH_CANCELLED'}, clock.now()).phase).toBe('turningOff');
  });

  it('finish early: confirmed ends with reason finishedEarly and collects', () => {
    const state = run(new FakeClock(), [...toVerifyingOff, {type: 'OFF_VERIFIED', offSnapshot: {}}]);
    expect(state.offReason).toBe('finishedEarly');
    expect(state.phase).toBe('collecting');
  });
});

/** Where ABORT and FAILED lead from each phase: never past "off" while logging may be on. */
const outcomes: Record<Phase, {abort: Phase; error: Phase}> = {
  choosingRoles:      {abort: 'aborted', error: 'failed'},
  confirmingSettings: {abort: 'aborted', error: 'failed'},
  turningOn:          {abort: 'turningOff', error: 'turningOff'},
  verifyingOn:        {abort: 'turningOff', error: 'turningOff'},
  reproducing:        {abort: 'turningOff', error: 'turningOff'},
  countingDown:       {abort: 'turningOff', error: 'turningOff'},
  confirmingFinish:   {abort: 'turningOff', error: 'turningOff'},
  turningOff:         {abort: 'turningOff', error: 'turningOff'},
  verifyingOff:       {abort: 'aborted', error: 'stillLogging'},
  stillLogging:       {abort: 'stillLogging', error: 'stillLogging'},
  collecting:         {abort: 'aborted', error: 'failed'},
  finished:           {abort: 'finished', error: 'finished'},
  aborted:            {abort: 'aborted', error: 'aborted'},
  failed:             {abort: 'failed', error: 'failed'},
  stopped:            {abort: 'stopped', error: 'stopped'},
  leftOn:             {abort: 'leftOn', error: 'leftOn'},
};

/** A transition may only leave "logging may be on" by turning it off. */
function expectOffNotSkipped(phase: Phase, before: Parameters<typeof isLoggingMaybeOn>[0], after: Parameters<typeof isLoggingMaybeOn>[0], what: string): void {
  if (isLoggingMaybeOn(before) && !isLoggingMaybeOn(after)) throw new Error(`${phase}: ${what} skipped turning logging off`);
}

describe('abort in every phase: never past "off" while logging may be on', () => {
  for (const [phase, {abort: target}] of Object.entries(outcomes) as [Phase, {abort: Phase}][]) {
    it(`ABORT in ${phase} -> ${target}`, () => {
      const clock = new FakeClock();
      const before = run(clock, paths[phase]);
      const after = flowReducer(before, {type: 'ABORT'}, clock.now());
      expect(after.phase).toBe(target);
      if (target === 'turningOff') {
        expect(after.offReason).toBe('aborted');
        expect(after.roles.filter(role => role.logging === 'turningOff').map(role => role.name)).toEqual(['GW1', 'GW2']);
      }
      // The only ways to a state without "maybe on" roles go through turningOff.
      expectOffNotSkipped(phase, before, after, 'abort');
    });
  }

  it('a signal while stillLogging retries turning off', () => {
    const clock = new FakeClock();
    const after = flowReducer(run(clock, toStillLogging), {type: 'ABORT', reason: 'signal'}, clock.now());
    expect(after.phase).toBe('turningOff');
    expect(after.offReason).toBe('signal');
  });

  it('a watchdog or recovery turn-off after "leftOn" or "stopped" (guided pending) goes through turningOff again', () => {
    const clock = new FakeClock();
    expect(flowReducer(run(clock, paths.leftOn), {type: 'ABORT', reason: 'recovery'}, clock.now()).phase).toBe('turningOff');
    expect(flowReducer(run(clock, paths.stopped), {type: 'ABORT', reason: 'recovery'}, clock.now()).phase).toBe('turningOff');
  });

  it('signal/watchdog/stop end in "stopped" without verification; guided roles stay pending', () => {
    const state = run(new FakeClock(), paths.stopped);
    expect(state.phase).toBe('stopped');
    expect(state.roles.map(role => role.logging)).toEqual(['off', 'pendingManualOff']);
    expect(isLoggingMaybeOn(state)).toBe(true);
    const confirmed = flowReducer(state, {type: 'MANUAL_OFF_CONFIRMED'}, Date.now());
    expect(isLoggingMaybeOn(confirmed)).toBe(false);
    expect(confirmed.phase).toBe('stopped');
  });
});

describe('errors in every phase', () => {
  for (const [phase, {error: target}] of Object.entries(outcomes) as [Phase, {error: Phase}][]) {
    it(`FAILED in ${phase} -> ${target}`, () => {
      const clock = new FakeClock();
      const before = run(clock, paths[phase]);
      const after = flowReducer(before, {type: 'FAILED', message: 'boom'}, clock.now());
      expect(after.phase).toBe(target);
      if (target !== phase) expect(after.error).toBe('boom');
      expectOffNotSkipped(phase, before, after, 'error');
    });
  }

  it('an error during "on" turns off and then ends failed (no ZIP)', () => {
    const clock = new FakeClock();
    const state = run(clock, [...toCountingDown, {type: 'FAILED', message: 'disk gone'}, {type: 'ROLE_TURNED_OFF', role: 'GW1'}, {type: 'ROLE_TURNED_OFF', role: 'GW2'}, {type: 'OFF_VERIFIED', offSnapshot: {}}]);
    expect(state.phase).toBe('failed');
    expect(state.error).toBe('disk gone');
  });
});

describe('turning on and off per role', () => {
  it('a failed "on" of one role turns every role off (also the failed one) and ends failed', () => {
    const clock = new FakeClock();
    let state = run(clock, [...toTurningOn, {type: 'ROLE_ON_FAILED', role: 'GW1', message: 'exit 1'}]);
    expect(state.phase).toBe('turningOn');
    state = flowReducer(state, {type: 'ROLE_TURNED_ON', role: 'GW2'}, clock.now());
    expect(state.phase).toBe('turningOff');
    expect(state.offReason).toBe('error');
    expect(state.error).toContain('GW1');
    expect(state.roles.map(role => role.logging)).toEqual(['turningOff', 'turningOff']);
  });

  it('a failed "off" goes to stillLogging; retry goes back to turningOff for that role only', () => {
    const clock = new FakeClock();
    let state = run(clock, [...toTurningOffNormal, {type: 'ROLE_OFF_FAILED', role: 'GW1', message: 'timeout'}, {type: 'ROLE_TURNED_OFF', role: 'GW2'}]);
    expect(state.phase).toBe('stillLogging');
    expect(state.growing).toEqual(['GW1']);
    state = flowReducer(state, {type: 'RETRY_OFF'}, clock.now());
    expect(state.phase).toBe('turningOff');
    expect(state.roles.map(role => role.logging)).toEqual(['turningOff', 'off']);
    state = flowReducer(state, {type: 'ROLE_TURNED_OFF', role: 'GW1'}, clock.now());
    expect(state.phase).toBe('verifyingOff');
  });

  it('files still growing after "off": stillLogging; done by hand verifies again; leaving on needs its own event', () => {
    const clock = new FakeClock();
    const still = run(clock, toStillLogging);
    expect(still.roles.find(role => role.name === 'GW1')?.logging).toBe('offFailed');
    expect(flowReducer(still, {type: 'MANUAL_OFF_CONFIRMED'}, clock.now()).phase).toBe('verifyingOff');
    const left = flowReducer(still, {type: 'LEAVE_ON_CONFIRMED'}, clock.now());
    expect(left.phase).toBe('leftOn');
    expect(isLoggingMaybeOn(left)).toBe(true);
  });

  it('ignores events that do not belong to the phase (same object back)', () => {
    const clock = new FakeClock();
    for (const [phase, events] of Object.entries(paths)) {
      const state = run(clock, events);
      const foreign: FlowEvent[] = [{type: 'COLLECTED', zipPath: 'x', zipBytes: 1}, {type: 'REPRODUCED'}, {type: 'LEAVE_ON_CONFIRMED'}, {type: 'BACK_TO_ROLES'}];
      for (const event of foreign) {
        const allowed = (phase === 'collecting' && event.type === 'COLLECTED') || (phase === 'reproducing' && event.type === 'REPRODUCED') || (phase === 'stillLogging' && event.type === 'LEAVE_ON_CONFIRMED') || (phase === 'confirmingSettings' && event.type === 'BACK_TO_ROLES');
        if (!allowed) expect(flowReducer(state, event, clock.now())).toBe(state);
      }
    }
  });

  it('rejects empty role and protocol choices', () => {
    const clock = new FakeClock();
    expect(run(clock, [{type: 'ROLES_CHOSEN', roles: []}]).phase).toBe('choosingRoles');
    expect(run(clock, [...toConfirming, {type: 'SETTINGS_CONFIRMED', protocols: [], roles: [script], onSnapshot: {}}]).phase).toBe('confirmingSettings');
    expect(run(clock, [...toConfirming, {type: 'BACK_TO_ROLES'}]).phase).toBe('choosingRoles');
  });

  it('resume after a restart continues the countdown from the recorded deadline', () => {
    const clock = new FakeClock();
    const counting = run(clock, toCountingDown);
    clock.advance(60_000);
    const resumed = flowReducer(counting, {type: 'RESUME'}, clock.now());
    expect(resumed.phase).toBe('countingDown');
    expect(resumed.deadline).toBe(counting.deadline);
    const early = run(clock, toVerifyingOn);
    const resumedEarly = flowReducer(early, {type: 'RESUME'}, clock.now());
    expect(resumedEarly.deadline).toBe(new Date(clock.now() + wait).toISOString());
    clock.advance(wait * 2);
    expect(flowReducer(counting, {type: 'RESUME'}, clock.now()).phase).toBe('turningOff');
  });
});
