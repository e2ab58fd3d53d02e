import {useEffect, useState} from 'react';

const unicodeFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const asciiFrames = ['|', '/', '-', '\\'];

/** One spinner frame for every busy row (ASCII frames for conhost); ticks only while something runs. */
export function useSpinnerFrame(active: boolean, ascii: boolean): string {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTick(current => current + 1), 120);
    return () => clearInterval(timer);
  }, [active]);
  const frames = ascii ? asciiFrames : unicodeFrames;
  return frames[tick % frames.length]!;
}
