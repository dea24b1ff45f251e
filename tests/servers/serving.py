"""What every test server does to start: say it is ready, then serve until stopped.

The testbed waits for a server's pid file; it is written only after bind(), so
"the pid file exists" means "the port is open".
"""
import os


def write_pidfile(path):
    with open(path + ".tmp", "w") as f:
        f.write(f"{os.getpid()}\n")
    os.replace(path + ".tmp", path)


def serve(server, pidfile):
    """Runs an http.server until interrupted, after writing @pidfile (if given)."""
    if pidfile:
        write_pidfile(pidfile)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
