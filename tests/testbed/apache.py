"""Apache with mod_auth_gssapi: Kerberos (Negotiate) sign-in in front of the OWA site and
of the EWS stand-in (over TLS), like IIS with Integrated Windows Authentication."""

import os
import shutil
import tempfile

from kerberos import Kerberos
from web_servers import WebServers

APACHE = "/usr/sbin/apache2"
APACHE_MODULES = "/usr/lib/apache2/modules"


def reachable_by_others(path: str) -> bool:
    """Whether a process running as nobody can traverse down to path."""
    path = os.path.abspath(path)
    while True:
        if not os.stat(path).st_mode & 0o001:
            return False
        if path == "/":
            return True
        path = os.path.dirname(path)


class Apache(WebServers, Kerberos):
    """The part of Testbed that starts Apache: the OWA site is its backend, the KDC's
    HTTP keytab its key."""

    def start_negotiate(self):
        backend = self.start_owa("negotiate-backend", None, ["--auth", "header"], host="localhost")
        self.env["OC_TEST_NEGOTIATE_BACKEND_LOG"] = os.path.join(self.logs, "negotiate-backend.jsonl")
        access_log = os.path.join(self.logs, "apache-access.log")
        port = self.start_apache("apache", backend, access_log)
        self.env.update({
            "OC_TEST_NEGOTIATE_URL": f"http://localhost:{port}",
            "OC_TEST_NEGOTIATE_LOG": access_log,
        })

    def start_ews_negotiate(self, version):
        """The EWS stand-in behind Apache with Kerberos over https, like IIS with Windows
        authentication: its log is the EWS server's own (user from X-Remote-User)."""
        backend, log = self.start_ews_server("ews-negotiate-backend", ["--auth", "header"], version)
        tls = self.ensure_ca()
        access_log = os.path.join(self.logs, "ews-negotiate-access.log")
        port = self.start_apache("ews-apache", backend, access_log,
                                 (os.path.join(tls, "localhost.pem"), os.path.join(tls, "leaf.key")))
        self.env.update({
            "OC_TEST_TLS_CA": os.path.join(tls, "ca.pem"),
            "OC_TEST_EWS_NEGOTIATE_URL": f"https://localhost:{port}",
            "OC_TEST_EWS_NEGOTIATE_LOG": log,
            "OC_TEST_EWS_NEGOTIATE_ACCESS_LOG": access_log,
        })

    def start_apache(self, name, backend, access_log, tls=None) -> int:
        """Apache with mod_auth_gssapi on a free port in front of @backend (http on 127.0.0.1),
        over TLS when @tls is (certificate, key); its state lives in state/<name>."""
        apache_dir = os.path.join(self.state, name)
        os.makedirs(os.path.join(apache_dir, "runtime"))
        as_root = os.geteuid() == 0

        # As root, Apache's workers run as nobody and read the keytab, krb5.conf and
        # the replay cache at request time.  If nobody cannot reach our state dir
        # (a build dir under /root, a 0700 --dir), those files go to a side dir in /tmp.
        shared = os.path.join(apache_dir, "shared")
        if as_root and not reachable_by_others(self.state):
            shared = tempfile.mkdtemp(prefix="owacal-testbed-apache-")
            with open(os.path.join(self.run_dir, "side-dir"), "a") as f:
                f.write(shared + "\n")
        os.makedirs(shared, exist_ok=True)
        os.chmod(shared, 0o755)
        rcache = os.path.join(shared, "rcache")
        os.makedirs(rcache)
        os.chmod(rcache, 0o1777)
        files = {}
        sources = [("http.keytab", self.keytab), ("krb5.conf", self.env["KRB5_CONFIG"]),
                   ("gss-mech.conf", self.env["GSS_MECH_CONFIG"])]
        if tls:
            sources += [("tls.pem", tls[0]), ("tls.key", tls[1])]
        for file_name, src in sources:
            files[file_name] = os.path.join(shared, file_name)
            shutil.copyfile(src, files[file_name])
            os.chmod(files[file_name], 0o644)  # test keys; readable by nobody on purpose

        port = self.free_port()
        conf = os.path.join(apache_dir, "httpd.conf")
        pidfile = os.path.join(self.run_dir, f"{name}.pid")
        ssl = SSL_CONF.format(modules=APACHE_MODULES, cert=files["tls.pem"], key=files["tls.key"]) if tls else ""
        with open(conf, "w") as f:
            f.write(HTTPD_CONF.format(
                root=apache_dir, pidfile=pidfile, logs=self.logs, port=port, modules=APACHE_MODULES,
                user="User nobody\nGroup nogroup" if as_root else "# not root: runs as the caller",
                keytab=files["http.keytab"], backend=backend, access_log=access_log, name=name, ssl=ssl,
                proto="https" if tls else "http"))
        env = dict(os.environ, KRB5_CONFIG=files["krb5.conf"], GSS_MECH_CONFIG=files["gss-mech.conf"],
                   KRB5RCACHEDIR=rcache, KRB5_KTNAME=files["http.keytab"])
        self.spawn(name, [APACHE, "-f", conf, "-D", "FOREGROUND"], port, pidfile, "apache2", conf, env)
        self.env["KRB5RCACHEDIR"] = rcache
        return port


