#!/usr/bin/env python3
"""Starts a command on a pseudo-terminal (80x24) and prints, as JSON, the milliseconds until a
marker text first appears on its output and the process's resident memory once it is idle."""
import fcntl, json, os, pty, select, signal, struct, sys, termios, time

marker = sys.argv[1].encode()
command = sys.argv[2:]
start = time.perf_counter()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
seen = b''
first_frame_ms = None
deadline = start + 20
while time.perf_counter() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        seen += chunk
        if marker in seen:
            first_frame_ms = (time.perf_counter() - start) * 1000
            break
rss_kb = None
if first_frame_ms is not None:
    time.sleep(1.0)  # idle
    # The launcher may be a wrapper; the node process is the child itself here.
    try:
        with open(f'/proc/{pid}/status') as status:
            for line in status:
                if line.startswith('VmRSS:'):
                    rss_kb = int(line.split()[1])
    except OSError:
        pass
os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)
print(json.dumps({'firstFrameMs': first_frame_ms, 'rssKb': rss_kb}))
