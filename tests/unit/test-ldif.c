/* LDIF: values written safely (RFC 2849), modify records read back. */
#include "config.h"

#include <string.h>

#include "oc-ldif.h"

typedef struct {
  const char *value;
  const char *ldif;
} WriteRow;

static const WriteRow write_rows[] = {
  { "https://mail.example.test/owa/a@example.test/", "a: https://mail.example.test/owa/a@example.test/\n" },
  /* Empty: nothing after the colon (RFC 2849's FILL may be empty), as OpenLDAP writes it. */
  { "", "a:\n" },
  /* Not a SAFE-STRING: base64. */
  { " leading space", "a:: IGxlYWRpbmcgc3BhY2U=\n" },
  { "trailing space ", "a:: dHJhaWxpbmcgc3BhY2Ug\n" },
  { ":colon", "a:: OmNvbG9u\n" },
  { "<less", "a:: PGxlc3M=\n" },
  { "Jürgen", "a:: SsO8cmdlbg==\n" },
  { "two\nlines", "a:: dHdvCmxpbmVz\n" },
  { "tab\there", "a:: dGFiCWhlcmU=\n" },
  /* Folded base64: continuation lines start with one space. */
  { "Grüße aus Köln Grüße aus Köln Grüße aus Köln Grüße aus Köln ",
    "a:: R3LDvMOfZSBhdXMgS8O2bG4gR3LDvMOfZSBhdXMgS8O2bG4gR3LDvMOfZSBhdXMgS8O2bG4g\n"
    " R3LDvMOfZSBhdXMgS8O2bG4g\n" },
  /* Inner colons, spaces and '<' are fine. */
  { "owacal:a@example.test", "a: owacal:a@example.test\n" },
  { "cost centre <4711>", "a: cost centre <4711>\n" },
  /* Folded at 76 columns, continuation lines start with one space. */
  { "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
    "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
    "a: 0123456789012345678901234567890123456789012345678901234567890123456789012\n"
    " 345678901234567890123456789012345678901234567890123456789012345678901234567\n"
    " 8901234567890123456789012345678901234567890123456789\n" },
};

static void
test_write_row (gconstpointer data)
{
  const WriteRow *row = data;
  g_autoptr (GString) ldif = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GString) record = g_string_new ("dn: cn=x\nchangetype: modify\nadd: a\n");
  const OcLdifChange *change;

  oc_ldif_append_attribute (ldif, "a", row->value);
  g_assert_cmpstr (ldif->str, ==, row->ldif);
  for (const char *p = ldif->str; *p != '\0'; p = strchr (p, '\n') + 1)
    g_assert_cmpint (strchr (p, '\n') - p, <=, 76);

  /* And it reads back to the same value. */
  g_string_append (record, ldif->str);
  changes = oc_ldif_parse_changes (record->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  change = changes->pdata[0];
  g_assert_cmpuint (change->mods->len, ==, 1);
  g_assert_cmpstr (g_array_index (change->mods, OcLdapMod, 0).value, ==, row->value);
}

static void
test_modify_round_trip (void)
{
  g_autoptr (GString) ldif = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  OcLdapMod mods[] = {
    { OC_LDAP_MOD_DELETE, "extensionAttribute1", "http://old.example.test/exchange/a/Calendar/" },
    { OC_LDAP_MOD_ADD, "extensionAttribute1", "https://new.example.test/owa/a@example.test/" },
    { OC_LDAP_MOD_REPLACE, "extensionAttribute2", NULL },
    { OC_LDAP_MOD_DELETE, "description", NULL },
  };

  oc_ldif_append_comment (ldif, "alice\nsecond line");
  oc_ldif_append_modify (ldif, "uid=alice,ou=people,dc=example,dc=test", mods, G_N_ELEMENTS (mods));
  oc_ldif_append_modify (ldif, "cn=Jürgen,dc=example,dc=test", mods + 1, 1);
  g_assert_cmpstr (ldif->str, ==,
                   "# alice\n# second line\n"
                   "dn: uid=alice,ou=people,dc=example,dc=test\nchangetype: modify\n"
                   "delete: extensionAttribute1\nextensionAttribute1: http://old.example.test/exchange/a/Calendar/\n-\n"
                   "add: extensionAttribute1\nextensionAttribute1: https://new.example.test/owa/a@example.test/\n-\n"
                   "replace: extensionAttribute2\n-\n"
                   "delete: description\n-\n\n"
                   "dn:: Y249SsO8cmdlbixkYz1leGFtcGxlLGRjPXRlc3Q=\nchangetype: modify\n"
                   "add: extensionAttribute1\nextensionAttribute1: https://new.example.test/owa/a@example.test/\n-\n\n");

  changes = oc_ldif_parse_changes (ldif->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 2);
  {
    const OcLdifChange *first = changes->pdata[0];
    const OcLdifChange *second = changes->pdata[1];

    g_assert_cmpstr (first->dn, ==, "uid=alice,ou=people,dc=example,dc=test");
    g_assert_cmpuint (first->line, ==, 3);
    g_assert_cmpuint (first->mods->len, ==, G_N_ELEMENTS (mods));
    for (guint i = 0; i < G_N_ELEMENTS (mods); i++)
      {
        const OcLdapMod *mod = &g_array_index (first->mods, OcLdapMod, i);

        g_assert_cmpint (mod->op, ==, mods[i].op);
        g_assert_cmpstr (mod->attribute, ==, mods[i].attribute);
        g_assert_cmpstr (mod->value, ==, mods[i].value);
      }
    g_assert_cmpstr (second->dn, ==, "cn=Jürgen,dc=example,dc=test");
  }
}

