"""The web servers of the testbed (tests/servers/): the OWA-like site without sign-in,
with NTLM, with forms or Basic sign-in and over TLS with good and bad certificates,
the EWS stand-in with NTLM or Basic over TLS, the NTLM forward proxy, and the ports
that never answer or refuse.
"""

import os

from account import DNS_DOMAIN, DOMAIN, PASSWORD, USER
from certificates import Certificates


# The Microsoft 365 stand-in's tenant and app registrations (tests/fixtures/graph/people.json).
M365_TENANT = "6d9f2c1e-3b4a-4f5e-8a7b-1c2d3e4f5a6b"
M365_CLIENT_ID = "8c1b7e2a-4d3f-4a6b-9e8d-7f6a5b4c3d2e"
M365_UNCONSENTED_CLIENT_ID = "3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b"
M365_REDIRECT_URI = "https://login.microsoftonline.com/common/oauth2/nativeclient"
M365_MFA_CODE = "424242"


class WebServers(Certificates):
    """The part of Testbed that starts the Python web servers of tests/servers/."""

    def server_env(self) -> dict:
        return dict(os.environ, OC_TEST_PASSWORD=PASSWORD)  # keeps the password out of `ps`

    def start_owa(self, name, prefix, auth_args, tls=None, host="127.0.0.1", scheme="http"):
        port = self.free_port()
        log = os.path.join(self.logs, f"{name}.jsonl")
        args = ["--port", str(port), "--log", log, "--user", USER, "--domain", DOMAIN,
                "--dns-domain", DNS_DOMAIN] + auth_args + getattr(self, "ews_options", [])
        if tls:
            args += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        self.spawn_python(name, "owa_site.py", args, port, self.server_env())
        if prefix:
            self.env[f"{prefix}_URL"] = f"{scheme}://{host}:{port}"
            self.env[f"{prefix}_LOG"] = log
        return port

    def start_hole(self, name, mode, key):
        port = self.free_port()
        self.spawn_python(name, "blackhole.py", ["--mode", mode, "--port", str(port)],
                          port if mode == "listen" else None)
        self.env[key] = f"http://127.0.0.1:{port}"

    def start_tls(self):
        tls = self.ensure_ca()
        cnf = os.path.join(tls, "openssl.cnf")

        def path(n):
            return os.path.join(tls, n)

        ossl = ["openssl"]
        self.make_self_signed(tls, "selfsigned", "/CN=localhost", "leaf_localhost", 365)
        self.run_tool(ossl + ["req", "-config", cnf, "-new", "-key", path("leaf.key"),
                              "-subj", "/CN=otherhost.example", "-out", path("otherhost.example.csr")])
        # "openssl x509 -days" cannot go negative; "openssl ca" takes explicit dates.
        sign = ossl + ["ca", "-config", cnf, "-batch", "-notext"]
        self.run_tool(sign + ["-in", path("localhost.csr"), "-out", path("expired.pem"),
                              "-extensions", "leaf_localhost",
                              "-startdate", "20200101000000Z", "-enddate", "20200201000000Z"])
        self.run_tool(sign + ["-in", path("otherhost.example.csr"), "-out", path("wronghost.pem"),
                              "-extensions", "leaf_otherhost", "-days", "365"])

        key = path("leaf.key")
        self.env["OC_TEST_TLS_CA"] = path("ca.pem")
        self.start_owa("tls", "OC_TEST_TLS", ["--auth", "none"], (path("localhost.pem"), key),
                       host="localhost", scheme="https")
        port = self.start_owa("tls-selfsigned", None, ["--auth", "none"],
                              (path("selfsigned.pem"), path("selfsigned.key")))
        self.env["OC_TEST_TLS_SELFSIGNED_URL"] = f"https://localhost:{port}"
        # A self-signed server whose certificate (and key) can change: POST /testbed/swap-certificate.
        self.make_self_signed(tls, "selfsigned2", "/CN=localhost", "leaf_localhost", 365)
        port = self.start_owa("tls-changing", None, ["--auth", "none", "--tls-alt-cert", path("selfsigned2.pem"),
                                                      "--tls-alt-key", path("selfsigned2.key")],
                              (path("selfsigned.pem"), path("selfsigned.key")))
        self.env["OC_TEST_TLS_CHANGING_URL"] = f"https://localhost:{port}"
        port = self.start_owa("tls-expired", None, ["--auth", "none"], (path("expired.pem"), key))
        self.env["OC_TEST_TLS_EXPIRED_URL"] = f"https://localhost:{port}"
        port = self.start_owa("tls-wronghost", None, ["--auth", "none"], (path("wronghost.pem"), key))
        self.env["OC_TEST_TLS_WRONGHOST_URL"] = f"https://127.0.0.1:{port}"

    def start_forms(self):
        """OWA's forms-based sign-in in the shapes of Exchange 2003, 2007 and 2010+, over
        https with the private CA, and the 2010 shape over plain http."""
        tls = self.ensure_ca()
        self.env["OC_TEST_TLS_CA"] = os.path.join(tls, "ca.pem")
        pair = (os.path.join(tls, "localhost.pem"), os.path.join(tls, "leaf.key"))
        for version in ("2003", "2007", "2010"):
            self.start_owa(f"forms-{version}", f"OC_TEST_FORMS{version}",
                           ["--auth", "forms", "--forms-version", version], pair, host="localhost", scheme="https")
        self.start_owa("forms-http", "OC_TEST_FORMS_HTTP", ["--auth", "forms", "--forms-version", "2010"],
                       host="localhost")
        # HTTP Basic, over https and over http.
        self.start_owa("basic", "OC_TEST_BASIC", ["--auth", "basic"], pair, host="localhost", scheme="https")
        self.start_owa("basic-http", "OC_TEST_BASIC_HTTP", ["--auth", "basic"], host="localhost")

    def start_proxy(self):
        """A forward proxy for http and, with CONNECT, https, that wants NTLMv2 like ISA/TMG."""
        port = self.free_port()
        log = os.path.join(self.logs, "proxy.jsonl")
        self.spawn_python("proxy", "proxy.py", ["--port", str(port), "--log", log, "--user", USER, "--domain",
                                                DOMAIN, "--dns-domain", DNS_DOMAIN], port, self.server_env())
        self.env["OC_TEST_PROXY_URL"] = f"http://127.0.0.1:{port}"
        self.env["OC_TEST_PROXY_LOG"] = log

    def start_ews_server(self, name, auth_args, version, tls=None):
        """tests/servers/ews.py as Exchange @version; returns (port, JSON log)."""
        port = self.free_port()
        log = os.path.join(self.logs, f"{name}.jsonl")
        args = ["--port", str(port), "--log", log, "--version", version, "--user", USER, "--domain", DOMAIN,
                "--dns-domain", DNS_DOMAIN] + auth_args + getattr(self, "ews_options", [])
        if tls:
            args += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        self.spawn_python(name, "ews.py", args, port, self.server_env())
        return port, log

    def start_ews(self, kind, version):
        """ews-ntlm or ews-basic: the EWS stand-in over https (private CA), signing in with
        connection-bound NTLMv2 or with Basic, as IIS does."""
        tls = self.ensure_ca()
        pair = (os.path.join(tls, "localhost.pem"), os.path.join(tls, "leaf.key"))
        port, log = self.start_ews_server(f"ews-{kind}", ["--auth", kind], version, pair)
        prefix = f"OC_TEST_EWS_{kind.upper()}"
        self.env.update({"OC_TEST_TLS_CA": os.path.join(tls, "ca.pem"), f"{prefix}_URL": f"https://localhost:{port}",
                         f"{prefix}_LOG": log})

    def start_m365(self):
        """The Microsoft 365 stand-in (tests/servers/microsoft365.py): the identity platform's
        v2 endpoints and Microsoft Graph, over https with the private CA, sharing their tokens."""
        tls = self.ensure_ca()
        self.env["OC_TEST_TLS_CA"] = os.path.join(tls, "ca.pem")
        login_port, graph_port = self.free_port(), self.free_port()
        login_log = os.path.join(self.logs, "m365-login.jsonl")
        graph_log = os.path.join(self.logs, "m365-graph.jsonl")
        env = dict(self.server_env(), OC_TEST_M365_MFA_CODE=M365_MFA_CODE)
        self.spawn_python("m365", "microsoft365.py", [
            "--login-port", str(login_port), "--graph-port", str(graph_port), "--login-log", login_log,
            "--graph-log", graph_log, "--device-interval", "1",
            "--tls-cert", os.path.join(tls, "localhost.pem"), "--tls-key", os.path.join(tls, "leaf.key")],
            (login_port, graph_port), env)
        self.env.update({
            "OC_TEST_M365_LOGIN_URL": f"https://localhost:{login_port}",
            "OC_TEST_M365_GRAPH_URL": f"https://localhost:{graph_port}/v1.0",
            "OC_TEST_M365_LOGIN_LOG": login_log,
            "OC_TEST_M365_GRAPH_LOG": graph_log,
            "OC_TEST_M365_TENANT": M365_TENANT,
            "OC_TEST_M365_CLIENT_ID": M365_CLIENT_ID,
            "OC_TEST_M365_UNCONSENTED_CLIENT_ID": M365_UNCONSENTED_CLIENT_ID,
            "OC_TEST_M365_REDIRECT_URI": M365_REDIRECT_URI,
            "OC_TEST_M365_MFA_CODE": M365_MFA_CODE,
        })
