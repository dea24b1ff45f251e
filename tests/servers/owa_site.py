#!/usr/bin/python3
"""A small Outlook-Web-Access-like site for owacal's integration and UI tests.

HTTP/1.1 with keep-alive, one thread per connection, standard library only.

  owa_site.py --port P [--auth none|ntlm|header|forms] [--offer-negotiate] [--forms-version V]
              [--user alice --password PW --domain EXAMPLE --dns-domain example.test]
              --log FILE [--pidfile F] [--tls-cert C --tls-key K]

--auth ntlm    connection-bound NTLMv2 like IIS: the handshake runs on one
               connection and that connection then stays authenticated.
--auth header  trusts X-Remote-User, set by the Apache/mod_auth_gssapi front.
--auth forms   OWA's forms-based sign-in in the shape of Exchange 2003, 2007 or 2010+
               (--forms-version; see owa_forms.py). 2003 serves calendars under /exchange/.
--auth basic   HTTP Basic.
--auth none    no authentication.

Every request is logged as one JSON object per line (see log_request_json);
passwords and NTLM blobs are never logged.  The routes are listed in route().
"""

import argparse
import base64
import datetime
import hashlib
import html
import itertools
import json
import os
import re
import secrets
import ssl
import struct
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ntlm  # noqa: E402  (sibling module)
import owa_forms  # noqa: E402
import serving  # noqa: E402

# /owa/<smtp>/... (2007 and later), /exchange/<alias>/Calendar/... (2003)
MAILBOX_RE = re.compile(r"^/(?:owa|exchange)/([^/]+)/(?:Calendar/)?(.*)$")
# Exchange's published calendars: /owa/calendar/<guid>@<domain>/<hash>/calendar.ics; the hash names the fixture.
PUBLISHED_RE = re.compile(r"/owa/calendar/[^/]+@[^/]+/([^/]+)/(?:calendar\.ics|feed)")
PUBLISHED_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "ical", "people")
REASONS = {440: "Login Timeout"}  # OWA's session-expired status, unknown to http.server


# --- Static content ------------------------------------------------------------

