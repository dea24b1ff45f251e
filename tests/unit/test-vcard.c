/* vCard reading: folding, escapes, groups, parameters; and the e-mail match. */
#include "config.h"

#include "oc-vcard.h"

typedef struct {
  const char *vcard;
  const char *property;
  const char *value;  /* the first value, or NULL for none */
} Row;

#define CARD(lines) "BEGIN:VCARD\r\nVERSION:4.0\r\n" lines "END:VCARD\r\n"

static const Row rows[] = {
  /* As Thunderbird 153 wrote them (the fixture). */
  { CARD ("X-CUSTOM1;VALUE=TEXT:https://mail.example.test/owa/alice@example.test/?cmd=\r\n"
          " contents&module=calendar\r\n"), "X-CUSTOM1",
    "https://mail.example.test/owa/alice@example.test/?cmd=contents&module=calendar" },
  { CARD ("X-CUSTOM1;VALUE=TEXT:http://exch2003.example.test/exchange/bob/Calendar/?Cm\r\n d=contents\r\n"),
    "X-CUSTOM1", "http://exch2003.example.test/exchange/bob/Calendar/?Cmd=contents" },
  /* Folded over three lines, and with a tab instead of a space. */
  { CARD ("X-CUSTOM1:https://a\r\n .example/b\r\n\t/c\r\n"), "X-CUSTOM1", "https://a.example/b/c" },
  /* A fold is CRLF plus one blank: a second blank is content. */
  { CARD ("NOTE:a\r\n  b\r\n"), "NOTE", "a b" },
  /* Escapes. */
  { CARD ("X-CUSTOM1;VALUE=TEXT:https://h/owa/?a=1\\,2&p=C:\\\\dir\\;x\r\n"), "X-CUSTOM1",
    "https://h/owa/?a=1,2&p=C:\\dir;x" },
  { CARD ("NOTE:line\\none\\Ntwo\r\n"), "NOTE", "line\none\ntwo" },
  { CARD ("NOTE:unknown \\q escape\r\n"), "NOTE", "unknown \\q escape" },
  /* An escape split by a fold. */
  { CARD ("X-CUSTOM1:a\\\r\n ,b\r\n"), "X-CUSTOM1", "a,b" },
  /* Case of the name, groups, quoted parameters holding ':' and ';'. */
  { CARD ("x-custom1:lower\r\n"), "X-CUSTOM1", "lower" },
  { CARD ("item1.X-CUSTOM1:grouped\r\n"), "X-CUSTOM1", "grouped" },
  { CARD ("X-CUSTOM1;X-LABEL=\"a:b;c\":quoted\r\n"), "X-CUSTOM1", "quoted" },
  /* Bare LF line ends; no final newline. */
  { "BEGIN:VCARD\nX-CUSTOM1:lf\nEND:VCARD", "X-CUSTOM1", "lf" },
  { "X-CUSTOM1:last", "X-CUSTOM1", "last" },
  /* A name that only starts like the wanted one; a value-less line. */
  { CARD ("X-CUSTOM10:no\r\n"), "X-CUSTOM1", NULL },
  { CARD ("X-CUSTOM1\r\n"), "X-CUSTOM1", NULL },
  { CARD ("FN:Alice\r\n"), "X-CUSTOM1", NULL },
  { "", "X-CUSTOM1", NULL },
  /* Empty value: present, empty. */
  { CARD ("X-CUSTOM1;VALUE=TEXT:\r\n"), "X-CUSTOM1", "" },
  /* UTF-8 split by a fold at 75 octets. */
  { CARD ("NOTE:Z\xC3\r\n \xBCrich\r\n"), "NOTE", "Zürich" },
  /* Not UTF-8 (a Latin-1 card, a cut sequence): each bad byte becomes U+FFFD. */
  { CARD ("NOTE:Z\xFCrich\r\n"), "NOTE", "Z\xEF\xBF\xBDrich" },
  { CARD ("NOTE:cut\xE2\x82\r\n"), "NOTE", "cut\xEF\xBF\xBD\xEF\xBF\xBD" },
  { "NOTE:\xE0", "NOTE", "\xEF\xBF\xBD" },
};

