#!/usr/bin/python3
"""Ports for failure tests: one that accepts and never answers, one that refuses.

  blackhole.py --mode listen --port P --pidfile F   accept, read and discard, never write
  blackhole.py --mode closed --port P --pidfile F   keep P bound but not listening

"closed" holds the port bound without listen(): Linux answers a SYN to a bound,
non-listening socket with RST (connection refused), and nobody else can take the
port while we hold it, unlike a port that was merely found free once.
"""

import argparse
import selectors
import signal
import socket
import sys

import serving  # a sibling module


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=("listen", "closed"), required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pidfile", required=True)
    args = p.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", args.port))
    if args.mode == "listen":
        sock.listen(128)
    serving.write_pidfile(args.pidfile)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if args.mode == "closed":
        signal.pause()
        return
    # Keep accepted connections open (so clients see a hang, not a reset) and
    # drain what they send, so their writes never block either.
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            if key.fileobj is sock:
                conn, _ = sock.accept()
                sel.register(conn, selectors.EVENT_READ)
            elif not key.fileobj.recv(65536):
                sel.unregister(key.fileobj)
                key.fileobj.close()


if __name__ == "__main__":
    main()
