#!/usr/bin/python3
"""owacal's address-book benchmark: prints figures, asserts nothing.

  bench/address-book.py [--runs 7] [--cards 100000] [--wal-mb 20]    (from a built tree)

It writes a Thunderbird profile whose Personal Address Book has 100,000 generated cards in
Thunderbird 153's format (vCard with folded X-CUSTOM1, PrimaryEmail/SecondEmail rows, 32 KiB
pages), plus a 20 MB -wal file that has not been checkpointed (recent edits and one new card, as
a running or crashed Thunderbird leaves it). Then, each in a fresh process, median of the runs:

  owacal --print-url ADDRESS     the real command: GTK program start + profile + both books
  owacal-bench-lookup DB ADDRESS  lib/ only: process start + lookup in one book, read in place
  sqlite3 DB 'SELECT …'           the floor: SQLite's own shell doing the same lookup in place

for four addresses: a PrimaryEmail in the main file, a card only in the -wal, a third address
(only in the vCards: every card is read) and an address in no card (every card is read). The
ratio is owacal --print-url over the floor. Opening the book alone is timed too.
"""
import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(HERE)
BUILD_ROOT = os.environ.get("OWACAL_BUILD_ROOT", os.path.join(SOURCE_ROOT, "build"))
OWACAL = os.path.join(BUILD_ROOT, "app", "owacal")
LOOKUP = os.path.join(BUILD_ROOT, "bench", "owacal-bench-lookup")
sys.path.insert(0, os.path.join(SOURCE_ROOT, "tests", "ui"))
os.environ.setdefault("OWACAL_SOURCE_ROOT", SOURCE_ROOT)
import thunderbird_profile  # noqa: E402

URL = "https://mail.example.test/owa/{}/?cmd=contents&module=calendar&view=weekly"


def card_rows(i):
    uid = f"00000000-0000-4000-8000-{i:012d}"
    emails = [f"p{i}@example.test"]
    if i % 2 == 0 or i % 10 == 3:
        emails.append(f"p{i}.alt@corp.example.test")
    if i % 10 == 3:
        emails.append(f"p{i}.third@example.test")  # in the vCard only, as Thunderbird keeps it
    custom1 = URL.format(emails[0]) if i % 10 < 7 else None
    name = f"Person {i}"
    rows = [("PopularityIndex", "0"), ("LastModifiedDate", str(1795531245 + i)), ("DisplayName", name),
            ("FirstName", "Person"), ("LastName", str(i)),
            ("_vCard", thunderbird_profile.vcard(uid, name, emails, custom1))]
    rows += list(zip(("PrimaryEmail", "SecondEmail"), emails))
    return [(uid, n, v) for n, v in rows]


def generate(profile, n_cards, wal_mb):
    """abook.sqlite with n_cards in the main file and wal_mb of un-checkpointed -wal."""
    scratch = tempfile.mkdtemp(prefix="owacal-bench-gen-")
    db_path = os.path.join(scratch, "abook.sqlite")
    thunderbird_profile.create_book(db_path)
    db = sqlite3.connect(db_path)
    db.executemany("INSERT INTO properties VALUES (?, ?, ?)", (r for i in range(n_cards) for r in card_rows(i)))
    db.commit()
    db.close()  # checkpoints: everything so far is in the main file

    db = sqlite3.connect(db_path)
    db.execute("PRAGMA wal_autocheckpoint=0")
    i = 0
    wal = db_path + "-wal"
    while not os.path.exists(wal) or os.path.getsize(wal) < wal_mb * 1024 * 1024:
        # Edits as Thunderbird makes them: a card's rows rewritten, here a batch at a time.
        for j in range(i, i + 20):
            k = (j * 7919) % n_cards
            db.execute("DELETE FROM properties WHERE card = ?", (card_rows(k)[0][0],))
            db.executemany("INSERT INTO properties VALUES (?, ?, ?)", card_rows(k))
        db.commit()
        i += 20
    thunderbird_profile.add_card(db, "Wal Only", ["wal.only@example.test"], URL.format("wal.only@example.test"))
    db.commit()
    # The files as a running (or killed) Thunderbird leaves them: copied while the -wal is unmerged.
    for suffix in ("", "-wal"):
        shutil.copyfile(db_path + suffix, os.path.join(profile, "abook.sqlite" + suffix))
    db.close()
    shutil.rmtree(scratch)


