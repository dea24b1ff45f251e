"""A Thunderbird 153 profile in a test's home directory, built from tests/fixtures/thunderbird-153/.

The real profile's files are copied; address books are made from their SQL dumps, and more cards are
written the way Thunderbird writes them (a vCard 4.0 folded at 75 octets, TEXT escapes, and the
PrimaryEmail/SecondEmail/DisplayName rows copied out of it). tests/common/tb-fixture.c does the same in C.
"""
import os
import shutil
import sqlite3
import uuid

SOURCE_ROOT = os.environ.get("OWACAL_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURE = os.path.join(SOURCE_ROOT, "tests", "fixtures", "thunderbird-153")
DATA_PROFILE = "4yl18usa.default-default"


def _fold(line):
    data = line.encode()
    chunks = [data[:75]]
    data = data[75:]
    while data:
        chunks.append(b" " + data[:74])
        data = data[74:]
    return b"\r\n".join(chunks) + b"\r\n"


def _escape(text):
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def vcard(uid, name, emails, custom1=None):
    lines = ["BEGIN:VCARD", "VERSION:4.0", "FN:" + _escape(name)]
    lines += [("EMAIL;PREF=1:" if i == 0 else "EMAIL:") + _escape(e) for i, e in enumerate(emails)]
    if custom1 is not None:
        lines.append("X-CUSTOM1;VALUE=TEXT:" + _escape(custom1))
    lines += ["UID:" + uid, "END:VCARD"]
    return b"".join(_fold(line) for line in lines).decode()


def create_book(path, cards=()):
    """An address book as Thunderbird creates it, with cards: (name, [emails], custom1 or None)."""
    db = sqlite3.connect(path)
    with open(os.path.join(FIXTURE, "history.sql")) as f:
        db.executescript(f.read())
    for name, emails, custom1 in cards:
        add_card(db, name, emails, custom1)
    db.commit()
    db.close()


def add_card(db, name, emails, custom1=None):
    uid = str(uuid.uuid4())
    rows = [("_vCard", vcard(uid, name, emails, custom1)), ("DisplayName", name), ("PopularityIndex", "0")]
    rows += list(zip(("PrimaryEmail", "SecondEmail"), emails))
    db.executemany("INSERT INTO properties VALUES (?, ?, ?)", [(uid, n, v) for n, v in rows])
    return uid


def install(home, extra_prefs=""):
    """Writes the real profile into home/.thunderbird; returns the data profile's directory."""
    root = os.path.join(home, ".thunderbird")
    profile = os.path.join(root, DATA_PROFILE)
    os.makedirs(profile, exist_ok=True)
    os.makedirs(os.path.join(root, "ke3j8gv5.default"), exist_ok=True)
    for name in ("profiles.ini", "installs.ini"):
        shutil.copyfile(os.path.join(FIXTURE, name), os.path.join(root, name))
    with open(os.path.join(FIXTURE, "prefs.js")) as f, open(os.path.join(profile, "prefs.js"), "w") as out:
        out.write(f.read() + extra_prefs)
    for book in ("abook", "history"):
        db = sqlite3.connect(os.path.join(profile, book + ".sqlite"))
        with open(os.path.join(FIXTURE, book + ".sql")) as f:
            db.executescript(f.read())
        db.close()
    return profile
