/* fuzz-target.c: what a user types or a link carries (oc_target_parse()).
 *
 * Holds whatever the input: a target is one of its kinds with a value of the
 * kind's shape; oc_target_to_argument() gives text that parses back to the
 * same target; nothing read from an owacal: link is a local file. */
#include "config.h"

#include "fuzz-common.h"
#include "oc-target.h"

FUZZ_INIT ()

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_string (data, size);
  g_autofree char *link = g_strconcat ("owacal:", text, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OcTarget) target = oc_target_parse (text, &error);
  g_autoptr (OcTarget) from_link = oc_target_parse (link, NULL);

  (void) oc_is_email_address (text);
  g_assert ((target == NULL) != (error == NULL));
  /* A page or a chat can carry any owacal: link: never a file of this computer. */
  g_assert (from_link == NULL || from_link->kind != OC_TARGET_KIND_ICALENDAR_FILE);
  if (target != NULL)
    {
      g_autofree char *argument = oc_target_to_argument (target);
      g_autofree char *described = oc_target_to_string (target);
      g_autoptr (GError) again_error = NULL;
      g_autoptr (OcTarget) again = oc_target_parse (argument, &again_error);

      g_assert (described != NULL);
      switch (target->kind)
        {
        case OC_TARGET_KIND_WEB:
        case OC_TARGET_KIND_ICALENDAR:
          g_assert (g_str_has_prefix (target->value, "http://") || g_str_has_prefix (target->value, "https://"));
          break;
        case OC_TARGET_KIND_EMAIL:
          g_assert (oc_is_email_address (target->value));
          break;
        case OC_TARGET_KIND_ICALENDAR_FILE:
          g_assert (g_path_is_absolute (target->value) && g_str_has_suffix (target->value, ".ics"));
          break;
        case OC_TARGET_KIND_DEMO:
        default:
          break;
        }
      if (again == NULL)
        fuzz_fail ("“%s” parses, but its argument “%s” does not: %s", text, argument, again_error->message);
      g_assert_cmpint (again->kind, ==, target->kind);
      g_assert_cmpstr (again->value, ==, target->value);
    }
  return 0;
}