def timed(argv, env=None, expect=None):
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = (time.perf_counter() - started) * 1000
    if expect is not None and (result.stdout.splitlines() or [""])[0] != expect:
        raise SystemExit(f"wrong answer from {argv[0]}: {result.stdout!r} {result.stderr!r} (wanted {expect!r})")
    return elapsed


def floor_sql(email):
    quoted = email.replace("'", "''")
    # "+name": the card index for the outer query, not a second pass over the name index.
    rows = ("SELECT value FROM properties WHERE card IN (SELECT card FROM properties "
            f"WHERE name IN ('PrimaryEmail', 'SecondEmail') AND value = '{quoted}' COLLATE NOCASE) "
            "AND +name = '_vCard';")
    scan = f"SELECT value FROM properties WHERE name = '_vCard' AND value LIKE '%{quoted}%';"
    return rows, scan


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cards", type=int, default=100000)
    parser.add_argument("--wal-mb", type=int, default=20)
    args = parser.parse_args()
    for program in (OWACAL, LOOKUP):
        if not os.access(program, os.X_OK):
            raise SystemExit(f"{program} is not built (ninja -C {BUILD_ROOT})")

    home = tempfile.mkdtemp(prefix="owacal-bench-home-")
    floor_dir = tempfile.mkdtemp(prefix="owacal-bench-floor-")
    try:
        profile = thunderbird_profile.install(home)
        started = time.perf_counter()
        generate(profile, args.cards, args.wal_mb)
        abook = os.path.join(profile, "abook.sqlite")
        for suffix in ("", "-wal"):
            shutil.copyfile(abook + suffix, os.path.join(floor_dir, "abook.sqlite" + suffix))
        floor_db = os.path.join(floor_dir, "abook.sqlite")
        print(f"address book: {args.cards} cards, abook.sqlite {os.path.getsize(abook) / 1e6:.1f} MB, "
              f"abook.sqlite-wal {os.path.getsize(abook + '-wal') / 1e6:.1f} MB "
              f"(generated in {time.perf_counter() - started:.0f} s)")
        print(f"cold process each run, warm page cache, median of {args.runs} runs\n")

        env = dict(os.environ, HOME=home, GSETTINGS_BACKEND="memory", DISPLAY="", WAYLAND_DISPLAY="")
        cases = [
            ("PrimaryEmail, main file", f"p{args.cards // 2}@example.test", True),
            ("card only in the -wal", "wal.only@example.test", True),
            ("third address (vCard scan)", f"p{args.cards // 2 + 3}.third@example.test", True),
            ("no such address", "nobody@example.test", False),
        ]
        print(f"{'lookup':30} {'owacal --print-url':>19} {'lib only':>9} {'sqlite3 floor':>14} {'ratio':>6}")
        for label, email, found in cases:
            expected = URL.format(email if "third" not in email else email.replace(".third", "")) if found else ""
            owacal, lib, floor = [], [], []
            rows_sql, scan_sql = floor_sql(email)
            floor_argv = ["sqlite3", "-readonly", floor_db, rows_sql] + ([] if "PrimaryEmail" in label else [scan_sql])
            for _ in range(args.runs):
                owacal.append(timed([OWACAL, "--print-url", "--lookup-sources", "thunderbird-address-books", email],
                                    env, expected if found else None))
                lib.append(timed([LOOKUP, abook, email], expect=expected))
                # Cold for SQLite too: no wal-index left by the previous run.
                if os.path.exists(floor_db + "-shm"):
                    os.unlink(floor_db + "-shm")
                floor.append(timed(floor_argv))
            o, l, f = statistics.median(owacal), statistics.median(lib), statistics.median(floor)
            print(f"{label:30} {o:16.1f} ms {l:6.1f} ms {f:11.1f} ms {o / f:6.2f}")

        opens = [timed([LOOKUP, "--open-only", abook]) for _ in range(args.runs)]
        starts = [timed([OWACAL, "--version"], env) for _ in range(args.runs)]
        print(f"\nopening abook.sqlite in place and indexing its -wal (lib only, with process start): "
              f"{statistics.median(opens):.1f} ms")
        print(f"owacal --version (the GTK program's start alone): {statistics.median(starts):.1f} ms")
        untouched = not os.path.exists(abook + "-shm") and os.path.getsize(abook + "-wal") > 0
        print(f"Thunderbird's files untouched by owacal (no -shm made, -wal still there): {untouched}")
    finally:
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(floor_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