def make_png(width=16, height=16) -> bytes:
    """A real (tiny) PNG: blue square with a white diagonal, so a test can check naturalWidth."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b""
    for y in range(height):
        rows += b"\0" + b"".join(b"\xff\xff\xff" if x == y else b"\x00\x78\xd4" for x in range(width))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


LOGO_PNG = make_png()

STYLE_CSS = b"""/* A UI test can prove this file loaded: body's computed background is rgb(250, 250, 240). */
body { background-color: rgb(250, 250, 240); font-family: sans-serif; margin: 1em; }
#status { border-left: 4px solid rgb(0, 120, 212); padding-left: 0.5em; }
#events li { margin: 0.2em 0; }
"""

# The page's script.  It exercises what a viewer must route through its own HTTP
# stack: relative and absolute fetches, a custom header fed from a script-readable
# cookie (like OWA's X-OWA-CANARY), a cookie set by script, and a form POST that
# answers with a redirect to an absolute URL.  Results land in the DOM and in
# document.body.dataset so a UI test can read them.
APP_JS = rb"""'use strict';
(function () {
  var config = JSON.parse(document.getElementById('owa-config').textContent);
  var params = new URLSearchParams(location.search);
  var body = document.body;
  var status = document.getElementById('status');

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split(/;\s*/) : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (eq > 0 && parts[i].substring(0, eq) === name)
        return decodeURIComponent(parts[i].substring(eq + 1));
    }
    return null;
  }

  function json(resp) {
    if (!resp.ok)
      throw new Error(String(resp.status));
    return resp.json();
  }

  /* Set before the service call so the server can report whether it came back. */
  document.cookie = 'owacal-test=js-set; path=/';

  var canary = readCookie('X-OWA-CANARY');
  var headers = {'Content-Type': 'application/json; charset=utf-8', 'Action': 'GetCalendarView'};
  if (canary !== null)
    headers['X-OWA-CANARY'] = canary;

  var view = fetch('service.svc?action=GetCalendarView', {
    method: 'POST', headers: headers,
    body: JSON.stringify({mailbox: config.mailbox, week: config.week})
  }).then(json).then(function (data) {
    var list = document.getElementById('events');
    data.events.forEach(function (ev) {
      var li = document.createElement('li');
      li.textContent = ev.start.substring(0, 16).replace('T', ' ') + ' ' + ev.subject;
      list.appendChild(li);
    });
    body.dataset.canary = data.canary;
    body.dataset.cookieSeen = String(data.cookieSeen);
    status.textContent = 'ok: ' + data.events.length + ' events, canary ' + (canary || '').substring(0, 6);
  }).catch(function (err) {
    status.textContent = 'error: ' + err.message;
  });

  /* A truly absolute URL, written into the page by the server. */
  var ping = fetch(config.pingUrl, {method: 'POST'}).then(json).then(function (data) {
    body.dataset.ping = data.pong ? 'pong' : 'no-pong';
  }).catch(function (err) {
    body.dataset.ping = 'error: ' + err.message;
  });

  var loaded = new Promise(function (resolve) {
    if (document.readyState === 'complete') resolve(); else window.addEventListener('load', resolve);
  });

  /* ?probe=URL: the page tries to make the viewer send its sign-in to another
   * server (a leak test): a credentialed fetch and an image of that URL. */
  var probe = params.get('probe') ? Promise.all([
    fetch(params.get('probe'), {method: 'POST', credentials: 'include', body: 'probe'})
      .then(function (r) { body.dataset.probe = String(r.status); })
      .catch(function (err) { body.dataset.probe = 'error: ' + err.message; }),
    new Promise(function (resolve) {
      var img = new Image();
      img.onload = img.onerror = resolve;
      img.src = params.get('probe') + (params.get('probe').indexOf('?') < 0 ? '?' : '&') + 'img=1';
    })]) : Promise.resolve();

  Promise.all([view, ping, loaded, probe]).then(function () {
    var logo = document.getElementById('logo');
    body.dataset.logo = logo.complete && logo.naturalWidth > 0 ? 'ok' : 'missing';
    body.dataset.done = '1';
    if (params.get('step') !== '2' && params.get('autosubmit') !== '0')
      document.getElementById('options').submit();
  });
})();
"""


def calendar_page(mailbox: str, ping_url: str, week: str) -> bytes:
    config = json.dumps({"mailbox": mailbox, "pingUrl": ping_url, "week": week})
    config = config.replace("<", "\\u003c")  # keep "</script>" out of the inline JSON
    title = html.escape(f"Calendar - {mailbox}")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="style.css">
<script id="owa-config" type="application/json">{config}</script>
<script src="app.js" defer></script>
</head>
<body>
<img id="logo" src="logo.png" alt="logo" width="16" height="16">
<h1>{title}</h1>
<div id="status">loading</div>
<ul id="events"></ul>
<form id="options" method="post" action="options.aspx">
<input type="hidden" name="week" value="next">
<button type="submit">Next week</button>
</form>
</body>
</html>
""".encode()


# What OWA 2016 and later show for a web-part address: its own error page, with the exception named
# in the X-OWA-Error header (the page itself says little).
OWA_ERROR_PAGE = (b"<!DOCTYPE html><html><head><title>Outlook</title></head><body>"
                  b"<h1>Something went wrong</h1><p>You don't have permission to open this mailbox.</p>"
                  b"<p>X-OWA-Error: Microsoft.Exchange.Clients.Owa2.Server.Core.OwaExplicitLogonException</p>"
                  b"</body></html>")


def status_page(code: int, reason: str) -> bytes:
    return f"<!DOCTYPE html>\n<html><head><title>{code} {reason}</title></head>" \
           f"<body><h1>{code} {reason}</h1></body></html>\n".encode()


