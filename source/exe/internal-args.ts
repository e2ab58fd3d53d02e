/** The exe started with this first argument runs the log-flow watchdog instead of the console. */
export const watchdogArgument = '--nsp-internal-watchdog';
