/* oc-settings.c: owacal's preferences, when their schema can be found.
 *
 * Installed, the schema is in the system's schema directory; run from the
 * build tree, in the build's data/. Without either, owacal runs on its
 * defaults and the command line's options, so every caller accepts NULL.
 */
#include "config.h"
#include "oc-settings.h"

/**
 * oc_settings_open:
 *
 * Returns: (transfer full) (nullable): owacal's settings, or %NULL when no
 *   schema is found
 */
GSettings *
oc_settings_open (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_autoptr (GSettingsSchemaSource) built =
        g_settings_schema_source_new_from_directory (OC_BUILD_ROOT "/data", source, FALSE, NULL);
      if (built != NULL)
        schema = g_settings_schema_source_lookup (built, APPLICATION_ID, FALSE);
    }
  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}
