"""The testbed's directory: OpenLDAP (slapd) with an AD-like schema, its LDIF, Exchange's
Autodiscover SCPs if asked for, and the options that shape it (--slapd-*)."""

import os

from account import USER
from certificates import Certificates
from kerberos import Kerberos
from processes import TestbedError

HERE = os.path.dirname(os.path.abspath(__file__))
LDAP_FIXTURES = os.path.normpath(os.path.join(HERE, "..", "fixtures", "ldap"))
LDAP_BASE = "dc=example,dc=test"
CONFIGURATION_BASE = "CN=Configuration,DC=example,DC=test"
AUTODISCOVER_KEYWORD = "77378F46-2C66-4aa9-A6A6-3E7A48B19596"
EXCHANGE_GROUP = ("CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Example,"
                  "CN=Microsoft Exchange,CN=Services," + CONFIGURATION_BASE)
LDAP_ADMIN_DN, LDAP_ADMIN_PASSWORD = f"cn=admin,{LDAP_BASE}", "Directory-Admin-2024"
LDAP_READER_DN, LDAP_READER_PASSWORD = f"uid=reader,{LDAP_BASE}", "Read-Only-2024"
SLAPD = "/usr/sbin/slapd"


class Directory(Certificates, Kerberos):
    """The part of Testbed that starts slapd: TLS with the private CA, SASL GSSAPI with
    the KDC's ldap keytab."""

    def autodiscover_url(self, value: str) -> str:
        """--slapd-scp takes a URL or the name of an EWS component started in the same testbed."""
        if value.startswith("ews-"):
            key = "OC_TEST_" + value.upper().replace("-", "_") + "_URL"
            if key not in self.env:
                raise TestbedError(f"--slapd-scp {value}: that component is not started (add it to --with)")
            return self.env[key] + "/autodiscover/autodiscover.xml"
        return value

    def start_slapd(self):
        opts = self.slapd_options
        slapd_dir = os.path.join(self.state, "slapd")
        db = os.path.join(slapd_dir, "db")
        os.makedirs(db)
        tls = self.ensure_ca()
        schemas = [f"/etc/ldap/schema/{n}.schema" for n in ("core", "cosine", "inetorgperson", "nis")]
        schemas.append(os.path.join(LDAP_FIXTURES, "ad-mailbox.schema"))
        scp_urls = [self.autodiscover_url(x) for x in opts.scp]
        if scp_urls:
            schemas.append(os.path.join(LDAP_FIXTURES, "ad-autodiscover.schema"))
        if not opts.no_extension_attributes:
            schemas.append(os.path.join(LDAP_FIXTURES, "ad-extension-attributes.schema"))

        # Like AD's MaxPageSize: a plain search stops after N entries (sizeLimitExceeded),
        # a paged one gets every entry in pages of at most N.  (slapd refuses a larger page
        # size with adminLimitExceeded where AD silently shrinks it.)  Every bind DN here is
        # an ordinary entry, never the rootdn, because the rootdn ignores limits.
        limits = []
        if opts.size_limit is not None:
            limits += [f"size.soft={opts.size_limit}", f"size.hard={opts.size_limit}",
                       f"size.pr={opts.size_limit}", "size.prtotal=unlimited"]
        if opts.paged_total_limit is not None:
            limits = [x for x in limits if not x.startswith("size.prtotal")]
            limits.append(f"size.prtotal={opts.paged_total_limit}")
        deny = "".join(f'access to dn.base="{ldap_conf_quote(dn)}"\n    by * read\n'
                       for dn in opts.deny_write)
        # Limits of one bind identity (slapd.limits(5)); they replace the ones above for it.
        identity_limits = "".join(f'\nlimits dn.exact="{ldap_conf_quote(dn)}" {spec}'
                                  for dn, spec in opts.limits_for)

        stalled = ""
        if opts.stalled_suffix:
            stall_port = self.free_port()
            self.spawn_python("ldap-stall", "ldap_stall.py", ["--port", str(stall_port)], stall_port)
            stalled = SLAPD_STALLED_CONF.format(suffix=ldap_conf_quote(opts.stalled_suffix), port=stall_port)

        # The SCPs live in a naming context of their own, as in AD, so that searches of the
        # domain's (what the other tests count) never see them.  slapd takes the first database
        # whose suffix matches, so this one comes before the domain's.
        configuration = ""
        if scp_urls:
            config_db = os.path.join(slapd_dir, "configuration-db")
            os.makedirs(config_db)
            root_dse = os.path.join(slapd_dir, "root-dse.ldif")
            with open(root_dse, "w") as f:
                f.write(f"dn:\nconfigurationNamingContext: {CONFIGURATION_BASE}\ndefaultNamingContext: {LDAP_BASE}\n")
            configuration = SLAPD_CONFIGURATION_CONF.format(suffix=CONFIGURATION_BASE, db=config_db,
                                                            root_dse=root_dse)

        conf = os.path.join(slapd_dir, "slapd.conf")
        pidfile = os.path.join(self.run_dir, "slapd.pid")
        with open(conf, "w") as f:
            f.write(SLAPD_CONF.format(configuration=configuration,
                includes="".join(f"include {x}\n" for x in schemas), pidfile=pidfile,
                args=os.path.join(slapd_dir, "slapd.args"), ca=os.path.join(tls, "ca.pem"),
                cert=os.path.join(tls, "localhost.pem"), key=os.path.join(tls, "leaf.key"),
                base=LDAP_BASE, db=db, admin=LDAP_ADMIN_DN, user=USER, deny=deny,
                limits=(("sizelimit " + " ".join(limits)) if limits else "# no size limit") + identity_limits)
                + stalled)

        ldif = os.path.join(slapd_dir, "directory.ldif")
        with open(ldif, "w") as f:
            f.write(SLAPD_BASE_LDIF.format(base=LDAP_BASE, admin_password=LDAP_ADMIN_PASSWORD,
                                           reader_password=LDAP_READER_PASSWORD))
            f.write("\n")
            with open(opts.ldif) as people:
                text = people.read()
            if opts.no_extension_attributes:
                text = without_extension_attributes(text)
            f.write(text.rstrip("\n") + "\n\n")
            if opts.generated_users:
                f.write(generated_users_ldif(opts.generated_users, not opts.no_extension_attributes))
        # -q: no consistency checks, an order of magnitude faster for thousands of entries.
        self.run_tool(["slapadd", "-q", "-f", conf, "-b", LDAP_BASE, "-l", ldif])
        if scp_urls:
            scp_ldif = os.path.join(slapd_dir, "autodiscover-scp.ldif")
            with open(scp_ldif, "w") as f:
                f.write(scp_entries_ldif(scp_urls))
            self.run_tool(["slapadd", "-q", "-f", conf, "-b", CONFIGURATION_BASE, "-l", scp_ldif])
            self.env["OC_TEST_LDAP_CONFIGURATION_BASE"] = CONFIGURATION_BASE
            self.env["OC_TEST_LDAP_SCP_LDIF"] = scp_ldif

        port, tls_port = self.free_port(), self.free_port()
        rcache = os.path.join(slapd_dir, "rcache")
        os.makedirs(rcache)
        env = dict(os.environ, KRB5_CONFIG=self.env["KRB5_CONFIG"], KRB5_KTNAME=self.ldap_keytab,
                   GSS_MECH_CONFIG=self.env["GSS_MECH_CONFIG"], KRB5RCACHEDIR=rcache)
        # -d 256: stay in the foreground and log every connection and operation ("stats")
        # to stderr, which spawn() keeps in logs/slapd.stderr.
        urls = f"ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{tls_port}/"
        self.spawn("slapd", [SLAPD, "-d", "256", "-h", urls, "-f", conf], (port, tls_port),
                   pidfile, "slapd", conf, env)
        self.env.update({
            # localhost, not 127.0.0.1: the GSSAPI service principal is ldap/localhost.
            "OC_TEST_LDAP_URI": f"ldap://localhost:{port}",
            "OC_TEST_LDAPS_URI": f"ldaps://localhost:{tls_port}",
            "OC_TEST_LDAP_CA": os.path.join(tls, "ca.pem"),
            "OC_TEST_LDAP_BASE": LDAP_BASE,
            "OC_TEST_LDAP_ADMIN_DN": LDAP_ADMIN_DN,
            "OC_TEST_LDAP_ADMIN_PASSWORD": LDAP_ADMIN_PASSWORD,
            "OC_TEST_LDAP_READER_DN": LDAP_READER_DN,
            "OC_TEST_LDAP_READER_PASSWORD": LDAP_READER_PASSWORD,
            "OC_TEST_LDAP_LOG": os.path.join(self.logs, "slapd.stderr"),
            "OC_TEST_LDAP_LDIF": ldif,
            # Otherwise libldap asks for ldap/<canonical host name>, which does not exist.
            "LDAPSASL_NOCANON": "on",
        })