static void
test_row (gconstpointer data)
{
  const Row *row = data;
  g_autofree char *value = oc_vcard_get_text (row->vcard, -1, row->property);

  g_assert_cmpstr (value, ==, row->value);
  g_assert_true (value == NULL || g_utf8_validate (value, -1, NULL));
}

/* An address in a card that is not UTF-8 is compared as the text it shows
 * (with U+FFFD), never read past its end by g_utf8_casefold(). */
static void
test_has_text_invalid_utf8 (void)
{
  static const char card[] = CARD ("EMAIL:J\xF6rg@example.test\r\nEMAIL:x\xE0\r\n");
  g_autofree char *folded = g_utf8_casefold ("j\xEF\xBF\xBDrg@example.test", -1);
  g_autofree char *cut = g_utf8_casefold ("X\xEF\xBF\xBD", -1);
  /* The card without its final byte: nothing may be read beyond @length. */
  g_autofree char *exact = g_memdup2 (card, sizeof card - 1);

  g_assert_true (oc_vcard_has_text (card, -1, "EMAIL", folded));
  g_assert_true (oc_vcard_has_text (card, -1, "EMAIL", cut));
  g_assert_false (oc_vcard_has_text (exact, sizeof card - 1, "EMAIL", "nobody@example.test"));
}

static void
test_all_values (void)
{
  const char *card = CARD ("EMAIL;PREF=1:bob@example.test\r\n"
                           "X-CUSTOM1:x\r\n"
                           "EMAIL:bob.example@corp.example.te\r\n st\r\n"
                           "item2.EMAIL;TYPE=work:third@example.test\r\n");
  g_auto (GStrv) emails = oc_vcard_get_texts (card, -1, "EMAIL");
  g_auto (GStrv) none = oc_vcard_get_texts (card, -1, "TEL");

  g_assert_cmpstrv (emails, ((const char *const[]) { "bob@example.test", "bob.example@corp.example.test",
                                                     "third@example.test", NULL }));
  g_assert_cmpstrv (none, ((const char *const[]) { NULL }));
}

static void
test_has_text (void)
{
  const char *card = CARD ("EMAIL;PREF=1:Alice.Example@Example.TEST\r\n"
                           "EMAIL:folded-somewhere-in-the-middle-of-a-rather-long-address@exam\r\n ple.test\r\n"
                           "EMAIL: padded@example.test \r\n"
                           "EMAIL:J\xC3\x96RG@example.test\r\n"
                           "NOTE:note@example.test\r\n");
  g_autofree char *jorg = g_utf8_casefold ("jörg@example.test", -1);

  g_assert_true (oc_vcard_has_text (card, -1, "EMAIL", "alice.example@example.test"));
  g_assert_true (oc_vcard_has_text (card, -1, "EMAIL",
                                    "folded-somewhere-in-the-middle-of-a-rather-long-address@example.test"));
  g_assert_true (oc_vcard_has_text (card, -1, "EMAIL", "padded@example.test"));
  g_assert_true (oc_vcard_has_text (card, -1, "EMAIL", jorg));
  /* Whole values only, and only the EMAIL lines. */
  g_assert_false (oc_vcard_has_text (card, -1, "EMAIL", "alice.example@example.tes"));
  g_assert_false (oc_vcard_has_text (card, -1, "EMAIL", "example@example.test"));
  g_assert_false (oc_vcard_has_text (card, -1, "EMAIL", "note@example.test"));
  /* @length is honoured: the card cut before its second address. */
  g_assert_false (oc_vcard_has_text (card, 70, "EMAIL", "padded@example.test"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/oc/vcard/row/%02" G_GSIZE_FORMAT, i);
      g_test_add_data_func (path, &rows[i], test_row);
    }
  g_test_add_func ("/oc/vcard/all-values", test_all_values);
  g_test_add_func ("/oc/vcard/has-text", test_has_text);
  g_test_add_func ("/oc/vcard/has-text-invalid-utf8", test_has_text_invalid_utf8);
  return g_test_run ();
}
