/**
 * Word wrap done by the console itself, so a screen knows how many lines a text takes before it is
 * drawn (the body budget counts them) and nothing is cut: words longer than the width (paths,
 * addresses) are split hard. Continuation lines are indented by `indent` spaces.
 */
export function wrapWords(text: string, width: number, indent = 0): string[] {
  const room = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    const prefix = () => (lines.length > 0 && indent > 0 && indent < room / 2 ? ' '.repeat(indent) : '');
    const push = () => {
      lines.push(line.trimEnd());
      line = '';
    };
    for (const word of paragraph.split(/(?<= )/)) {
      if (line === '' && lines.length > 0) line = prefix();
      if (line.length + word.trimEnd().length <= room) {
        line += word;
        continue;
      }
      // A word that fits no line (a path) starts right here; a shorter one moves to the next line.
      const fitsALine = word.trimEnd().length <= room - (indent < room / 2 ? indent : 0);
      if (line.trim() !== '' && fitsALine) push();
      let rest = word;
      for (;;) {
        if (line === '') line = lines.length > 0 ? prefix() : '';
        const space = room - line.length;
        if (rest.trimEnd().length <= space) {
          line += rest;
          break;
        }
        line += rest.slice(0, space);
        rest = rest.slice(space);
        push();
      }
    }
    push();
  }
  return lines;
}

/** How many lines wrapWords makes of a text. */
export function wrappedHeight(text: string, width: number, indent = 0): number {
  return wrapWords(text, width, indent).length;
}