# --- Options ------------------------------------------------------------------------

class SlapdOptions:
    """What the slapd component loads and how it limits clients (see testbed.py's doc)."""

    def __init__(self, args=None):
        self.ldif = os.path.join(LDAP_FIXTURES, "directory.ldif")
        self.generated_users = 0
        self.size_limit = None
        self.paged_total_limit = None
        self.no_extension_attributes = False
        self.deny_write = []
        self.limits_for = []
        self.stalled_suffix = None
        self.scp = []
        if args is not None:
            self.ldif = os.path.abspath(args.slapd_ldif or self.ldif)
            self.generated_users = args.slapd_generated_users
            self.size_limit = args.slapd_size_limit
            self.paged_total_limit = args.slapd_paged_total_limit
            self.no_extension_attributes = args.slapd_no_extension_attributes
            self.deny_write = args.slapd_deny_write or []
            self.limits_for = args.slapd_limits_for or []
            self.stalled_suffix = args.slapd_stalled_suffix
            self.scp = args.slapd_scp or []


def ldap_conf_quote(text: str) -> str:
    """A value for a double-quoted slapd.conf argument."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def without_extension_attributes(ldif: str) -> str:
    """The LDIF as it would be in a directory without extensionAttribute1/2: their values
    and the auxiliary class that carries them are dropped (with folded continuations)."""
    out, dropping = [], False
    for line in ldif.splitlines():
        if line.startswith(" ") and dropping:
            continue
        key = line.split(":", 1)[0].strip().lower()
        dropping = key in ("extensionattribute1", "extensionattribute2") or \
            (key == "objectclass" and line.split(":", 1)[1].strip().lower() == "exampleextensionattributes")
        if not dropping:
            out.append(line)
    return "\n".join(out) + "\n"


def generated_users_ldif(count: int, extension_attributes: bool) -> str:
    """count mailbox users under ou=generated, for paging tests (AD pages at 1000)."""
    parts = [f"dn: ou=generated,{LDAP_BASE}\nobjectClass: organizationalUnit\nou: generated\n"]
    aux = "objectClass: exampleExtensionAttributes\n" if extension_attributes else ""
    for i in range(1, count + 1):
        uid = f"gen{i:05d}"
        parts.append(
            f"dn: uid={uid},ou=generated,{LDAP_BASE}\nobjectClass: user\n"
            f"objectClass: exampleMailRecipient\n{aux}objectCategory: person\n"
            f"cn: Generated User {i:05d}\nsn: User {i:05d}\nuid: {uid}\nmail: {uid}@example.test\n"
            f"mailNickname: {uid}\nproxyAddresses: SMTP:{uid}@example.test\n"
            f"homeMDB: CN=Mailbox Database 2,CN=Databases,CN=Exchange Administrative Group,"
            f"CN=Administrative Groups,CN=Example,CN=Microsoft Exchange,CN=Services,"
            f"CN=Configuration,{LDAP_BASE}\n")
    return "\n".join(parts) + "\n"


def scp_entries_ldif(urls) -> str:
    """Exchange's Autodiscover SCPs as AD holds them: one per Client Access server, under
    CN=Autodiscover,CN=Protocols,CN=<server>,CN=Servers,... in the configuration naming context."""
    containers = [CONFIGURATION_BASE, "CN=Services," + CONFIGURATION_BASE,
                  "CN=Microsoft Exchange,CN=Services," + CONFIGURATION_BASE,
                  "CN=Example,CN=Microsoft Exchange,CN=Services," + CONFIGURATION_BASE,
                  "CN=Administrative Groups,CN=Example,CN=Microsoft Exchange,CN=Services," + CONFIGURATION_BASE,
                  EXCHANGE_GROUP, "CN=Servers," + EXCHANGE_GROUP]
    for i, _ in enumerate(urls, 1):
        server = f"CN=EX{i},CN=Servers,{EXCHANGE_GROUP}"
        containers += [server, f"CN=Protocols,{server}", f"CN=Autodiscover,CN=Protocols,{server}"]
    parts = [f"dn: {dn}\nobjectClass: container\ncn: {dn.split(',')[0][3:]}\n" for dn in containers]
    for i, url in enumerate(urls, 1):
        parts.append(f"dn: CN=EX{i},CN=Autodiscover,CN=Protocols,CN=EX{i},CN=Servers,{EXCHANGE_GROUP}\n"
                     f"objectClass: serviceConnectionPoint\ncn: EX{i}\nkeywords: {AUTODISCOVER_KEYWORD}\n"
                     f"keywords: Site=Default-First-Site-Name\nserviceClassName: ms-Exchange-AutoDiscover-Service\n"
                     f"serviceDNSName: ex{i}.example.test\nserviceBindingInformation: {url}\n")
    return "\n".join(parts)


def add_slapd_arguments(parser):
    """The --slapd-* options of "up" and "run", which SlapdOptions reads."""
    parser.add_argument("--slapd-ldif", metavar="FILE")
    parser.add_argument("--slapd-generated-users", type=int, default=0, metavar="N")
    parser.add_argument("--slapd-size-limit", type=int, metavar="N")
    parser.add_argument("--slapd-paged-total-limit", type=int, metavar="N")
    # --slapd-no-ad-schema: the name the first plans used for the same thing.
    parser.add_argument("--slapd-no-extension-attributes", "--slapd-no-ad-schema", action="store_true")
    parser.add_argument("--slapd-deny-write", action="append", metavar="DN")
    parser.add_argument("--slapd-limits-for", action="append", nargs=2, metavar=("DN", "LIMITS"))
    parser.add_argument("--slapd-stalled-suffix", metavar="DN")
    parser.add_argument("--slapd-scp", action="append", metavar="URL|COMPONENT")


# --- Configuration templates ----------------------------------------------------------

SLAPD_CONF = """\
# slapd for the testbed: an AD-like directory (see tests/fixtures/ldap/*.schema).
{includes}
pidfile {pidfile}
argsfile {args}
modulepath /usr/lib/ldap
moduleload back_mdb

