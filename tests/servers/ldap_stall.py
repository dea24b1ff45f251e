#!/usr/bin/python3
"""An LDAP peer that lets clients bind and never answers anything else.

  ldap_stall.py --port P --pidfile F

The testbed's slapd forwards one naming context here (back-ldap, testbed option
--slapd-stalled-suffix): slapd binds, sends the search, gets no answer, and ends
the search with its own time limit (result 3, timeLimitExceeded).  So the time
limit that trips is real slapd's; only the slowness is staged.  A bind needs an
answer because back-ldap binds before it searches and has no time limit for that.

Only what slapd sends is understood: LDAPMessage SEQUENCEs with a short message
id; a BindRequest ([APPLICATION 0]) gets BindResponse success, the rest is read
and dropped.
"""

import argparse
import selectors
import signal
import socket
import sys

import serving  # a sibling module

BIND_REQUEST = 0x60


def ber_length(data: bytes, at: int):
    """(length, offset of the contents) of the BER length at data[at], or None if cut."""
    if at >= len(data):
        return None
    first = data[at]
    if first < 0x80:
        return first, at + 1
    n = first & 0x7F
    if at + 1 + n > len(data):
        return None
    return int.from_bytes(data[at + 1:at + 1 + n], "big"), at + 1 + n


def bind_response(message_id: bytes) -> bytes:
    # resultCode success (ENUMERATED 0), matchedDN "", diagnosticMessage "".
    body = bytes([0x02, len(message_id)]) + message_id + bytes.fromhex("61070a010004000400")
    return bytes([0x30, len(body)]) + body


def answer(conn: socket.socket, pending: bytes) -> bytes:
    """Answers the complete messages in pending; returns what is left of it."""
    while True:
        parsed = ber_length(pending, 1)
        if parsed is None or parsed[1] + parsed[0] > len(pending):
            return pending
        length, start = parsed
        message, pending = pending[start:start + length], pending[start + length:]
        id_length = message[1]
        message_id, operation = message[2:2 + id_length], message[2 + id_length]
        if operation == BIND_REQUEST:
            conn.sendall(bind_response(message_id))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pidfile", required=True)
    args = p.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(16)
    serving.write_pidfile(args.pidfile)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ)
    pending = {}
    while True:
        for key, _ in sel.select():
            if key.fileobj is sock:
                conn, _ = sock.accept()
                sel.register(conn, selectors.EVENT_READ)
                pending[conn] = b""
                continue
            conn = key.fileobj
            try:
                data = conn.recv(65536)
            except OSError:
                data = b""
            if not data:
                sel.unregister(conn)
                del pending[conn]
                conn.close()
                continue
            pending[conn] = answer(conn, pending[conn] + data)


if __name__ == "__main__":
    main()
