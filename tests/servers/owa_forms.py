"""Forms-based sign-in for the OWA-like test site, in the shapes of Exchange 2003, 2007 and 2010+.

Used by owa_site.py --auth forms --forms-version 2003|2007|2010. What a client meets:
  - no session: GET -> 302 to the sign-in page (?url=<original>&reason=0); other methods -> 440
  - the sign-in page: a form with the version's action and hidden fields
  - POST to the action: a good password -> session cookies + 302 to the destination;
    a wrong one -> 302 back to the sign-in page with reason=2; a missing hidden field -> 400
  - an expired session -> 440 Login Timeout (for every method)
Test controls (no session needed): POST /testbed/expire-sessions ends every session;
POST /testbed/break-sessions?on=1 makes new sessions expire at once (a login that never lasts).
Every answer leaves a note for the log ("forms": logon-page, login-ok, login-bad, no-session,
expired, bad-form, control).
"""

import html
import secrets
import threading
from urllib.parse import parse_qs, quote, urlsplit

# Exchange 2003 calls the page owalogon.asp and posts to owaauth.dll; 2007 posts to
# owaauth.dll relative to /owa/auth/; 2010 and later post to /owa/auth.owa.
SHAPES = {
    "2003": {
        "logon": "/exchweb/bin/auth/owalogon.asp", "action": "/exchweb/bin/auth/owaauth.dll",
        "action_attr": "/exchweb/bin/auth/owaauth.dll", "hidden": {"flags": "0"},
        "cookies": ["sessionid", "cadata"], "title": "Microsoft Outlook Web Access",
    },
    "2007": {
        "logon": "/owa/auth/logon.aspx", "action": "/owa/auth/owaauth.dll", "action_attr": "owaauth.dll",
        "hidden": {"flags": "0", "forcedownlevel": "0"},
        "cookies": ["sessionid", "cadata", "UserContext"], "title": "Microsoft Exchange - Outlook Web Access",
    },
    "2010": {
        "logon": "/owa/auth/logon.aspx", "action": "/owa/auth.owa", "action_attr": "/owa/auth.owa",
        "hidden": {"flags": "4", "forcedownlevel": "0", "isUtf8": "1"},
        "cookies": ["cadata", "cadataIV", "cadataKey", "cadataSig", "cadataTTL", "sessionid"],
        "title": "Outlook Web App",
    },
}


