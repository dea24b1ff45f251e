#!/usr/bin/python3
"""A forward proxy that wants sign-in, for owacal's proxy tests.

  proxy.py --port P --log FILE [--auth ntlm|none] [--user alice --password PW --domain EXAMPLE]
           [--pidfile F]

HTTP/1.1 with keep-alive, one thread per connection, standard library only. Plain http
requests come in absolute form (GET http://host:port/path) and are forwarded; https goes
through CONNECT host:port, after which bytes are relayed both ways. With --auth ntlm (the
default) a connection must first sign in with NTLMv2 in Proxy-Authorization (407 and
Proxy-Authenticate: NTLM until it has), and then stays signed in, as with ISA/TMG proxies.
Every request is logged as one JSON object per line: conn, method, target, status, user,
ntlm (type1|type3-ok|type3-bad), auth (the Proxy-Authorization scheme, never the token).
"""

import argparse
import base64
import http.client
import itertools
import json
import os
import select
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ntlm  # noqa: E402
import serving  # noqa: E402

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
              "trailer", "transfer-encoding", "upgrade"}


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, args):
        self.args = args
        self.conn_ids = itertools.count(1)
        self.log_lock = threading.Lock()
        self.log_file = open(args.log, "a", encoding="utf-8")
        super().__init__(("127.0.0.1", args.port), Handler)

    def write_log(self, record):
        with self.log_lock:
            self.log_file.write(json.dumps(record) + "\n")
            self.log_file.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "owacal-test-proxy/1.0"
    disable_nagle_algorithm = True
    timeout = 120

    def setup(self):
        super().setup()
        self.conn_id = next(self.server.conn_ids)
        self.conn_user = None
        a = self.server.args
        self.acceptor = ntlm.NtlmAcceptor(a.user, a.password, a.domain, a.dns_domain)

    def log_request(self, code="-", size="-"):
        pass

    def log(self, status, user):
        self.server.write_log({
            "t": time.time(), "conn": self.conn_id, "method": self.command, "target": self.path, "status": status,
            "user": user, "ntlm": self.ntlm_note,
            "auth": (self.headers.get("Proxy-Authorization") or "").split(" ")[0] or None})

    def reply(self, code, headers=(), body=b"", user=None):
        # Logged before the answer goes out: a client that reads the log as soon as it
        # has its answer finds the line.
        self.log(code, user)
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def refuse(self, headers):
        # Like a Windows proxy: the connection stays open, NTLM depends on it.
        self.reply(407, headers, b"Proxy Authentication Required\n")
        return False

    def authenticate(self):
        """The user, or False after having sent a 407."""
        if self.server.args.auth == "none":
            return None
        header = self.headers.get("Proxy-Authorization")
        if header is None:
            return self.conn_user or self.refuse([("Proxy-Authenticate", "NTLM")])
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "ntlm":
            return self.refuse([("Proxy-Authenticate", "NTLM")])
        try:
            blob = base64.b64decode(token.strip(), validate=True)
        except ValueError:
            blob = b""
        kind = ntlm.message_type(blob)
        if kind == 1:
            self.conn_user = None
            self.ntlm_note = "type1"
            try:
                type2 = self.acceptor.challenge(blob)
            except (ValueError, struct.error):
                return self.refuse([("Proxy-Authenticate", "NTLM")])
            return self.refuse([("Proxy-Authenticate", "NTLM " + base64.b64encode(type2).decode())])
        if kind == 3:
            user = self.acceptor.authenticate(blob)
            self.ntlm_note = "type3-ok" if user else "type3-bad"
            if user:
                self.conn_user = user
                return user
        return self.refuse([("Proxy-Authenticate", "NTLM")])

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def handle_any(self):
        self.ntlm_note = None
        body = self.read_body()
        user = self.authenticate()
        if user is False:
            return
        if self.command == "CONNECT":
            return self.tunnel(user)
        url = urlsplit(self.path)
        if url.scheme != "http" or not url.hostname:
            self.reply(400, body=b"absolute http URLs only\n", user=user)
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
        try:
            path = url.path + ("?" + url.query if url.query else "")
            upstream.request(self.command, path or "/", body=body or None, headers=headers)
            answer = upstream.getresponse()
            content = answer.read()
            out = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP | {"content-length"}]
            self.reply(answer.status, out, content, user=user)
        except OSError as e:
            self.reply(502, body=f"upstream: {e}\n".encode(), user=user)
        finally:
            upstream.close()

    def tunnel(self, user):
        host, _, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=30)
        except (OSError, ValueError) as e:
            self.reply(502, body=f"upstream: {e}\n".encode(), user=user)
            return
        self.log(200, user)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        client = self.connection
        try:
            while True:
                ready, _, _ = select.select([client, upstream], [], [], 120)
                if not ready:
                    break
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is client else client).sendall(data)
        except OSError:
            pass
        finally:
            upstream.close()

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_CONNECT = handle_any


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--auth", choices=("ntlm", "none"), default="ntlm")
    p.add_argument("--user", default="alice")
    p.add_argument("--password", default=os.environ.get("OC_TEST_PASSWORD", ""))
    p.add_argument("--domain", default="EXAMPLE")
    p.add_argument("--dns-domain", default="example.test")
    p.add_argument("--pidfile")
    args = p.parse_args()
    if args.auth == "ntlm" and not args.password:
        p.error("--auth ntlm needs --password (or OC_TEST_PASSWORD)")
    serving.serve(Server(args), args.pidfile)


if __name__ == "__main__":
    main()
