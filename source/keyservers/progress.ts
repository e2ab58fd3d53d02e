import {progressBar} from '../progress-bar.js';

/** A one-line progress bar on a terminal stream (stderr), redrawn at most ten times a second. */
export interface ProgressBar {
  update(done: number): void;
  finish(): void;
}

export function createProgressBar(stream: NodeJS.WritableStream, total: number, options: {ascii: boolean; label: string; width?: number}): ProgressBar {
  const started = performance.now();
  let lastDraw = 0;
  let done = 0;
  const columns = (stream as {columns?: number}).columns ?? 80;
  const barWidth = Math.max(10, Math.min(options.width ?? 30, columns - 45));
  const draw = () => {
    const seconds = Math.round((performance.now() - started) / 1000);
    stream.write(`\r${progressBar(total === 0 ? 1 : done / total, barWidth, options.ascii)} ${done}/${total} ${options.label} ${seconds} s\u001B[K`);
  };
  return {
    update(next) {
      done = next;
      const now = performance.now();
      if (now - lastDraw >= 100 || done === total) {
        lastDraw = now;
        draw();
      }
    },
    finish() {
      draw();
      stream.write('\n');
    },
  };
}