def logon_page(version: str, destination: str, reason: str) -> bytes:
    shape = SHAPES[version]
    dest = html.escape(destination, quote=True)
    tag = "INPUT" if version == "2003" else "input"
    hidden = "".join(f'<{tag} type="hidden" name="{n}" value="{v}">' for n, v in shape["hidden"].items())
    message = '<div id="expl" class="err">The user name or password you entered isn&#39;t correct.</div>' \
        if reason == "2" else ""
    if version == "2003":
        # Exchange 2003's page: upper-case markup, a named submit button.
        return f"""<HTML><HEAD><TITLE>{shape['title']}</TITLE>
<SCRIPT>function clkLgn(){{ /* <form> in a script must not confuse a reader */ }}</SCRIPT></HEAD>
<BODY scroll="AUTO" bgcolor="#3D5FA3">
<FORM action="{shape['action_attr']}" method="POST" name="logonForm" autocomplete="off">
<INPUT type="hidden" name="destination" value="{dest}">{hidden}
{message}
<TABLE><TR><TD>Security</TD><TD>
<INPUT id="rdoPblc" type="radio" name="trusted" value="0" class="rdo" checked> Public or shared computer
<INPUT id="rdoPrvt" type="radio" name="trusted" value="4" class="rdo"> Private computer</TD></TR>
<TR><TD>Domain\\user name:</TD><TD><INPUT id="username" name="username" type="text" class="txt"></TD></TR>
<TR><TD>Password:</TD><TD><INPUT id="password" type="password" name="password" class="txt"></TD></TR>
<TR><TD><INPUT type="submit" class="btn" value="Log On" name="SubmitCreds"></TD></TR></TABLE>
</FORM></BODY></HTML>
""".encode()
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{shape['title']}</title>
<script type="text/javascript">var a = '<form action="/wrong">';</script>
<!-- <form action="/commented-out"><input type="password" name="nope"></form> -->
</head>
<body class="signInBg">
<form action="{shape['action_attr']}" method="POST" name="logonForm" autocomplete="off">
<input type="hidden" name="destination" value="{dest}">{hidden}
{message}
<div class="signInInputLabel">Domain\\user name:</div>
<input id="username" name="username" type="text" class="signInInputText" role="textbox" aria-labelledby="userNameLabel">
<div class="signInInputLabel">Password:</div>
<input id="password" name="password" type="password" class="signInInputText" onfocus="g_fFcs=0">
<div><input id="rdoPblc" type="radio" name="trusted" value="0" class="rdo" checked>
<label for="rdoPblc">This is a public or shared computer</label></div>
<div><input id="rdoPrvt" type="radio" name="trusted" value="4" class="rdo">
<label for="rdoPrvt">This is a private computer</label></div>
<div class="signInEnter" role="button" onclick="clkLgn()">sign in</div>
</form>
</body></html>
""".encode()


class FormsLogin:
    def __init__(self, version, accepted_users, password, tls):
        self.version = version
        self.shape = SHAPES[version]
        self.accepted_users = {u.lower() for u in accepted_users}
        self.password = password
        self.secure = "; secure" if tls else ""
        self.lock = threading.Lock()
        self.sessions = {}  # session id -> {"user":..., "expired": bool, "cookies": {...}}
        self.broken = False

    # -- helpers -----------------------------------------------------------------

    def logon_url(self, handler, destination, reason):
        return f"{handler.self_origin()}{self.shape['logon']}?url={quote(destination, safe='')}&reason={reason}"

    def session_of(self, cookies):
        key = cookies.get(self.shape["cookies"][0])
        with self.lock:
            session = self.sessions.get(key) if key else None
        if session is None:
            return None
        # Every cookie of the version must come back, as OWA checks its cadata family.
        if any(cookies.get(name) != value for name, value in session["cookies"].items()):
            return None
        return session

    # -- the handler's entry point ----------------------------------------------------

    def authenticate(self, handler, cookies):
        """The user of a valid session, or False after having answered the request."""
        url = urlsplit(handler.path)
        path = url.path.lower()
        method = handler.command
        if path.startswith("/testbed/") and method == "POST":
            return self.control(handler, path, parse_qs(url.query))
        if path == self.shape["logon"].lower() and method in ("GET", "HEAD"):
            query = parse_qs(url.query)
            destination = (query.get("url") or [handler.self_origin() + "/owa/"])[0]
            handler.forms_note = "logon-page"
            handler.respond(200, logon_page(self.version, destination, (query.get("reason") or ["0"])[0]),
                            headers=[("Cache-Control", "no-cache")])
            return False
        if path == self.shape["action"].lower() and method == "POST":
            return self.login(handler)
        session = self.session_of(cookies)
        if session is not None and not session["expired"]:
            return session["user"]
        if session is not None:
            handler.forms_note = "expired"
            handler.respond(440, b"", "text/plain")
            return False
        handler.forms_note = "no-session"
        if method in ("GET", "HEAD"):
            destination = handler.self_origin() + handler.path
            handler.respond(302, b"", headers=[("Location", self.logon_url(handler, destination, "0"))])
        else:
            handler.respond(440, b"", "text/plain")
        return False

    def login(self, handler):
        form = {k: v[0] for k, v in parse_qs(handler.req_body.decode("utf-8", "replace"),
                                               keep_blank_values=True).items()}
        required = ["destination", "username", "password"] + list(self.shape["hidden"])
        missing = [name for name in required if name not in form]
        if missing:
            handler.forms_note = "bad-form"
            handler.respond(400, f"missing form fields: {', '.join(missing)}\n".encode(), "text/plain")
            return False
        destination = form["destination"]
        if not destination.startswith(handler.self_origin() + "/"):
            handler.forms_note = "bad-form"
            handler.respond(400, b"destination is not on this server\n", "text/plain")
            return False
        if form["username"].lower() not in self.accepted_users or form["password"] != self.password:
            handler.forms_note = "login-bad"
            handler.respond(302, b"", headers=[("Location", self.logon_url(handler, destination, "2"))])
            return False
        user = form["username"]
        cookies = {name: secrets.token_urlsafe(12) for name in self.shape["cookies"]}
        with self.lock:
            self.sessions[cookies[self.shape["cookies"][0]]] = {
                "user": user, "expired": self.broken, "cookies": cookies}
        handler.forms_note = "login-ok"
        handler.forms_user = user
        headers = [("Set-Cookie", f"{name}={value}; path=/; HttpOnly{self.secure}") for name, value in cookies.items()]
        handler.respond(302, b"", headers=headers + [("Location", destination)])
        return False

    def control(self, handler, path, query):
        handler.forms_note = "control"
        with self.lock:
            if path == "/testbed/expire-sessions":
                for session in self.sessions.values():
                    session["expired"] = True
            elif path == "/testbed/break-sessions":
                self.broken = (query.get("on") or ["1"])[0] == "1"
            else:
                handler.respond(404, b"", "text/plain")
                return False
        handler.respond(204)
        return False
