/* fuzz-ldif.c: LDIF change records, read (an undo file, oc-ldif.c) and
 * written back.
 *
 * Holds: every change read is written by oc_ldif_append_modify() as LDIF that
 * reads back as the same change (DN, operations, attributes and values). */
#include "config.h"

#include "fuzz-common.h"
#include "oc-ldif.h"

FUZZ_INIT ()

static void
assert_same_change (const OcLdifChange *a,
                    const OcLdifChange *b)
{
  g_assert_cmpstr (a->dn, ==, b->dn);
  g_assert_cmpuint (a->mods->len, ==, b->mods->len);
  for (guint i = 0; i < a->mods->len; i++)
    {
      const OcLdapMod *x = &g_array_index (a->mods, OcLdapMod, i);
      const OcLdapMod *y = &g_array_index (b->mods, OcLdapMod, i);

      g_assert_cmpint (x->op, ==, y->op);
      g_assert_cmpstr (x->attribute, ==, y->attribute);
      g_assert_cmpstr (x->value, ==, y->value);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_string (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = oc_ldif_parse_changes (text, &error);

  if (changes == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }
  for (guint i = 0; i < changes->len; i++)
    {
      const OcLdifChange *change = g_ptr_array_index (changes, i);
      g_autoptr (GString) written = g_string_new (NULL);
      g_autoptr (GPtrArray) again = NULL;
      g_autoptr (GError) again_error = NULL;

      oc_ldif_append_modify (written, change->dn, (const OcLdapMod *) change->mods->data, change->mods->len);
      again = oc_ldif_parse_changes (written->str, &again_error);
      if (again == NULL)
        fuzz_fail ("a change read from LDIF is written as LDIF that does not read back: %s\n%s",
                 again_error->message, written->str);
      g_assert_cmpuint (again->len, ==, 1);
      assert_same_change (change, g_ptr_array_index (again, 0));
    }
  return 0;
}
