#!/usr/bin/python3
"""A stand-in for Microsoft 365: the Microsoft identity platform (v2 endpoints) and
Microsoft Graph's calendar and user API, on two ports of one process that share
their tokens.

Sign-in (--login-port), after Microsoft's "OAuth 2.0 authorization code flow",
"device authorization grant" and token error pages:
  GET  /{tenant}/oauth2/v2.0/authorize     the sign-in form (login, passwd), then a second
       factor (otc), then 302 to redirect_uri?code=…&state=…; errors as the real service
       gives them: an unknown client_id or redirect_uri ends on an error page (AADSTS700016,
       AADSTS50011); a user not assigned (AADSTS50105), blocked by Conditional Access
       (AADSTS53003) or a client without consent (AADSTS65001) is sent back to
       redirect_uri?error=…&error_description=AADSTS…&state=…
  POST /{tenant}/oauth2/v2.0/token          authorization_code (PKCE S256 or plain checked),
       refresh_token, urn:ietf:params:oauth:grant-type:device_code; errors as JSON with
       error, error_description "AADSTS…: …", error_codes, timestamp, trace_id, correlation_id
  POST /{tenant}/oauth2/v2.0/devicecode     user_code, device_code, verification_uri, interval, …
  GET|POST /devicelogin                     where a user types the code (and signs in)
  POST /testbed/devicecode?user_code=X&action=approve|decline|expire|slow-down[&user=U]
  POST /testbed/revoke[?user=U]             revokes refresh tokens (all, or U's)
  POST /testbed/expire-access-tokens        every access token issued so far expires now
  POST /testbed/token-lifetime?seconds=N    lifetime of access tokens issued from now on

Graph (--graph-port), after Microsoft Graph's v1.0 reference:
  POST /v1.0/me/calendar/getSchedule       up to 20 schedules, a window under 62 days
  GET  /v1.0/users/{upn}/calendar/calendarView?startDateTime=…&endDateTime=…[&$top=N]
       server-expanded occurrences, paged with @odata.nextLink ($skip); Prefer:
       outlook.timezone is honoured and echoed in Preference-Applied
  GET  /v1.0/users/{upn}, /v1.0/me, /v1.0/users?$filter=mail eq '…'
  401 InvalidAuthenticationToken for a missing, unknown or expired token.
  POST /testbed/throttle?count=N&retry_after=S[&status=429|503]: the next N API
       requests get that status with Retry-After: S.

People and events: tests/fixtures/graph/people.json. Each port logs one JSON object per
request (never a token, password or code): see write_log() callers.
"""

import argparse
import base64
import datetime as dt
import hashlib
import html
import json
import os
import secrets
import ssl
import sys
import threading
import time
import urllib.parse
import uuid
import zoneinfo
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import serving

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "fixtures", "graph", "people.json")
UTC = dt.timezone.utc
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
MAX_SCHEDULES = 20   # "getSchedule can support looking up free/busy information for up to 20 entities"
MAX_SCHEDULE_DAYS = 62
WINDOWS_ZONES = {
    "UTC": "UTC", "GMT Standard Time": "Europe/London", "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris", "Pacific Standard Time": "America/Los_Angeles",
    "Eastern Standard Time": "America/New_York", "Tokyo Standard Time": "Asia/Tokyo",
}
REASONS = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           429: "Too Many Requests", 503: "Service Unavailable"}


def now() -> float:
    return time.time()