# --- Configuration template -------------------------------------------------------

HTTPD_CONF = """\
# Apache for the testbed: Kerberos (SPNEGO) in front of the OWA site, like IIS
# with Integrated Windows Authentication.
ServerRoot "{root}"
ServerName localhost
PidFile "{pidfile}"
DefaultRuntimeDir "{root}/runtime"
Mutex file:{root}/runtime default
ErrorLog "{logs}/{name}-error.log"
LogLevel warn auth_gssapi:info
Listen 127.0.0.1:{port}
{user}

LoadModule mpm_event_module {modules}/mod_mpm_event.so
<IfModule !log_config_module>
    LoadModule log_config_module {modules}/mod_log_config.so
</IfModule>
<IfModule !unixd_module>
    LoadModule unixd_module {modules}/mod_unixd.so
</IfModule>
LoadModule authn_core_module {modules}/mod_authn_core.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule authz_user_module {modules}/mod_authz_user.so
LoadModule headers_module {modules}/mod_headers.so
LoadModule setenvif_module {modules}/mod_setenvif.so
LoadModule auth_gssapi_module {modules}/mod_auth_gssapi.so
LoadModule proxy_module {modules}/mod_proxy.so
LoadModule proxy_http_module {modules}/mod_proxy_http.so
{ssl}
# Small: one process is plenty for tests and starts faster.
StartServers 1
ServerLimit 2
ThreadsPerChild 25
MaxRequestWorkers 50
MinSpareThreads 5
MaxSpareThreads 50

KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 30
# Long enough for the site's /slow?ms=120000.
Timeout 130

# Log the Authorization *scheme* only, never the token.
SetEnvIf Authorization "^([A-Za-z0-9_-]+)" OC_AUTH_SCHEME=$1
LogFormat "%{{%s}}t.%{{msec_frac}}t port=%{{remote}}p ka=%k user=%u status=%>s auth=%{{OC_AUTH_SCHEME}}e req=\\"%r\\" ua=\\"%{{User-Agent}}i\\"" testbed
CustomLog "{access_log}" testbed

<Location />
    AuthType GSSAPI
    AuthName "OWA testbed"
    GssapiCredStore keytab:{keytab}
    GssapiAllowedMech krb5
    # Like IIS: an authenticated keep-alive connection stays authenticated.
    GssapiConnectionBound On
    <RequireAny>
        # CORS preflights carry no credentials (the OWA site answers them unauthenticated too).
        Require method OPTIONS
        Require valid-user
    </RequireAny>
</Location>

# The test servers' controls (POST /testbed/...) need no sign-in.
<Location /testbed/>
    Require all granted
</Location>

# Overwrites anything a client sends under these names.
RequestHeader set X-Remote-User expr=%{{REMOTE_USER}}
RequestHeader set X-Forwarded-Proto {proto}
ProxyPreserveHost On
# ttl: drop pooled backend connections long before the site closes idle ones.
ProxyPass / http://127.0.0.1:{backend}/ nocanon ttl=60
ProxyPassReverse / http://127.0.0.1:{backend}/
"""

SSL_CONF = """\
LoadModule socache_shmcb_module {modules}/mod_socache_shmcb.so
LoadModule ssl_module {modules}/mod_ssl.so
SSLEngine on
SSLCertificateFile "{cert}"
SSLCertificateKeyFile "{key}"
SSLSessionCache none
"""