# TLS for StartTLS and ldaps://, with the testbed's private CA.
TLSCACertificateFile {ca}
TLSCertificateFile {cert}
TLSCertificateKeyFile {key}
TLSVerifyClient never

# SASL GSSAPI: slapd accepts ldap/localhost from KRB5_KTNAME.  The authenticated
# identity uid=<user>[,cn=<realm>],cn=gssapi,cn=auth becomes the entry with that uid.
sasl-host localhost
authz-regexp "^uid=([^,]+)(,cn=[^,]+)?,cn=gssapi,cn=auth$" "ldap:///{base}??sub?(uid=$1)"

access to dn.base="" by * read
access to dn.base="cn=Subschema" by * read
{configuration}
database mdb
suffix "{base}"
# Nobody can bind as the rootdn (it has no password); slapadd loads the data.
rootdn "cn=testbed-root,{base}"
directory {db}
maxsize 268435456
{limits}
index objectClass,uid,mail eq

access to attrs=userPassword
    by anonymous auth
    by * none
# Entries even the administrators may not change (--slapd-deny-write).
{deny}
# Write: the administrator's simple bind, and {user} when signed in with Kerberos
# (the admin's ticket).  Read: everyone, anonymous included, as in many AD setups
# that Thunderbird queries without binding.
access to dn.subtree="{base}"
    by dn.exact="{admin}" write
    by set="user/uid & [{user}]" write
    by * read
"""

# --slapd-scp: the configuration naming context with Exchange's Autodiscover SCPs, read-only
# for everyone (Exchange's setup writes them).
SLAPD_CONFIGURATION_CONF = """
rootDSE {root_dse}

database mdb
suffix "{suffix}"
rootdn "cn=testbed-root,{suffix}"
directory {db}
maxsize 67108864
index objectClass,keywords eq
access to * by * read
"""

# --slapd-stalled-suffix: slapd forwards this naming context (back-ldap) to
# tests/servers/ldap_stall.py, which lets it bind and never answers its searches,
# so slapd's own time limit ends each one (timeLimitExceeded) after a second.
SLAPD_STALLED_CONF = """
moduleload back_ldap
database ldap
suffix "{suffix}"
uri ldap://127.0.0.1:{port}/
timelimit 1
"""

SLAPD_BASE_LDIF = """\
dn: {base}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: cn=admin,{base}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: admin
description: directory administrator (simple bind, write access)
userPassword: {admin_password}

dn: uid=reader,{base}
objectClass: account
objectClass: simpleSecurityObject
uid: reader
description: read-only service account (simple bind)
userPassword: {reader_password}
"""

