#!/usr/bin/env python3
"""Runs a command with stdout to /dev/null and prints, as JSON, its wall time from fork to exit,
its peak resident memory and CPU time (from wait4, so the whole process is covered), and its
exit code. Used by bench:keyserver for both our binary and ldapsearch, so both are measured alike."""
import json, os, sys, time

command = sys.argv[1:]
null = os.open(os.devnull, os.O_WRONLY)
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(null, 1)
    os.execvp(command[0], command)
_, status, usage = os.wait4(pid, 0)
wall_ms = (time.perf_counter() - start) * 1000
print(json.dumps({
    'wallMs': wall_ms,
    'maxRssKb': usage.ru_maxrss,
    'cpuMs': (usage.ru_utime + usage.ru_stime) * 1000,
    'exitCode': os.waitstatus_to_exitcode(status),
}))
