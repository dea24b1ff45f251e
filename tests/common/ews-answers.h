/* ews-answers.h: the EWS answers of tests/fixtures/ews/answers/, for unit tests. */
#pragma once

#include <glib.h>

static inline GBytes *
ews_answer_load (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("OWACAL_SOURCE_ROOT"), "tests", "fixtures", "ews", "answers",
                                            name, NULL);
  g_autoptr (GError) error = NULL;
  char *text = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &text, &length, &error))
    g_error ("%s", error->message);
  return g_bytes_new_take (text, length);
}

/* The answer with every @from replaced by @to: a variant of a real shape. */
static inline GBytes *
ews_answer_load_replaced (const char *name,
                          const char *from,
                          const char *to)
{
  g_autoptr (GBytes) bytes = ews_answer_load (name);
  g_autoptr (GString) text = g_string_new_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_assert_cmpuint (g_string_replace (text, from, to, 0), >, 0);
  return g_string_free_to_bytes (g_steal_pointer (&text));
}

static inline gint64
ews_utc (const char *iso)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}
