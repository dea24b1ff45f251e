#!/usr/bin/python3
"""owacal --demo: the built-in demo calendar, served on loopback inside owacal and
fetched through the same libcurl path as a real calendar."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, main  # noqa: E402

FACTS = """({
  ready: document.body.dataset.ready || null,
  events: Number(document.body.dataset.events || 0),
  week: document.getElementById('week-label').textContent,
  blocks: document.querySelectorAll('#grid [aria-label]').length,
  scheme: location.protocol,
})"""


class DemoTest(OwacalTestCase):

    def test_demo_week(self):
        status, facts, result = self.snapshot("--demo", name="demo", script=FACTS)
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines()[0], "Calendar - Dana Demo")
        self.assertEqual(facts["ready"], "true", facts)   # the canary cookie made it through
        self.assertGreater(facts["events"], 10)
        self.assertGreater(facts["blocks"], 10)
        self.assertEqual(facts["scheme"], "owacal-http:")  # loaded through owacal's client

    def test_demo_link_and_next_week(self):
        """owacal:demo (the welcome page's link) in a window; "Next week" is a real navigation."""
        self.start_owacal("owacal:demo")

        def label():
            result = self.run_owacal("--list-tabs", "--eval",
                                     "document.body.dataset.ready === 'true' ? "
                                     "document.getElementById('week-label').textContent : ''", timeout=30)
            lines = result.stdout.splitlines() if result.returncode == 0 else []
            return lines[0].split("\t")[3] if lines and lines[0].split("\t")[3] else None

        first = self.wait_for(label, timeout=60, interval=0.2, what="the demo week")
        self.run_owacal("--list-tabs", "--eval",
                        "(document.querySelector('a[aria-label=\"Next week\"]').click(), 'clicked')", timeout=30)
        second = self.wait_for(lambda: (label() or first) != first and label(), timeout=60, interval=0.2,
                               what="the next week")
        self.assertNotEqual(first, second)
        tabs = self.run_owacal("--list-tabs", timeout=30).stdout.splitlines()
        self.assertEqual(len(tabs), 1)
        self.assertIn("http://127.0.0.1:", tabs[0].split("\t")[2])


if __name__ == "__main__":
    main()
