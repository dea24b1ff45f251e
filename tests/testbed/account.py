"""The test account every server of the testbed knows: alice, in the Windows domain
EXAMPLE and the Kerberos realm EXAMPLE.TEST."""

USER, PASSWORD, DOMAIN = "alice", "Wonderland-2024", "EXAMPLE"
REALM, DNS_DOMAIN, EMAIL = "EXAMPLE.TEST", "example.test", "alice@example.test"
