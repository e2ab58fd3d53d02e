/** Hard-wraps "Label:      value" lines to the width, continuing under the value, so pages count real lines. */
export function wrapLines(lines: readonly string[], width: number): string[] {
  const result: string[] = [];
  for (const line of lines) {
    const indent = /^(\S[^:]*:\s+)/.exec(line)?.[1]?.length ?? 0;
    const continuation = indent > 0 && indent < width / 2 ? indent : 2;
    let rest = line;
    let first = true;
    while (rest.length > 0) {
      const room = first ? width : width - continuation;
      result.push(first ? rest.slice(0, room) : `${' '.repeat(continuation)}${rest.slice(0, room)}`);
      rest = rest.slice(room);
      first = false;
    }
  }
  return result;
}