def week_events(week: str) -> list:
    """Five events, Monday to Friday of this week (or the next one)."""
    today = datetime.date.today()
    monday = today - datetime.timedelta(days=today.weekday())
    if week == "next":
        monday += datetime.timedelta(days=7)
    subjects = ["Team standup", "Design review", "1:1 with Bob", "Release planning", "Friday demo"]
    events = []
    for i, subject in enumerate(subjects):
        start = datetime.datetime.combine(monday + datetime.timedelta(days=i), datetime.time(9 + i, 0))
        events.append({"id": f"ev{i + 1}", "subject": subject, "location": f"Room {101 + i}",
                       "start": start.isoformat(), "end": (start + datetime.timedelta(minutes=30)).isoformat()})
    return events


def parse_cookies(header: str) -> dict:
    cookies = {}
    for part in (header or "").split(";"):
        name, eq, value = part.strip().partition("=")
        if eq:
            cookies.setdefault(name, value)
    return cookies


# --- Server --------------------------------------------------------------------

class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, args, handler_class=None):
        self.args = args
        self.conn_ids = itertools.count(1)
        self.log_lock = threading.Lock()
        self.log_file = open(args.log, "a", encoding="utf-8")
        self.tls = None
        self.forms = None
        if args.auth == "forms":
            self.forms = owa_forms.FormsLogin(
                args.forms_version, [f"{args.domain}\\{args.user}", f"{args.user}@{args.dns_domain}", args.user],
                args.password, bool(args.tls_cert))
        if args.tls_cert:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(args.tls_cert, args.tls_key)
        # --tls-alt-cert: POST /testbed/swap-certificate makes new connections get this one.
        self.tls_alt = None
        if args.tls_alt_cert:
            self.tls_alt = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls_alt.load_cert_chain(args.tls_alt_cert, args.tls_alt_key)
        # ews.py serves its own routes through a subclass of Handler.
        super().__init__(("127.0.0.1", args.port), handler_class or Handler)

    def finish_request(self, request, client_address):
        # The TLS handshake runs here, in the connection's own thread, so a client
        # that connects and stalls (or rejects our certificate) blocks nobody else.
        if self.tls is None:
            return super().finish_request(request, client_address)
        request.settimeout(10)
        try:
            tls_sock = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as e:
            print(f"TLS handshake from port {client_address[1]} failed: {e}", file=sys.stderr, flush=True)
            return
        try:
            self.RequestHandlerClass(tls_sock, client_address, self)
        finally:
            tls_sock.close()

    def write_log(self, record: dict):
        line = json.dumps(record, ensure_ascii=False)
        with self.log_lock:
            self.log_file.write(line + "\n")
            self.log_file.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the client asks otherwise
    server_version = "owa-site-testbed/1.0"
    # Headers and body go out in separate writes; without TCP_NODELAY the body
    # waits ~40 ms for the client's delayed ACK on every keep-alive request.
    disable_nagle_algorithm = True
    # Longer than Apache's pooled backend connection ttl, so the front never
    # reuses a connection we are just closing.
    timeout = 600

    # -- connection ------------------------------------------------------------

    def setup(self):
        super().setup()
        self.conn_id = next(self.server.conn_ids)
        self.conn_user = None  # set once NTLM succeeded on this connection
        a = self.server.args
        self.acceptor = ntlm.NtlmAcceptor(a.user, a.password, a.domain, a.dns_domain)

    def version_string(self):
        return self.server_version

    def log_request(self, code="-", size="-"):
        pass  # replaced by the JSON log written in handle_any()

    def do_GET(self):
        self.handle_any()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_GET

    # -- request plumbing ------------------------------------------------------

    def read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():  # trailers
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def respond(self, code, body=b"", ctype="text/html; charset=utf-8", headers=()):
        # send_response() rather than send_error(): the latter adds
        # "Connection: close", and IIS keeps the connection open after a 401
        # (NTLM depends on it).
        self.send_response(code, REASONS.get(code))
        for name, value in headers:
            self.send_header(name, value)
        origin = self.headers.get("Origin")
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Credentials", "true")
            self.send_header("Vary", "Origin")
        if code not in (204, 304):  # RFC 9110: neither has a body or Content-Length
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        self.status = code
        # Logged before the answer leaves: a client that reads the log as soon as it has
        # its answer finds the line.
        if not self.logged:
            self.logged = True
            self.log_request_json(self.log_user, self.req_body)
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def handle_any(self):
        self.status = None
        self.ntlm_note = None
        self.forms_note = None
        self.forms_user = None
        self.logged = False
        self.log_user = None
        body = self.req_body = self.read_body()
        user = None
        try:
            user = self.authenticate()
            self.log_user = user or None
            if user is not False:
                self.route(user)
        finally:
            if not self.logged:
                self.log_request_json(user or None, body)

    def log_request_json(self, user, body):
        text = body.decode("utf-8", "replace") if len(body) < 2048 else len(body)
        self.server.write_log({
            "t": time.time(), "conn": self.conn_id, "port": self.client_address[1],
            "method": self.command, "host": self.headers.get("Host"), "path": self.path, "status": self.status,
            "user": user or self.forms_user, "ntlm": self.ntlm_note, "forms": self.forms_note,
            # The scheme only, never the token; cookie names only, never values.
            "auth": (self.headers.get("Authorization") or "").split(" ")[0] or None,
            "cookies": sorted(parse_cookies(self.headers.get("Cookie")).keys()),
            "ua": self.headers.get("User-Agent"),
            "canary": self.headers.get("X-OWA-CANARY"),
            "origin": self.headers.get("Origin"), "referer": self.headers.get("Referer"),
            "content_type": self.headers.get("Content-Type"), "body": text,
        })

    # -- authentication --------------------------------------------------------

    def authenticate(self):
        """Return the user (None when there is none), or False after having sent a 401/403."""
        mode = self.server.args.auth
        if self.command == "OPTIONS":
            # CORS preflights never carry credentials; answer them unauthenticated
            # (Apache's front is configured the same way).
            return None
        if mode == "none":
            return None
        if mode == "forms":
            return self.server.forms.authenticate(self, parse_cookies(self.headers.get("Cookie")))
        if mode == "basic":
            return self.authenticate_basic()
        if mode == "header":
            user = self.headers.get("X-Remote-User")
            if not user:
                self.respond(403, status_page(403, "No X-Remote-User from the front"))
                return False
            return user
        return self.authenticate_ntlm()

    def authenticate_basic(self):
        """RFC 7617 Basic, as IIS offers it: the password itself, so only ever over TLS by a careful client."""
        scheme, _, token = (self.headers.get("Authorization") or "").strip().partition(" ")
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(token, validate=True).decode("utf-8").partition(":")
            except ValueError:
                user, password = "", ""
            a = self.server.args
            accepted = {f"{a.domain}\\{a.user}".lower(), f"{a.user}@{a.dns_domain}".lower(), a.user.lower()}
            if user.lower() in accepted and password == a.password:
                return user
        return self.unauthorized([("WWW-Authenticate", 'Basic realm="OWA testbed"')])

    def challenges(self):
        offers = [("WWW-Authenticate", "NTLM")]
        if self.server.args.offer_negotiate:
            offers.insert(0, ("WWW-Authenticate", "Negotiate"))
        return offers

    def unauthorized(self, headers):
        self.respond(401, status_page(401, "Unauthorized"), headers=headers)
        return False

    def authenticate_ntlm(self):
        header = self.headers.get("Authorization")
        if header is None:
            # Like IIS, a connection that finished a handshake stays authenticated.
            return self.conn_user if self.conn_user else self.unauthorized(self.challenges())
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() not in ("ntlm", "negotiate"):
            return self.unauthorized(self.challenges())
        try:
            blob = base64.b64decode(token.strip(), validate=True)
        except ValueError:
            blob = b""
        kind = ntlm.message_type(blob)
        if kind == 1:
            # A new handshake drops whatever this connection had proved before.
            self.conn_user = None
            self.ntlm_note = "type1"
            try:
                type2 = self.acceptor.challenge(blob)
            except (ValueError, struct.error):
                return self.unauthorized(self.challenges())
            # Answer in the scheme the client used (Windows sends raw NTLM inside Negotiate).
            return self.unauthorized([("WWW-Authenticate", f"{scheme} {base64.b64encode(type2).decode()}")])
        if kind == 3:
            user = self.acceptor.authenticate(blob)
            self.ntlm_note = "type3-ok" if user else "type3-bad"
            if user:
                self.conn_user = user
                return user
        # A Kerberos/SPNEGO token, garbage, or a failed Type-3: start over.
        return self.unauthorized(self.challenges())

    # -- routes ------------------------------------------------------------------

    def self_origin(self):
        """scheme://host:port as the client addressed us (Apache preserves Host)."""
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        return ("https" if self.server.tls else "http") + "://" + host

    def route(self, user):
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        method = self.command
        if method == "OPTIONS":
            return self.respond(204, headers=[
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers",
                 self.headers.get("Access-Control-Request-Headers") or "Content-Type, X-OWA-CANARY, Action"),
                ("Access-Control-Max-Age", "600")])
        if path == "/testbed/owa-version" and method == "POST":
            # Exchange 2016 and later have no calendar web parts: their OWA answers a web-part
            # address (explicit logon to another mailbox) with its error page.
            self.server.owa_version = (query.get("v") or ["2013"])[0]
            return self.respond(204)
        if path == "/testbed/swap-certificate" and method == "POST" and self.server.tls_alt:
            self.server.tls, self.server.tls_alt = self.server.tls_alt, self.server.tls
            return self.respond(204)
        m = re.fullmatch(r"/status/([45]\d\d)", path)
        if m and method in ("GET", "HEAD"):
            code = int(m.group(1))
            return self.respond(code, status_page(code, REASONS.get(code) or self.responses.get(code, ("",))[0]))
        if path == "/redirect" and method in ("GET", "HEAD") and query.get("to"):
            # To test where credentials go: a redirect to any URL, possibly another host.
            return self.respond(302, b"", headers=[("Location", query["to"][0])])
        if path == "/slow" and method in ("GET", "HEAD"):
            ms = min(int((query.get("ms") or ["1000"])[0]), 120000)
            time.sleep(ms / 1000)
            return self.respond(200, f"slept {ms} ms\n".encode(), "text/plain; charset=utf-8")
        m = PUBLISHED_RE.fullmatch(path)
        if m and method in ("GET", "HEAD"):
            return self.route_published(m.group(1))
        m = MAILBOX_RE.match(path)
        if m:
            return self.route_mailbox(m.group(1), m.group(2), query)
        return self.respond(404, status_page(404, "Not Found"))

    def route_published(self, name):
        """A published calendar, as Exchange serves it: tests/fixtures/ical/people/NAME.ics.
        ".../calendar.ics" is the address Exchange gives out; ".../feed" answers the same
        iCalendar at an address that does not say so (only its Content-Type does)."""
        fixture = os.path.join(PUBLISHED_DIR, f"{name}.ics")
        if not re.fullmatch(r"[a-z]+", name) or not os.path.isfile(fixture):
            return self.respond(404, status_page(404, "Not Found"))
        with open(fixture, "rb") as f:
            body = f.read()
        # As IIS does for a static file: an ETag, and 304 when the client has this version.
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            return self.respond(304, headers=[("ETag", etag)])
        return self.respond(200, body, "text/calendar; charset=utf-8", headers=[("ETag", etag)])

    def route_mailbox(self, mailbox_raw, sub, query):
        mailbox = unquote(mailbox_raw)
        method = self.command
        get = method in ("GET", "HEAD")
        calendar = query.get("module", [""])[0].lower() == "calendar" or query.get("Cmd", [""])[0] == "contents"
        if sub == "" and get and calendar and getattr(self.server, "owa_version", "2013") >= "2016":
            return self.respond(200, OWA_ERROR_PAGE, headers=[
                ("X-OWA-Error", "Microsoft.Exchange.Clients.Owa2.Server.Core.OwaExplicitLogonException"),
                ("Cache-Control", "no-cache, no-store")])
        if sub == "" and get and calendar:
            week = "next" if query.get("step", [""])[0] == "2" else "this"
            ping_url = f"{self.self_origin()}/owa/{mailbox_raw}/service.svc?action=Ping"
            return self.respond(200, calendar_page(mailbox, ping_url, week), headers=[
                ("Cache-Control", "no-cache"),
                ("Set-Cookie", f"X-OWA-CANARY={secrets.token_hex(16)}; path=/"),
                ("Set-Cookie", f"owa-session={secrets.token_urlsafe(16)}; path=/; HttpOnly")])
        if sub == "style.css" and get:
            return self.respond(200, STYLE_CSS, "text/css; charset=utf-8")
        if sub == "app.js" and get:
            return self.respond(200, APP_JS, "application/javascript; charset=utf-8")
        if sub == "logo.png" and get:
            return self.respond(200, LOGO_PNG, "image/png")
        if sub == "service.svc" and method == "POST":
            action = query.get("action", [""])[0]
            if action == "GetCalendarView":
                return self.get_calendar_view()
            if action == "Ping":
                return self.respond(200, b'{"pong": true}', "application/json; charset=utf-8")
        if sub == "options.aspx" and method == "POST":
            # An absolute Location, as OWA sends, built from the Host the client used.
            location = f"{self.self_origin()}/owa/{mailbox_raw}/?cmd=contents&module=calendar&view=week&step=2"
            return self.respond(302, b"", headers=[("Location", location)])
        return self.respond(404, status_page(404, "Not Found"))

    def get_calendar_view(self):
        cookies = parse_cookies(self.headers.get("Cookie"))
        sent = self.headers.get("X-OWA-CANARY")
        if sent is None:
            canary = "missing"
        else:
            canary = "match" if sent and sent == cookies.get("X-OWA-CANARY") else "mismatch"
        try:
            week = json.loads(self.req_body or b"{}").get("week", "this")
        except (ValueError, AttributeError):
            week = "this"
        reply = {"canary": canary, "events": week_events(week),
                 "cookieSeen": cookies.get("owacal-test") == "js-set"}
        self.respond(200, json.dumps(reply).encode(), "application/json; charset=utf-8")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--auth", choices=("none", "ntlm", "header", "forms", "basic"), default="none")
    p.add_argument("--forms-version", choices=sorted(owa_forms.SHAPES), default="2010",
                   help="with --auth forms, the Exchange version whose sign-in to imitate")
    p.add_argument("--offer-negotiate", action="store_true",
                   help="with --auth ntlm, also offer 'WWW-Authenticate: Negotiate' (SSO->NTLM fallback tests)")
    p.add_argument("--user", default="alice")
    p.add_argument("--password", default=os.environ.get("OC_TEST_PASSWORD", ""))
    p.add_argument("--domain", default="EXAMPLE")
    p.add_argument("--dns-domain", default="example.test")
    p.add_argument("--log", required=True)
    p.add_argument("--pidfile")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--tls-alt-cert", help="a second certificate, for POST /testbed/swap-certificate")
    p.add_argument("--tls-alt-key")
    args = p.parse_args()
    if args.auth in ("ntlm", "forms", "basic") and not args.password:
        p.error(f"--auth {args.auth} needs --password (or OC_TEST_PASSWORD)")
    serving.serve(Server(args), args.pidfile)


if __name__ == "__main__":
    main()