static void
test_parse_variants (void)
{
  /* What ldapmodify accepts and an administrator may write by hand: version line,
   * CRLF, folded lines, a missing final "-", several values to add. */
  const char *text =
    "version: 1\r\n"
    "# comment\r\n"
    "#  folded comment\r\n"
    "  continues\r\n"
    "dn: uid=a,dc=exam\r\n"
    " ple,dc=test\r\n"
    "changetype: modify\r\n"
    "add: mail\r\n"
    "mail: a@example.test\r\n"
    "mail:: Yi5leGFtcGxlQGV4YW1wbGUudGVzdA==\r\n"
    "\r\n"
    "\r\n"
    "dn: uid=b,dc=example,dc=test\n"
    "changetype: modify\n"
    "replace: description\n"
    "# a comment inside a record\n"
    "description:  two leading spaces are one separator\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = oc_ldif_parse_changes (text, &error);
  const OcLdifChange *a, *b;

  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 2);
  a = changes->pdata[0];
  b = changes->pdata[1];
  g_assert_cmpstr (a->dn, ==, "uid=a,dc=example,dc=test");
  g_assert_cmpuint (a->mods->len, ==, 2);
  g_assert_cmpstr (g_array_index (a->mods, OcLdapMod, 1).value, ==, "b.example@example.test");
  g_assert_cmpint (g_array_index (a->mods, OcLdapMod, 1).op, ==, OC_LDAP_MOD_ADD);
  g_assert_cmpstr (g_array_index (b->mods, OcLdapMod, 0).value, ==, "two leading spaces are one separator");
}

typedef struct {
  const char *ldif;
  int code;
} BadRow;

static const BadRow bad_rows[] = {
  { "uid=a,dc=x\n", OC_LDIF_ERROR_SYNTAX },
  { "mail: a@x\n", OC_LDIF_ERROR_SYNTAX },
  { "dn: uid=a,dc=x\nobjectClass: top\n", OC_LDIF_ERROR_UNSUPPORTED },
  { "dn: uid=a,dc=x\nchangetype: add\nobjectClass: top\n", OC_LDIF_ERROR_UNSUPPORTED },
  { "dn: uid=a,dc=x\nchangetype: delete\n", OC_LDIF_ERROR_UNSUPPORTED },
  { "dn: uid=a,dc=x\nchangetype: modrdn\nnewrdn: uid=b\n", OC_LDIF_ERROR_UNSUPPORTED },
  { "dn: uid=a,dc=x\nchangetype: modify\nrename: mail\n-\n", OC_LDIF_ERROR_SYNTAX },
  { "dn: uid=a,dc=x\nchangetype: modify\nadd: mail\ndescription: x\n-\n", OC_LDIF_ERROR_SYNTAX },
  { "dn: uid=a,dc=x\nchangetype: modify\nreplace: mail\nmail: a\nmail: b\n-\n", OC_LDIF_ERROR_UNSUPPORTED },
  { "dn: uid=a,dc=x\nchangetype: modify\nadd: jpegPhoto\njpegPhoto:< file:///etc/passwd\n-\n", OC_LDIF_ERROR_UNSUPPORTED },
  { "dn: uid=a,dc=x\nchangetype: modify\nadd: x\nx:: AAEC\n-\n", OC_LDIF_ERROR_UNSUPPORTED },
  { "dn: uid=a,dc=x\nchangetype: modify\nadd: mail\nno colon here\n-\n", OC_LDIF_ERROR_SYNTAX },
  /* ldapmodify would read another file here; an undo file never does. */
  { "include: file:///etc/passwd\n\ndn: uid=a,dc=x\nchangetype: modify\ndelete: mail\n-\n", OC_LDIF_ERROR_SYNTAX },
  { "dn: uid=a,dc=x\nchangetype: modify\nadd: mail\nmail::\n-\n", OC_LDIF_ERROR_SYNTAX },
};

/* Messages name the physical line, past comments, blank lines and folds. */
static void
test_error_lines (void)
{
  static const struct {
    const char *ldif;
    const char *prefix;
  } rows[] = {
    { "# undo\n#  folded comment\n\n\ndn: uid=a,\n dc=x\nchangetype: modify\nadd: mail\nmail: a\n"
      " @x\nno colon\n-\n", "line 11: " },
    { "dn: uid=a,dc=x\r\nchangetype: modify\r\nreplace: mail\r\n-\r\n\r\n# b\r\ndn: uid=b,dc=x\r\n"
      "changetype: modify\r\nrename: mail\r\n", "line 9: " },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) changes = oc_ldif_parse_changes (rows[i].ldif, &error);

      g_assert_null (changes);
      g_assert_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_SYNTAX);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, rows[i].prefix));
    }
}

static void
test_bad_row (gconstpointer data)
{
  const BadRow *row = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = oc_ldif_parse_changes (row->ldif, &error);

  g_assert_null (changes);
  g_assert_error (error, OC_LDIF_ERROR, row->code);
  g_assert_true (g_str_has_prefix (error->message, "line "));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (write_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/ldif/write/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &write_rows[i], test_write_row);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/ldif/bad/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &bad_rows[i], test_bad_row);
    }
  g_test_add_func ("/oc/ldif/modify-round-trip", test_modify_round_trip);
  g_test_add_func ("/oc/ldif/parse-variants", test_parse_variants);
  g_test_add_func ("/oc/ldif/error-lines", test_error_lines);
  return g_test_run ();
}
