/* fuzz-url-template.c: a calendar address made from a URL template and an
 * e-mail address (oc-url-template.c): the address comes from a link or a
 * directory.
 *
 * Input: the template, then the address. Holds: when the template, filled
 * with plain addresses, is a web address whose server does not depend on the
 * address (no {domain} in the host), no address can change that server: what
 * the template makes is a web address of the same host. */
#include "config.h"

#include "fuzz-common.h"
#include "oc-target.h"
#include "oc-url-template.h"

FUZZ_INIT ()

static char *
host_of (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  return uri && g_uri_get_host (uri) ? g_ascii_strdown (g_uri_get_host (uri), -1) : NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto (GStrv) fields = fuzz_fields (data, size, 2);
  const char *url_template = fuzz_field (fields, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *url = oc_url_template_expand (url_template, fuzz_field (fields, 1), &error);
  g_autofree char *plain = oc_url_template_expand (url_template, "x@x", NULL);
  g_autofree char *other = oc_url_template_expand (url_template, "y@y", NULL);
  g_autoptr (OcTarget) plain_target = plain ? oc_target_parse (plain, NULL) : NULL;
  g_autoptr (OcTarget) other_target = other ? oc_target_parse (other, NULL) : NULL;
  g_autofree char *scheme = g_uri_parse_scheme (url_template);

  if (url == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }
  /* Templates are web addresses (http, https, webcal, webcals); an owacal:
   * link as a template is read as a link, escapes and all. */
  if (scheme == NULL || !g_strv_contains ((const char *const[]) { "http", "https", "webcal", "webcals", NULL },
                                          scheme))
    return 0;
  if (plain_target != NULL && other_target != NULL &&
      (plain_target->kind == OC_TARGET_KIND_WEB || plain_target->kind == OC_TARGET_KIND_ICALENDAR))
    {
      g_autofree char *other_host = host_of (other_target->value);
      g_autoptr (GError) target_error = NULL;
      g_autoptr (OcTarget) target = oc_target_parse (url, &target_error);
      g_autofree char *plain_host = host_of (plain_target->value);
      g_autofree char *host = NULL;

      if (g_strcmp0 (plain_host, other_host) != 0)
        return 0;
      if (target == NULL)
        fuzz_fail ("the template made “%s”, which owacal cannot open: %s", url, target_error->message);
      g_assert (target->kind == OC_TARGET_KIND_WEB || target->kind == OC_TARGET_KIND_ICALENDAR);
      host = host_of (target->value);
      g_assert_cmpstr (host, ==, plain_host);
    }
  return 0;
}
