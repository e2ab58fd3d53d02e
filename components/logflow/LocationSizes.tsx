import React, {useEffect, useState} from 'react';
import {Box} from 'ink';
import {formatSize, logLocationWarnBytes, measureLocation, unreachableGuidance, type LocationMeasure} from '../../source/logflow/location-reach.js';
import type {RoleDefinition} from '../../source/logflow/types.js';
import {Line} from './parts.js';

/**
 * Step 1's size line: what each listed location holds (logs are never deleted automatically), a
 * warning above the threshold, and for an unreachable share what to do. Measured after render,
 * each location under a deadline.
 */
export function LocationSizes({roles}: {roles: readonly Pick<RoleDefinition, 'name' | 'location'>[]}) {
  const [measures, setMeasures] = useState<Record<string, LocationMeasure>>({});
  const key = roles.map(role => `${role.name}\u0000${role.location}`).join('\u0001');
  useEffect(() => {
    let current = true;
    for (const role of roles) {
      void measureLocation(role.location, 3_000).then(measure => {
        if (current) setMeasures(previous => ({...previous, [role.location]: measure}));
      });
    }
    return () => {
      current = false;
    };
    // The key stands for the roles' names and locations.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const parts = roles.map(role => {
    const measure = measures[role.location];
    if (!measure) return `${role.name} ...`;
    if (measure.state === 'missing') return `${role.name} (not made yet)`;
    if (measure.state === 'unreachable') return `${role.name} UNREACHABLE`;
    return `${role.name} ${formatSize(measure.bytes)}${measure.bytes > logLocationWarnBytes ? ' (!)' : ''}`;
  });
  const big = roles.filter(role => {
    const measure = measures[role.location];
    return measure?.state === 'reachable' && measure.bytes > logLocationWarnBytes;
  });
  const unreachable = roles.find(role => measures[role.location]?.state === 'unreachable');
  return (
    <Box flexDirection="column">
      <Line dimColor>{`Log location sizes: ${parts.join(', ')}`}</Line>
      {big.length > 0 ? <Line color="yellow">{`Above ${formatSize(logLocationWarnBytes)}: ${big.map(role => role.name).join(', ')}; logs are never deleted automatically, delete old ones.`}</Line> : null}
      {unreachable ? <Line color="yellow">{unreachableGuidance(unreachable.location)[0]!}</Line> : null}
    </Box>
  );
}