def zone_for(name):
    """The zone a Windows or IANA zone name means, or None."""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(WINDOWS_ZONES.get(name, name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def parse_local(text: str, zone) -> dt.datetime:
    """"2026-03-09T08:30:00.0000000" (or with Z / an offset) in @zone → aware datetime."""
    text = text.strip()
    if "." in text[19:]:
        head, _, tail = text.partition(".")
        rest = tail.lstrip("0123456789")
        text = head + rest
    when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=zone or UTC)


def graph_time(when: dt.datetime, zone, zone_name) -> dict:
    local = when.astimezone(zone) if zone else when.astimezone(UTC)
    return {"dateTime": local.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": zone_name if zone else "UTC"}


# --- The directory and its calendars ---------------------------------------------------

class Directory:
    def __init__(self, path):
        with open(path) as f:
            data = json.load(f)
        self.tenant = data["tenant"]
        self.clients = data["clients"]
        self.redirect_uris = data["redirect_uris"]
        self.people = {k.lower(): v for k, v in data["people"].items()}

    def person(self, address):
        return self.people.get((address or "").lower())

    def known_tenant(self, tenant):
        return tenant in (self.tenant["id"], self.tenant["domain"], "organizations", "common")

    def redirect_ok(self, uri):
        if uri in self.redirect_uris:
            return True
        # Loopback redirect URIs may use any port (Microsoft's "localhost exceptions").
        parts = urllib.parse.urlsplit(uri or "")
        return parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1") and \
            f"http://localhost{parts.path.rstrip('/')}" in self.redirect_uris

    def occurrences(self, address, start, end):
        """Expanded events of @address overlapping [start, end), sorted, as dicts with
        aware start/end, all_day and series information."""
        person = self.person(address)
        found = []
        for n, event in enumerate(person.get("events", [])):
            base_id = f"{person['id']}-{n}"
            all_day = "date" in event
            if all_day:
                day = dt.date.fromisoformat(event["date"])
                first = dt.datetime.combine(day, dt.time(), UTC)
                length = dt.timedelta(days=1)
            else:
                first = parse_local(event["start"], UTC)
                length = parse_local(event["end"], UTC) - first
            count = event.get("repeat_daily", 1)
            for i in range(count):
                s = first + dt.timedelta(days=i)
                if s < end and s + length > start:
                    found.append(dict(event, id=f"{base_id}-{i}" if count > 1 else base_id, series=base_id
                                      if count > 1 else None, s=s, e=s + length, all_day=all_day))
        found.sort(key=lambda o: (o["s"], o["id"]))
        return found


# --- Shared state: codes, tokens, device codes, switches ----------------------------------

class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.args = args
        self.flows = {}          # ctx → authorize request, then user
        self.codes = {}          # code → {client, redirect, challenge, method, scope, user, expires, used}
        self.access = {}         # token → {user, client, expires}
        self.refresh = {}        # token → {user, client, scope, revoked}
        self.devices = {}        # device_code → {user_code, client, scope, state, user, expires, interval, last}
        self.token_lifetime = args.token_lifetime
        self.throttle = None     # {count, retry_after, status}

    def issue(self, user, client, scope):
        access = secrets.token_urlsafe(32)
        refresh = secrets.token_urlsafe(48)
        with self.lock:
            self.access[access] = {"user": user, "client": client, "expires": now() + self.token_lifetime}
            self.refresh[refresh] = {"user": user, "client": client, "scope": scope, "revoked": False}
            lifetime = self.token_lifetime
        return access, refresh, lifetime

    def bearer(self, header):
        """("valid", user) | ("missing"|"invalid"|"expired", None)."""
        if not header:
            return "missing", None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return "invalid", None
        with self.lock:
            entry = self.access.get(token.strip())
        if entry is None:
            return "invalid", None
        if entry["expires"] <= now():
            return "expired", None
        return "valid", entry["user"]


# --- Errors in Microsoft's shapes ------------------------------------------------------------

AADSTS = {
    50011: "The redirect URI '{redirect}' specified in the request does not match the redirect URIs configured "
           "for the application '{client}'. Make sure the redirect URI sent in the request matches one added to "
           "your application in the Azure portal.",
    50105: "Your administrator has configured the application {app} ('{client}') to block users unless they are "
           "specifically granted ('assigned') access to the application. The signed in user '{user}' is blocked "
           "because they are not a direct member of a group with access, nor had access directly assigned by an "
           "administrator. Please contact your administrator to assign access to this application.",
    50126: "Error validating credentials due to invalid username or password.",
    50173: "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might "
           "have changed or reset their password. The grant was issued on '{issued}' and the TokensValidFrom date "
           "(before which tokens are not valid) for this user is '{revoked}'.",
    53003: "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
    54005: "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing "
           "refresh token.",
    65001: "The user or administrator has not consented to use the application with ID '{client}' named '{app}'. "
           "Send an interactive authorization request for this user and resource.",
    70000: "The request was denied because one or more grants are invalid.",
    70008: "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive "
           "authorization request for this user and resource.",
    70011: "The provided request must include a 'scope' input parameter.",
    70016: "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
    70019: "Verification code expired.",
    90014: "The required field '{field}' is missing from the credential. Ensure that you have all the necessary "
           "parameters for the login request.",
    9002313: "Invalid request. Request is malformed or invalid.",
    501481: "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
    700016: "Application with identifier '{client}' was not found in the directory '{tenant}'. This can happen if the "
            "application has not been installed by the administrator of the tenant or consented to by any user in "
            "the tenant. You may have sent your authentication request to the wrong tenant.",
}


def aadsts_text(code, **kw) -> str:
    return f"AADSTS{code}: " + AADSTS[code].format_map(_Blank(kw))


class _Blank(dict):
    def __missing__(self, key):
        return ""


def aad_error_body(error, code, **kw) -> dict:
    trace, corr = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = dt.datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    return {"error": error,
            "error_description": f"{aadsts_text(code, **kw)}\r\nTrace ID: {trace}\r\nCorrelation ID: {corr}\r\n"
                                 f"Timestamp: {stamp}",
            "error_codes": [code], "timestamp": stamp, "trace_id": trace, "correlation_id": corr,
            "error_uri": f"https://login.microsoftonline.com/error?code={code}"}


def graph_error_body(code, message) -> dict:
    return {"error": {"code": code, "message": message,
                      "innerError": {"date": dt.datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                                     "request-id": str(uuid.uuid4()), "client-request-id": str(uuid.uuid4())}}}


def page(title, body) -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1>{body}</body></html>").encode()


# --- Servers ---------------------------------------------------------------------------------

class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, port, handler, log, tls, state, directory, role):
        self.state, self.directory, self.role = state, directory, role
        self.log_lock = threading.Lock()
        self.log_file = open(log, "a", encoding="utf-8")
        self.tls = tls
        self.base = None
        super().__init__(("127.0.0.1", port), handler)

    def finish_request(self, request, client_address):
        if self.tls is None:
            return super().finish_request(request, client_address)
        request.settimeout(10)
        try:
            tls_sock = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as e:
            print(f"{self.role}: TLS handshake failed: {e}", file=sys.stderr, flush=True)
            return
        try:
            self.RequestHandlerClass(tls_sock, client_address, self)
        finally:
            tls_sock.close()

    def write_log(self, record):
        with self.log_lock:
            self.log_file.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.log_file.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "microsoft365-testbed/1.0"
    disable_nagle_algorithm = True
    timeout = 120

    def log_request(self, code="-", size="-"):
        pass

    def do_GET(self):
        self.record = {}
        url = urllib.parse.urlsplit(self.path)
        self.route = url.path
        self.query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        self.body = self.read_body()
        try:
            self.dispatch()
        except (ValueError, KeyError) as e:
            self.respond_json(400, {"error": "invalid_request", "error_description": f"malformed request: {e}"})

    do_POST = do_GET

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def form(self) -> dict:
        return dict(urllib.parse.parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def respond(self, code, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(code, REASONS.get(code))
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        # Logged before the answer leaves: a test reads the log as soon as it has the answer.
        query = {k: ("…" if k in SECRET_FIELDS else v) for k, v in self.query.items()}
        self.server.write_log(dict({"method": self.command, "path": self.route, "query": query, "status": code},
                                   **self.record))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def respond_json(self, code, obj, headers=()):
        self.respond(code, json.dumps(obj, indent=1).encode(), "application/json; charset=utf-8", headers)


SECRET_FIELDS = {"code", "code_verifier", "refresh_token", "device_code", "passwd", "otc", "client_secret",
                 "access_token", "state"}


# --- The identity platform ---------------------------------------------------------------------

class LoginHandler(Handler):
    def dispatch(self):
        st, d = self.server.state, self.server.directory
        parts = self.route.strip("/").split("/")
        if self.route.startswith("/testbed/"):
            return self.testbed(parts[1] if len(parts) > 1 else "")
        if self.route == "/devicelogin":
            return self.device_login()
        if len(parts) < 3 or parts[1:3] != ["oauth2", "v2.0"]:
            return self.respond(404, page("Not found", ""))
        tenant, endpoint = parts[0], "/".join(parts[3:])
        self.record["tenant"] = tenant
        if not d.known_tenant(tenant):
            self.record["error"] = 90002
            return self.respond_json(400, dict(aad_error_body("invalid_request", 9002313),
                                               error_description=f"AADSTS90002: Tenant '{tenant}' not found."))
        if endpoint == "authorize":
            return self.authorize(tenant)
        if endpoint == "authorize/login" and self.command == "POST":
            return self.sign_in(tenant)
        if endpoint == "authorize/mfa" and self.command == "POST":
            return self.second_factor(tenant)
        if endpoint == "token" and self.command == "POST":
            return self.token(tenant)
        if endpoint == "devicecode" and self.command == "POST":
            return self.device_code(tenant)
        return self.respond(404, page("Not found", ""))

    # -- authorize: form, second factor, redirect ----------------------------------------------

    def error_page(self, code, status=400, **kw):
        """What Microsoft shows when it cannot send the error back to the app."""
        self.record["error"] = code
        text = aadsts_text(code, **kw)
        body = (f"<p>Sorry, but we’re having trouble signing you in.</p><p id='error' data-code='AADSTS{code}'>"
                f"{html.escape(text)}</p>")
        self.respond(status, page("Sign in to your account", body))

    def redirect_error(self, flow, error, code, **kw):
        self.record["error"] = code
        text = aadsts_text(code, **kw) + f"\r\nTrace ID: {uuid.uuid4()}\r\nCorrelation ID: {uuid.uuid4()}"
        params = {"error": error, "error_description": text}
        if flow.get("state") is not None:
            params["state"] = flow["state"]
        sep = "&" if "?" in flow["redirect_uri"] else "?"
        self.respond(302, b"", headers=[("Location", flow["redirect_uri"] + sep + urllib.parse.urlencode(params))])

    def authorize(self, tenant):
        q, d = self.query, self.server.directory
        client = q.get("client_id", "")
        self.record.update(client_id=client, scopes=q.get("scope", "").split(),
                           pkce=q.get("code_challenge_method", "plain") if q.get("code_challenge") else None)
        if client not in d.clients:
            return self.error_page(700016, client=client, tenant=d.tenant["id"])
        if not d.redirect_ok(q.get("redirect_uri")):
            return self.error_page(50011, redirect=q.get("redirect_uri", ""), client=client)
        flow = {"tenant": tenant, "client": client, "redirect_uri": q["redirect_uri"], "state": q.get("state"),
                "scope": q.get("scope", ""), "challenge": q.get("code_challenge"),
                "method": q.get("code_challenge_method", "plain"), "user": None}
        if q.get("response_type") != "code":
            return self.redirect_error(flow, "unsupported_response_type", 9002313)
        if not flow["scope"]:
            return self.redirect_error(flow, "invalid_request", 70011)
        if flow["challenge"] and flow["method"] not in ("S256", "plain"):
            return self.redirect_error(flow, "invalid_request", 9002313)
        ctx = secrets.token_urlsafe(16)
        with self.server.state.lock:
            self.server.state.flows[ctx] = flow
        self.sign_in_form(tenant, ctx, q.get("login_hint", ""))

    def sign_in_form(self, tenant, ctx, login="", problem=""):
        self.respond(200, page("Sign in to your account", f"""
<form id="credentials" method="post" action="/{html.escape(tenant)}/oauth2/v2.0/authorize/login">
<input type="hidden" name="ctx" value="{ctx}">
<p id="problem">{html.escape(problem)}</p>
<label>Email <input type="email" name="login" id="i0116" value="{html.escape(login)}"></label>
<label>Password <input type="password" name="passwd" id="i0118"></label>
<input type="submit" id="idSIButton9" value="Sign in">
</form>"""))

    def sign_in(self, tenant):
        f, st, d = self.form(), self.server.state, self.server.directory
        with st.lock:
            flow = st.flows.get(f.get("ctx", ""))
        if flow is None:
            return self.error_page(9002313)
        self.record.update(client_id=flow["client"], user=f.get("login", ""))
        person = d.person(f.get("login"))
        if person is None or f.get("passwd") != self.server.state.args.password:
            self.record["error"] = 50126
            return self.sign_in_form(tenant, f["ctx"], f.get("login", ""), aadsts_text(50126))
        flow["user"] = f["login"].lower()
        self.respond(200, page("Verify your identity", f"""
<form id="second-factor" method="post" action="/{html.escape(tenant)}/oauth2/v2.0/authorize/mfa">
<input type="hidden" name="ctx" value="{html.escape(f['ctx'])}">
<p>Enter the code displayed in your authenticator app.</p>
<label>Code <input type="text" name="otc" id="idTxtBx_SAOTCC_OTC" autocomplete="one-time-code"></label>
<input type="submit" id="idSubmit_SAOTCC_Continue" value="Verify">
</form>"""))

    def second_factor(self, tenant):
        f, st, d = self.form(), self.server.state, self.server.directory
        with st.lock:
            flow = st.flows.get(f.get("ctx", ""))
        if flow is None or flow["user"] is None:
            return self.error_page(9002313)
        self.record.update(client_id=flow["client"], user=flow["user"])
        if f.get("otc") != self.server.state.args.mfa_code:
            self.record["error"] = "otc"
            return self.respond(200, page("Verify your identity", f"""
<form id="second-factor" method="post" action="/{html.escape(tenant)}/oauth2/v2.0/authorize/mfa">
<input type="hidden" name="ctx" value="{html.escape(f['ctx'])}">
<p id="problem">That code didn't work. Check the code and try again.</p>
<label>Code <input type="text" name="otc" id="idTxtBx_SAOTCC_OTC"></label>
<input type="submit" id="idSubmit_SAOTCC_Continue" value="Verify"></form>"""))
        with st.lock:
            st.flows.pop(f["ctx"], None)
        person, client = d.person(flow["user"]), d.clients[flow["client"]]
        if person.get("sign_in") == "50105":
            return self.redirect_error(flow, "access_denied", 50105, app=client["name"], client=flow["client"],
                                       user=flow["user"])
        if person.get("sign_in") == "53003":
            return self.redirect_error(flow, "access_denied", 53003)
        if not client["consented"]:
            return self.redirect_error(flow, "consent_required", 65001, client=flow["client"], app=client["name"])
        code = secrets.token_urlsafe(40)
        with st.lock:
            st.codes[code] = dict(flow, expires=now() + 600, used=False)
        params = {"code": code, "session_state": str(uuid.uuid4())}
        if flow.get("state") is not None:
            params["state"] = flow["state"]
        sep = "&" if "?" in flow["redirect_uri"] else "?"
        self.respond(302, b"", headers=[("Location", flow["redirect_uri"] + sep + urllib.parse.urlencode(params))])

    # -- token endpoint ----------------------------------------------------------------------------

    def token_error(self, error, code, **kw):
        self.record["error"] = code
        body = aad_error_body(error, code, **kw)
        if code == 65001:
            body["suberror"] = "consent_required"
        self.respond_json(400, body)

    def token_answer(self, user, client, scope):
        access, refresh, lifetime = self.server.state.issue(user, client, scope)
        person = self.server.directory.person(user)
        answer = {"token_type": "Bearer", "scope": " ".join(s for s in scope.split() if s.startswith("https://")),
                  "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": access}
        if "offline_access" in scope.split():
            answer["refresh_token"] = refresh
        if "openid" in scope.split():
            claims = {"aud": client, "iss": f"{self.server.base}/{self.server.directory.tenant['id']}/v2.0",
                      "tid": self.server.directory.tenant["id"], "oid": person["id"], "name": person["displayName"],
                      "preferred_username": user, "iat": int(now()), "exp": int(now()) + 3600}

            def b64(obj):
                return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()
            answer["id_token"] = f"{b64({'typ': 'JWT', 'alg': 'none'})}.{b64(claims)}."
        self.record["user"] = user
        self.respond_json(200, answer)

    def token(self, tenant):
        f, st, d = self.form(), self.server.state, self.server.directory
        grant, client = f.get("grant_type", ""), f.get("client_id", "")
        self.record.update(grant_type=grant, client_id=client, scopes=f.get("scope", "").split())
        if client not in d.clients:
            return self.token_error("unauthorized_client", 700016, client=client, tenant=d.tenant["id"])
        if "client_secret" in f:
            self.record["error"] = 700025
            return self.respond_json(400, dict(aad_error_body("invalid_client", 70000), error_description=
                                               "AADSTS700025: Client is public so neither 'client_assertion' nor "
                                               "'client_secret' should be presented."))
        if grant == "authorization_code":
            return self.redeem_code(f, client)
        if grant == "refresh_token":
            return self.redeem_refresh(f, client)
        if grant == DEVICE_CODE_GRANT:
            return self.redeem_device(f, client)
        return self.token_error("unsupported_grant_type", 9002313)

    def redeem_code(self, f, client):
        st = self.server.state
        with st.lock:
            entry = st.codes.get(f.get("code", ""))
            used = entry is not None and entry["used"]
            if entry is not None:
                entry["used"] = True
        if entry is None or entry["client"] != client:
            return self.token_error("invalid_grant", 70000)
        if used:
            return self.token_error("invalid_grant", 54005)
        if entry["expires"] < now():
            return self.token_error("invalid_grant", 70008)
        if f.get("redirect_uri") != entry["redirect_uri"]:
            return self.token_error("invalid_grant", 50011, redirect=f.get("redirect_uri", ""), client=client)
        if entry["challenge"]:
            verifier = f.get("code_verifier")
            if not verifier:
                self.record["pkce"] = "missing"
                return self.token_error("invalid_request", 90014, field="code_verifier")
            if entry["method"] == "S256":
                computed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()) \
                    .rstrip(b"=").decode()
            else:
                computed = verifier
            self.record["pkce"] = "ok" if computed == entry["challenge"] else "bad"
            if computed != entry["challenge"]:
                return self.token_error("invalid_grant", 501481)
        else:
            self.record["pkce"] = None
        self.token_answer(entry["user"], client, entry["scope"])

    def redeem_refresh(self, f, client):
        st = self.server.state
        with st.lock:
            entry = st.refresh.get(f.get("refresh_token", ""))
        if entry is None or entry["client"] != client:
            return self.token_error("invalid_grant", 9002313)
        if entry["revoked"]:
            return self.token_error("invalid_grant", 50173, issued="2026-01-01T00:00:00Z",
                                    revoked=dt.datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.token_answer(entry["user"], client, entry["scope"] if not f.get("scope") else f["scope"])

    def redeem_device(self, f, client):
        st, d = self.server.state, self.server.directory
        with st.lock:
            entry = st.devices.get(f.get("device_code", ""))
            if entry is None or entry["client"] != client:
                entry, early = None, False
            else:
                # RFC 8628 3.5: polling faster than the interval earns slow_down (and 5 s more).
                early = entry["slow_down_next"] or (entry["last"] and now() - entry["last"] < entry["interval"] - 0.5)
                entry["slow_down_next"] = False
                entry["last"] = now()
                if early:
                    entry["interval"] += 5
        if entry is None:
            return self.token_error("invalid_grant", 9002313)
        self.record["device"] = entry["state"]
        if entry["expires"] < now() or entry["state"] == "expired":
            return self.token_error("expired_token", 70019)
        if entry["state"] == "declined":
            return self.token_error("authorization_declined", 70000)
        if early:
            self.record["error"] = "slow_down"
            body = aad_error_body("slow_down", 70016)
            body["error"] = "slow_down"
            return self.respond_json(400, body)
        if entry["state"] == "pending":
            return self.token_error("authorization_pending", 70016)
        if not d.clients[client]["consented"]:
            return self.token_error("invalid_grant", 65001, client=client, app=d.clients[client]["name"])
        with st.lock:
            entry["state"] = "redeemed"
        self.token_answer(entry["user"], client, entry["scope"])

    # -- device code --------------------------------------------------------------------------------

    def device_code(self, tenant):
        f, st, d = self.form(), self.server.state, self.server.directory
        client = f.get("client_id", "")
        self.record.update(client_id=client, scopes=f.get("scope", "").split())
        if client not in d.clients:
            return self.token_error("unauthorized_client", 700016, client=client, tenant=d.tenant["id"])
        if not f.get("scope"):
            return self.token_error("invalid_request", 70011)
        user_code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))
        device_code = secrets.token_urlsafe(48)
        interval = self.server.state.args.device_interval
        with st.lock:
            st.devices[device_code] = {"user_code": user_code, "client": client, "scope": f["scope"],
                                       "state": "pending", "user": None, "expires": now() + 900,
                                       "interval": interval, "last": 0, "slow_down_next": False}
        uri = f"{self.server.base}/devicelogin"
        self.respond_json(200, {"user_code": user_code, "device_code": device_code, "verification_uri": uri,
                                "expires_in": 900, "interval": interval,
                                "message": f"To sign in, use a web browser to open the page {uri} and enter the "
                                           f"code {user_code} to authenticate."})

    def find_device(self, user_code):
        with self.server.state.lock:
            return next((e for e in self.server.state.devices.values() if e["user_code"] == user_code), None)

    def device_login(self):
        """The page a user opens on another device: code, address and password in one form."""
        if self.command == "GET":
            return self.respond(200, page("Enter code", """
<form id="device" method="post" action="/devicelogin">
<label>Code <input name="otc" id="otc"></label><label>Email <input name="login"></label>
<label>Password <input type="password" name="passwd"></label><input type="submit" value="Next"></form>"""))
        f = self.form()
        entry = self.find_device(f.get("otc", "").strip().upper())
        person = self.server.directory.person(f.get("login"))
        if entry is None or person is None or f.get("passwd") != self.server.state.args.password:
            self.record["error"] = 50126 if entry else 70019
            return self.respond(200, page("Enter code", "<p id='problem'>That didn't work.</p>"))
        entry.update(state="approved", user=f["login"].lower())
        self.respond(200, page("You have signed in", "<p id='done'>You may now close this window.</p>"))

    # -- testbed switches ---------------------------------------------------------------------------

    def testbed(self, action):
        st, q = self.server.state, self.query
        if self.command != "POST":
            return self.respond(405, b"")
        if action == "devicecode":
            entry = self.find_device(q.get("user_code", ""))
            if entry is None:
                return self.respond_json(404, {"error": "no such user_code"})
            what = q.get("action", "approve")
            with st.lock:
                if what == "approve":
                    entry.update(state="approved", user=q.get("user", "alice@example.test").lower())
                elif what == "slow-down":
                    entry["slow_down_next"] = True
                else:
                    entry["state"] = {"decline": "declined", "expire": "expired"}[what]
            return self.respond_json(200, {"state": entry["state"]})
        if action == "revoke":
            user = q.get("user", "").lower()
            with st.lock:
                n = 0
                for entry in st.refresh.values():
                    if not user or entry["user"] == user:
                        entry["revoked"], n = True, n + 1
            return self.respond_json(200, {"revoked": n})
        if action == "expire-access-tokens":
            with st.lock:
                for entry in st.access.values():
                    entry["expires"] = 0
            return self.respond_json(200, {"expired": len(st.access)})
        if action == "token-lifetime":
            with st.lock:
                st.token_lifetime = int(q["seconds"])
            return self.respond_json(200, {"seconds": st.token_lifetime})
        self.respond(404, b"")


# --- Microsoft Graph ---------------------------------------------------------------------------------

STATUS_VIEW = {"free": "0", "workingElsewhere": "0", "tentative": "1", "busy": "2", "oof": "3"}


class GraphHandler(Handler):
    def dispatch(self):
        st = self.server.state
        if self.route == "/testbed/throttle" and self.command == "POST":
            with st.lock:
                st.throttle = {"count": int(self.query.get("count", "1")),
                               "retry_after": self.query.get("retry_after", "1"),
                               "status": int(self.query.get("status", "429"))}
            return self.respond_json(200, st.throttle)
        prefer = self.headers.get("Prefer", "")
        self.record["prefer"] = prefer or None
        with st.lock:
            throttle = st.throttle
            if throttle and throttle["count"] > 0:
                throttle["count"] -= 1
            else:
                throttle = None
        if throttle:
            self.record["error"] = "TooManyRequests" if throttle["status"] == 429 else "ServiceUnavailable"
            body = graph_error_body(self.record["error"], "Please retry after" if throttle["status"] == 429
                                    else "The service is temporarily unavailable.")
            return self.respond_json(throttle["status"], body, [("Retry-After", throttle["retry_after"])])
        bearer, user = st.bearer(self.headers.get("Authorization"))
        self.record["bearer"] = bearer
        if bearer != "valid":
            self.record["error"] = "InvalidAuthenticationToken"
            message = {"missing": "Access token is empty.", "expired": "Access token has expired or is not yet valid.",
                       "invalid": "IDX14100: JWT is not well formed, there are no dots (.)."}[bearer]
            return self.respond_json(401, graph_error_body("InvalidAuthenticationToken", message), [
                ("WWW-Authenticate", 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/'
                                     'oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"')])
        self.viewer = user
        self.zone_name = None
        for pref in prefer.split(","):
            key, _, value = pref.strip().partition("=")
            if key.strip().lower() == "outlook.timezone":
                self.zone_name = value.strip().strip('"')
        self.zone = zone_for(self.zone_name)
        self.pref_headers = [("Preference-Applied", f'outlook.timezone="{self.zone_name}"')] if self.zone else []
        parts = self.route.strip("/").split("/")
        if parts[:1] != ["v1.0"]:
            return self.not_found()
        parts = [urllib.parse.unquote(p) for p in parts[1:]]
        if parts == ["me", "calendar", "getSchedule"] and self.command == "POST":
            return self.get_schedule()
        if parts == ["me"]:
            parts = ["users", user]
        if len(parts) == 4 and parts[0] == "users" and parts[2:] == ["calendar", "calendarView"]:
            return self.calendar_view(parts[1])
        if len(parts) == 2 and parts[0] == "users":
            return self.user(parts[1])
        if parts == ["users"]:
            return self.users()
        self.not_found()

    def not_found(self):
        self.record["error"] = "UnknownError"
        self.respond_json(404, graph_error_body("UnknownError", ""))

    def fail(self, status, code, message):
        self.record["error"] = code
        self.respond_json(status, graph_error_body(code, message))

    # -- users ------------------------------------------------------------------------------------

    def user_json(self, address, person):
        return {"@odata.context": f"{self.server.base}/v1.0/$metadata#users/$entity", "id": person["id"],
                "displayName": person["displayName"], "mail": address, "userPrincipalName": address,
                "jobTitle": person.get("jobTitle"), "officeLocation": person.get("officeLocation"),
                "businessPhones": [], "givenName": person["displayName"].split()[0],
                "surname": person["displayName"].split()[-1], "mobilePhone": None, "preferredLanguage": "en-US"}

    def user(self, who):
        d = self.server.directory
        address = next((a for a, p in d.people.items() if who.lower() in (a, p["id"])), None)
        if address is None:
            return self.fail(404, "Request_ResourceNotFound", f"Resource '{who}' does not exist or one of its "
                             "queried reference-property objects are not present.")
        self.respond_json(200, self.user_json(address, d.people[address]))

    def users(self):
        flt = self.query.get("$filter", "")
        self.record["filter"] = flt
        field, op, value = (flt.split(" ", 2) + ["", ""])[:3]
        if field not in ("mail", "userPrincipalName") or op != "eq" or not (value.startswith("'") and
                                                                              value.endswith("'")):
            return self.fail(400, "Request_UnsupportedQuery", f"Unsupported query: {flt}")
        address = value[1:-1].replace("''", "'").lower()
        person = self.server.directory.person(address)
        found = [self.user_json(address, person)] if person else []
        for entry in found:
            entry.pop("@odata.context")
        self.respond_json(200, {"@odata.context": f"{self.server.base}/v1.0/$metadata#users", "value": found})

    # -- getSchedule --------------------------------------------------------------------------------

    def get_schedule(self):
        d = self.server.directory
        request = json.loads(self.body or b"{}")
        request = {k[:1].lower() + k[1:]: v for k, v in request.items()}  # "Schedules" works as well
        schedules = request.get("schedules") or []
        self.record["schedules"] = schedules
        if not schedules or not request.get("startTime") or not request.get("endTime"):
            return self.fail(400, "ErrorInvalidParameter", "schedules, startTime and endTime are required.")
        if len(schedules) > MAX_SCHEDULES:
            return self.fail(400, "ErrorInvalidParameter",
                             f"The number of schedules ({len(schedules)}) exceeds the maximum of {MAX_SCHEDULES}.")
        start = parse_local(request["startTime"]["dateTime"], zone_for(request["startTime"].get("timeZone")))
        end = parse_local(request["endTime"]["dateTime"], zone_for(request["endTime"].get("timeZone")))
        if end <= start or end - start >= dt.timedelta(days=MAX_SCHEDULE_DAYS):
            return self.fail(400, "ErrorInvalidTimeInterval" if end > start else "ErrorInvalidParameter",
                             f"The time interval must be shorter than {MAX_SCHEDULE_DAYS} days.")
        interval = int(request.get("availabilityViewInterval") or 30)
        if not 5 <= interval <= 1440:
            return self.fail(400, "ErrorInvalidParameter", "availabilityViewInterval must be between 5 and 1440.")
        value = [self.schedule(address, start, end, interval) for address in schedules]
        self.respond_json(200, {"@odata.context": f"{self.server.base}/v1.0/$metadata#Collection("
                                                  "microsoft.graph.scheduleInformation)", "value": value},
                          self.pref_headers)

    def schedule(self, address, start, end, interval):
        person = self.server.directory.person(address)
        if person is None or "working_hours" not in person:
            return {"scheduleId": address, "availabilityView": "", "scheduleItems": [],
                    "error": {"message": f"Unable to resolve e-mail address {address} to an Active Directory object.",
                              "responseCode": "5009"}}
        share = "full" if address.lower() == self.viewer else person["share"]
        if share == "none":
            return {"scheduleId": address, "availabilityView": "", "scheduleItems": [],
                    "error": {"message": "Microsoft.Exchange.InfoWorker.Common.Availability.NoFreeBusyAccessException:"
                                         " No free/busy access is allowed for the requester.",
                              "responseCode": "ErrorNoFreeBusyAccess"}}
        items, slots = [], []
        occurrences = self.server.directory.occurrences(address, start, end)
        for o in occurrences:
            if o["showAs"] == "free":
                continue
            item = {"isPrivate": o.get("sensitivity") == "private", "status": o["showAs"],
                    "start": graph_time(o["s"], self.zone, self.zone_name),
                    "end": graph_time(o["e"], self.zone, self.zone_name)}
            if share in ("full", "limited") and not item["isPrivate"]:
                item.update(subject=o["subject"], location=o.get("location", ""))
            if share == "free-busy":
                del item["isPrivate"]
            items.append(item)
        t = start
        while t < end:
            u = t + dt.timedelta(minutes=interval)
            states = [STATUS_VIEW.get(o["showAs"], "0") for o in occurrences if o["s"] < u and o["e"] > t]
            slots.append(max(states) if states else "0")
            t = u
        wh = person["working_hours"]
        return {"scheduleId": address, "availabilityView": "".join(slots), "scheduleItems": items,
                "workingHours": {"daysOfWeek": wh["days"], "startTime": wh["start"] + ".0000000",
                                 "endTime": wh["end"] + ".0000000", "timeZone": wh["zone"]}}

    # -- calendarView -----------------------------------------------------------------------------------

    def calendar_view(self, who):
        d, q = self.server.directory, self.query
        person = d.person(who)
        if person is None:
            return self.fail(404, "ErrorInvalidUser", f"The requested user '{who}' is invalid.")
        if who.lower() != self.viewer and person["share"] != "full":
            return self.fail(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
        if "startDateTime" not in q or "endDateTime" not in q:
            return self.fail(400, "ErrorInvalidParameter", "This request requires a time window specified by the "
                             "query string parameters StartDateTime and EndDateTime.")
        start, end = parse_local(q["startDateTime"], UTC), parse_local(q["endDateTime"], UTC)
        top = min(int(q.get("$top", "10")), 1000)
        skip = int(q.get("$skip", "0"))
        self.record.update(top=top, skip=skip)
        occurrences = d.occurrences(who, start, end)
        answer = {"@odata.context": f"{self.server.base}/v1.0/$metadata#users('{who}')/calendar/calendarView",
                  "value": [self.event_json(o) for o in occurrences[skip:skip + top]]}
        if skip + top < len(occurrences):
            next_query = dict(q, **{"$top": str(top), "$skip": str(skip + top)})
            answer["@odata.nextLink"] = (f"{self.server.base}{self.route}?"
                                         + urllib.parse.urlencode(next_query, quote_via=urllib.parse.quote))
        self.respond_json(200, answer, self.pref_headers)

    def event_json(self, o):
        d = self.server.directory

        def address(a):
            p = d.person(a)
            return {"emailAddress": {"name": p["displayName"] if p else a, "address": a}}
        organizer = o.get("organizer") or next(a for a, p in d.people.items() if o["id"].startswith(p["id"]))
        if o["all_day"]:
            # All-day events are floating: midnight to midnight in whatever zone is asked for.
            day = o["s"].date()
            start = {"dateTime": f"{day.isoformat()}T00:00:00.0000000", "timeZone": self.zone_name if self.zone else "UTC"}
            end = {"dateTime": f"{(day + dt.timedelta(days=1)).isoformat()}T00:00:00.0000000",
                   "timeZone": start["timeZone"]}
        else:
            start, end = graph_time(o["s"], self.zone, self.zone_name), graph_time(o["e"], self.zone, self.zone_name)
        return {"id": o["id"], "iCalUId": "040000008200E00074C5B7101A82E008" + o["id"].replace("-", "")[:32],
                "subject": o["subject"], "bodyPreview": o.get("body", ""),
                "body": {"contentType": "text", "content": o.get("body", "")},
                "start": start, "end": end, "isAllDay": o["all_day"], "isCancelled": False,
                "showAs": o["showAs"], "sensitivity": o.get("sensitivity", "normal"),
                "type": "occurrence" if o["series"] else "singleInstance", "seriesMasterId": o["series"],
                "location": {"displayName": o.get("location", ""), "locationType": "default"},
                "organizer": address(organizer),
                "attendees": [dict(address(a), type="required", status={"response": "accepted",
                                                                        "time": "0001-01-01T00:00:00Z"})
                              for a in o.get("attendees", [])]}


# --- Main ------------------------------------------------------------------------------------------------

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--login-port", type=int, required=True)
    p.add_argument("--graph-port", type=int, required=True)
    p.add_argument("--login-log", required=True)
    p.add_argument("--graph-log", required=True)
    p.add_argument("--host", default="localhost", help="the host name in URLs the servers hand out")
    p.add_argument("--password", default=os.environ.get("OC_TEST_PASSWORD", ""))
    p.add_argument("--mfa-code", default=os.environ.get("OC_TEST_M365_MFA_CODE", "123456"))
    p.add_argument("--token-lifetime", type=int, default=3600, help="seconds an access token is valid")
    p.add_argument("--device-interval", type=int, default=5, help="device code polling interval (seconds)")
    p.add_argument("--fixture", default=FIXTURE)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--pidfile")
    args = p.parse_args()

    tls = None
    if args.tls_cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    scheme = "https" if tls else "http"
    state, directory = State(args), Directory(args.fixture)
    login = Server(args.login_port, LoginHandler, args.login_log, tls, state, directory, "login")
    graph = Server(args.graph_port, GraphHandler, args.graph_log, tls, state, directory, "graph")
    login.base = f"{scheme}://{args.host}:{args.login_port}"
    graph.base = f"{scheme}://{args.host}:{args.graph_port}"
    threading.Thread(target=login.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    serving.serve(graph, args.pidfile)


if __name__ == "__main__":
    main()
