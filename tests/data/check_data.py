#!/usr/bin/python3
"""The data suite: the files the desktop reads are valid and agree with each other.

Usage: check_data.py CHECK ARGS…  (one check per meson test; see tests/meson.build)

  desktop FILE           desktop-file-validate, with no error, warning or hint
  metainfo FILE SRCDIR   appstreamcli validate --strict (offline); the launchable
                         and screenshots point at files that exist, at the declared size
  service FILE DESKTOP BINDIR
                         the D-Bus service matches the DBusActivatable desktop file
  man FILE PROGRAM       groff reads the page without a warning; it documents every
                         option of `PROGRAM --help-all` (owacal) or `--help`, the
                         same exit statuses, and every --exchange version it lists
  install BUILDDIR PREFIX
                         `meson install --destdir` installs what a package ships
"""
import configparser
import fnmatch
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

APP_ID = "io.github.owacal.Owacal"


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def run_validator(args):
    """A validator passes when it exits 0 and says nothing but its success line."""
    result = subprocess.run(args, capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    print(f"$ {' '.join(args)}\n{output}")
    return result.returncode, output


def read_desktop_entry(path, group="Desktop Entry"):
    parser = configparser.RawConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    with open(path, encoding="utf-8") as f:
        parser.read_file(f)
    if group not in parser:
        fail(f"{path} has no [{group}] group")
    return parser[group]


def check_desktop(path):
    status, output = run_validator(["desktop-file-validate", path])
    if status != 0 or output:
        fail(f"desktop-file-validate does not accept {path} as it is")
    entry = read_desktop_entry(path)
    mime_types = entry.get("MimeType", "").split(";")
    for wanted in ("x-scheme-handler/owacal", "x-scheme-handler/webcal", "x-scheme-handler/webcals",
                   "text/calendar"):
        if wanted not in mime_types:
            fail(f"{path} does not claim {wanted}")
    if not re.fullmatch(r"owacal %[uU]", entry.get("Exec", "")):
        fail(f"{path}: Exec must be 'owacal %u', not {entry.get('Exec')!r}")
    if entry.get("Icon") != APP_ID:
        fail(f"{path}: Icon must be the application id")


def png_size(path):
    with open(path, "rb") as f:
        header = f.read(24)
    if header[:8] != b"\x89PNG\r\n\x1a\n" or header[12:16] != b"IHDR":
        fail(f"{path} is not a PNG file")
    return struct.unpack(">II", header[16:24])


def check_metainfo(path, source_root):
    status, output = run_validator(["appstreamcli", "validate", "--no-net", "--strict", "--explain", path])
    if status != 0:
        fail(f"appstreamcli does not accept {path}")
    root = ET.parse(path).getroot()
    if root.findtext("id") != APP_ID:
        fail(f"the component id is not {APP_ID}")
    launchable = root.findtext("launchable[@type='desktop-id']")
    if launchable != APP_ID + ".desktop":
        fail(f"the launchable is {launchable!r}, not the desktop file")
    images = root.findall("screenshots/screenshot/image")
    if not images:
        fail("there is no screenshot")
    for image in images:
        # The address names the file in the repository: …/main/<path in the source tree>.
        match = re.search(r"/main/(data/screenshots/[^/]+\.png)$", image.text or "")
        if not match:
            fail(f"screenshot {image.text!r} is not a file under data/screenshots/")
        local = os.path.join(source_root, match.group(1))
        if not os.path.exists(local):
            fail(f"{local} (named by the metainfo) does not exist")
        declared = (int(image.get("width", 0)), int(image.get("height", 0)))
        if png_size(local) != declared:
            fail(f"{local} is {png_size(local)}, the metainfo says {declared}")


def check_service(path, desktop, bindir):
    service = read_desktop_entry(path, "D-BUS Service")
    if service.get("Name") != APP_ID:
        fail(f"{path}: Name is {service.get('Name')!r}, not {APP_ID}")
    expected = f"{bindir}/owacal --gapplication-service"
    if service.get("Exec") != expected:
        fail(f"{path}: Exec is {service.get('Exec')!r}, not {expected!r}")
    entry = read_desktop_entry(desktop)
    if entry.get("DBusActivatable") != "true":
        fail(f"{desktop} is not DBusActivatable")
    # The desktop and D-Bus use one name: the desktop file is <bus name>.desktop.
    if os.path.basename(desktop) != service.get("Name") + ".desktop":
        fail(f"{desktop} is not named after the bus name {service.get('Name')}")


def help_text(owacal):
    # owacal has GTK's and GApplication's option groups; owacal-provision only --help.
    flag = "--help-all" if os.path.basename(owacal) == "owacal" else "--help"
    result = subprocess.run([owacal, flag], capture_output=True, text=True,
                            env=dict(os.environ, LC_ALL="C.UTF-8"))
    if result.returncode != 0:
        fail(f"{owacal} {flag} failed: {result.stderr}")
    return result.stdout


def help_options(owacal, text):
    options = set(re.findall(r"^\s+(?:-\w, )?(--[a-z][a-z0-9-]*)", text, re.M))
    if len(options) < 10:
        fail(f"could not read the options of {owacal}:\n{text}")
    return options


def help_exit_statuses(owacal, text):
    """The statuses of --help's "Exit status:" text, up to its first empty line:
    "Exit status: 0 success, 1 …" or one "  N  meaning" line each."""
    match = re.search(r"^Exit status:(.*?)(?:\n\s*\n|\Z)", text, re.M | re.S)
    if not match:
        fail(f"{owacal}'s --help does not say what its exit statuses are")
    return set(re.findall(r"(?<![\w.-])(\d{1,3})\s+[A-Za-z]", match.group(1)))


def man_section(source, name):
    match = re.search(r"^\.SH " + re.escape(name) + r"\n(.*?)(?=^\.SH |\Z)", source, re.M | re.S)
    return match.group(1) if match else ""


def check_exchange_versions(path, text, source):
    """Every version --help lists for --exchange is in the man page's --exchange item."""
    listed = re.search(r"^\s+--exchange=VERSION\s+Exchange version: (.+)$", text, re.M)
    if not listed:
        return
    item = re.search(r"^\.BI --exchange= VERSION\n(.*?)(?=^\.TP|^\.S[HS] )", source, re.M | re.S)
    if not item:
        fail(f"{path} has no --exchange item")
    words = set(re.findall(r"[\w.]+", item.group(1)))
    missing = [v for v in listed.group(1).split(", ") if v not in words]
    if missing:
        fail(f"{path} does not say what --exchange {', '.join(missing)} does (--help lists it)")


def check_man(path, owacal):
    status, output = run_validator(["groff", "-man", "-ww", "-z", "-Tutf8", path])
    if status != 0 or output:
        fail(f"groff warns about {path}")
    with open(path, encoding="utf-8") as f:
        source = f.read().replace("\\-", "-")
    program = os.path.basename(owacal)
    if not re.search(r"^\.SH NAME\n" + re.escape(program) + r" - \S", source, re.M):
        fail(f"the NAME section is not '{program} - description' (whatis and apropos read it)")
    text = help_text(owacal)
    missing = sorted(option for option in help_options(owacal, text)
                     if not re.search(r"(^|[\s\"])" + re.escape(option) + r"(?![a-z-])", source, re.M))
    if missing:
        fail(f"{path} does not document {', '.join(missing)}: add them to data/{os.path.basename(path)}.in")
    documented = set(re.findall(r"^\.TP\n\.B (\d+)$", man_section(source, "EXIT STATUS"), re.M))
    statuses = help_exit_statuses(owacal, text)
    if documented != statuses:
        fail(f"{path}'s EXIT STATUS has {sorted(documented)}, --help has {sorted(statuses)}")
    check_exchange_versions(path, text, source)


INSTALLED = [
    "bin/owacal",
    "bin/owacal-provision",
    "lib*/owacal/web-extensions/libowacal-web-extension.so",  # lib/ or lib/<multiarch>/
    f"share/applications/{APP_ID}.desktop",
    f"share/dbus-1/services/{APP_ID}.service",
    f"share/metainfo/{APP_ID}.metainfo.xml",
    f"share/icons/hicolor/scalable/apps/{APP_ID}.svg",
    f"share/icons/hicolor/symbolic/apps/{APP_ID}-symbolic.svg",
    f"share/glib-2.0/schemas/{APP_ID}.gschema.xml",
    "share/man/man1/owacal.1",
    "share/man/man1/owacal-provision.1",
]


def check_install(build_root, prefix):
    destdir = tempfile.mkdtemp(prefix="owacal-install-")
    try:
        result = subprocess.run(["meson", "install", "-C", build_root, "--destdir", destdir, "--no-rebuild",
                                 "--quiet"], capture_output=True, text=True)
        if result.returncode != 0:
            fail(f"meson install failed:\n{result.stdout}{result.stderr}")
        root = destdir + prefix
        files = sorted(os.path.relpath(os.path.join(d, f), root)
                       for d, _, names in os.walk(destdir) for f in names)
        print("installed:\n  " + "\n  ".join(files))
        for pattern in INSTALLED:
            if not fnmatch.filter(files, pattern):
                fail(f"{pattern} is not installed under {prefix}")
        stray = [f for f in files if f.startswith("..")]
        if stray:
            fail(f"files installed outside the prefix {prefix}: {stray}")
        binary = os.path.join(root, "bin", "owacal")
        if not os.access(binary, os.X_OK):
            fail(f"{binary} is not executable")
        service = read_desktop_entry(os.path.join(root, f"share/dbus-1/services/{APP_ID}.service"), "D-BUS Service")
        if service.get("Exec") != f"{prefix}/bin/owacal --gapplication-service":
            fail(f"the installed service starts {service.get('Exec')!r}")
    finally:
        shutil.rmtree(destdir, ignore_errors=True)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    check, args = sys.argv[1], sys.argv[2:]
    {
        "desktop": check_desktop,
        "metainfo": check_metainfo,
        "service": check_service,
        "man": check_man,
        "install": check_install,
    }[check](*args)
    print(f"ok: {check}")


if __name__ == "__main__":
    main()
