/* fuzz-vcard.c: a contact's vCard from an address book (oc-vcard.c).
 *
 * The card is given with its length and no NUL after it. Holds: every value
 * read is valid UTF-8; a value found by oc_vcard_get_texts() is also found by
 * oc_vcard_has_text() once casefolded. */
#include "config.h"

#include "fuzz-common.h"
#include "oc-vcard.h"

FUZZ_INIT ()

static const char *const properties[] = { "EMAIL", "X-CUSTOM1", "FN", "NOTE" };

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *card = fuzz_exact_copy (data, size);
  /* A NUL inside a value cuts the C string handed out: compare only without. */
  gboolean has_nul = memchr (data, '\0', size) != NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (properties); i++)
    {
      g_autofree char *first = oc_vcard_get_text (card, size, properties[i]);
      g_auto (GStrv) all = oc_vcard_get_texts (card, size, properties[i]);

      g_assert (first == NULL || g_utf8_validate (first, -1, NULL));
      g_assert ((first == NULL) == (all[0] == NULL));
      for (char **value = all; *value; value++)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (*value));
          g_autofree char *folded = g_utf8_casefold (stripped, -1);

          g_assert (g_utf8_validate (*value, -1, NULL));
          if (!has_nul && *stripped != '\0')
            g_assert (oc_vcard_has_text (card, size, properties[i], folded));
        }
    }
  return 0;
}
