/* oc-windows-zones.c: Windows time zone names, as Exchange writes them, to IANA zones.
 *
 * Exchange and Outlook name zones after Windows: "TZID:W. Europe Standard
 * Time", and Outlook's own exports sometimes use the display name,
 * "TZID:(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna". The
 * VTIMEZONE that comes with them only holds the current rules, so a meeting
 * from before the last rule change would be off by an hour; the IANA zone
 * knows the history.
 *
 * ICU maps Windows names to zones with CLDR's windowsZones.xml, territory
 * "001" (the zone Windows means by the name), and its updates keep that
 * current. CLDR names zones by their first IANA name, which IANA may since
 * have made an alias (Asia/Calcutta, Europe/Kiev, ...); Debian moves aliases
 * to tzdata-legacy, so the answer goes through the links of the system's
 * own tz database (tzdata.zi) to the zone's current name. ICU 74's
 * ucal_getIanaTimeZoneID() would do that step; Debian 12 has ICU 72.
 *
 * Windows display names are not CLDR's: they come from the Windows registry
 * and are kept below as the comments of windowsZones.xml give them.
 */
#include "config.h"
#include "oc-windows-zones.h"

#include <string.h>
#include <unicode/ucal.h>
#include <unicode/uenum.h>
#include <unicode/ustring.h>

/* A zone ID is short; ICU's own longest is below 32 characters. */
#define MAX_ID_LENGTH 128

typedef struct {
  const char *windows;
  const char *display;
} WindowsDisplayName;

static const WindowsDisplayName display_names[] = {
  { "Dateline Standard Time", "(UTC-12:00) International Date Line West" },
  { "UTC-11", "(UTC-11:00) Coordinated Universal Time-11" },
  { "Aleutian Standard Time", "(UTC-10:00) Aleutian Islands" },
  { "Hawaiian Standard Time", "(UTC-10:00) Hawaii" },
  { "Marquesas Standard Time", "(UTC-09:30) Marquesas Islands" },
  { "Alaskan Standard Time", "(UTC-09:00) Alaska" },
  { "UTC-09", "(UTC-09:00) Coordinated Universal Time-09" },
  { "Pacific Standard Time (Mexico)", "(UTC-08:00) Baja California" },
  { "UTC-08", "(UTC-08:00) Coordinated Universal Time-08" },
  { "Pacific Standard Time", "(UTC-08:00) Pacific Time (US & Canada)" },
  { "US Mountain Standard Time", "(UTC-07:00) Arizona" },
  { "Mountain Standard Time (Mexico)", "(UTC-07:00) Chihuahua, La Paz, Mazatlan" },
  { "Mountain Standard Time", "(UTC-07:00) Mountain Time (US & Canada)" },
  { "Yukon Standard Time", "(UTC-07:00) Yukon" },
  { "Central America Standard Time", "(UTC-06:00) Central America" },
  { "Central Standard Time", "(UTC-06:00) Central Time (US & Canada)" },
  { "Easter Island Standard Time", "(UTC-06:00) Easter Island" },
  { "Central Standard Time (Mexico)", "(UTC-06:00) Guadalajara, Mexico City, Monterrey" },
  { "Canada Central Standard Time", "(UTC-06:00) Saskatchewan" },
  { "SA Pacific Standard Time", "(UTC-05:00) Bogota, Lima, Quito, Rio Branco" },
  { "Eastern Standard Time (Mexico)", "(UTC-05:00) Chetumal" },
  { "Eastern Standard Time", "(UTC-05:00) Eastern Time (US & Canada)" },
  { "Haiti Standard Time", "(UTC-05:00) Haiti" },
  { "Cuba Standard Time", "(UTC-05:00) Havana" },
  { "US Eastern Standard Time", "(UTC-05:00) Indiana (East)" },
  { "Turks And Caicos Standard Time", "(UTC-05:00) Turks and Caicos" },
  { "Paraguay Standard Time", "(UTC-04:00) Asuncion" },
  { "Atlantic Standard Time", "(UTC-04:00) Atlantic Time (Canada)" },
  { "Venezuela Standard Time", "(UTC-04:00) Caracas" },
  { "Central Brazilian Standard Time", "(UTC-04:00) Cuiaba" },
  { "SA Western Standard Time", "(UTC-04:00) Georgetown, La Paz, Manaus, San Juan" },
  { "Pacific SA Standard Time", "(UTC-04:00) Santiago" },
  { "Newfoundland Standard Time", "(UTC-03:30) Newfoundland" },
  { "Tocantins Standard Time", "(UTC-03:00) Araguaina" },
  { "E. South America Standard Time", "(UTC-03:00) Brasilia" },
  { "SA Eastern Standard Time", "(UTC-03:00) Cayenne, Fortaleza" },
  { "Argentina Standard Time", "(UTC-03:00) City of Buenos Aires" },
  { "Greenland Standard Time", "(UTC-03:00) Greenland" },
  { "Montevideo Standard Time", "(UTC-03:00) Montevideo" },
  { "Magallanes Standard Time", "(UTC-03:00) Punta Arenas" },
  { "Saint Pierre Standard Time", "(UTC-03:00) Saint Pierre and Miquelon" },
  { "Bahia Standard Time", "(UTC-03:00) Salvador" },
  { "UTC-02", "(UTC-02:00) Coordinated Universal Time-02" },
  { "Azores Standard Time", "(UTC-01:00) Azores" },
  { "Cape Verde Standard Time", "(UTC-01:00) Cabo Verde Is." },
  { "UTC", "(UTC) Coordinated Universal Time" },
  { "GMT Standard Time", "(UTC+00:00) Dublin, Edinburgh, Lisbon, London" },
  { "Greenwich Standard Time", "(UTC+00:00) Monrovia, Reykjavik" },
  { "Sao Tome Standard Time", "(UTC+00:00) Sao Tome" },
  { "Morocco Standard Time", "(UTC+01:00) Casablanca" },
  { "W. Europe Standard Time", "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna" },
  { "Central Europe Standard Time", "(UTC+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague" },
  { "Romance Standard Time", "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris" },
  { "Central European Standard Time", "(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb" },
  { "W. Central Africa Standard Time", "(UTC+01:00) West Central Africa" },
  { "Jordan Standard Time", "(UTC+02:00) Amman" },
  { "GTB Standard Time", "(UTC+02:00) Athens, Bucharest" },
  { "Middle East Standard Time", "(UTC+02:00) Beirut" },
  { "Egypt Standard Time", "(UTC+02:00) Cairo" },
  { "E. Europe Standard Time", "(UTC+02:00) Chisinau" },
  { "Syria Standard Time", "(UTC+02:00) Damascus" },
  { "West Bank Standard Time", "(UTC+02:00) Gaza, Hebron" },
  { "South Africa Standard Time", "(UTC+02:00) Harare, Pretoria" },
  { "FLE Standard Time", "(UTC+02:00) Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius" },
  { "Israel Standard Time", "(UTC+02:00) Jerusalem" },
  { "South Sudan Standard Time", "(UTC+02:00) Juba" },
  { "Kaliningrad Standard Time", "(UTC+02:00) Kaliningrad" },
  { "Sudan Standard Time", "(UTC+02:00) Khartoum" },
  { "Libya Standard Time", "(UTC+02:00) Tripoli" },
  { "Namibia Standard Time", "(UTC+02:00) Windhoek" },
  { "Arabic Standard Time", "(UTC+03:00) Baghdad" },
  { "Turkey Standard Time", "(UTC+03:00) Istanbul" },
  { "Arab Standard Time", "(UTC+03:00) Kuwait, Riyadh" },
  { "Belarus Standard Time", "(UTC+03:00) Minsk" },
  { "Russian Standard Time", "(UTC+03:00) Moscow, St. Petersburg" },
  { "E. Africa Standard Time", "(UTC+03:00) Nairobi" },
  { "Iran Standard Time", "(UTC+03:30) Tehran" },
  { "Arabian Standard Time", "(UTC+04:00) Abu Dhabi, Muscat" },
  { "Astrakhan Standard Time", "(UTC+04:00) Astrakhan, Ulyanovsk" },
  { "Azerbaijan Standard Time", "(UTC+04:00) Baku" },
  { "Russia Time Zone 3", "(UTC+04:00) Izhevsk, Samara" },
  { "Mauritius Standard Time", "(UTC+04:00) Port Louis" },
  { "Saratov Standard Time", "(UTC+04:00) Saratov" },
  { "Georgian Standard Time", "(UTC+04:00) Tbilisi" },
  { "Volgograd Standard Time", "(UTC+04:00) Volgograd" },
  { "Caucasus Standard Time", "(UTC+04:00) Yerevan" },
  { "Afghanistan Standard Time", "(UTC+04:30) Kabul" },
  { "West Asia Standard Time", "(UTC+05:00) Ashgabat, Tashkent" },
  { "Ekaterinburg Standard Time", "(UTC+05:00) Ekaterinburg" },
  { "Pakistan Standard Time", "(UTC+05:00) Islamabad, Karachi" },
  { "Qyzylorda Standard Time", "(UTC+05:00) Qyzylorda" },
  { "India Standard Time", "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi" },
  { "Sri Lanka Standard Time", "(UTC+05:30) Sri Jayawardenepura" },
  { "Nepal Standard Time", "(UTC+05:45) Kathmandu" },
  { "Central Asia Standard Time", "(UTC+06:00) Astana" },
  { "Bangladesh Standard Time", "(UTC+06:00) Dhaka" },
  { "Omsk Standard Time", "(UTC+06:00) Omsk" },
  { "Myanmar Standard Time", "(UTC+06:30) Yangon (Rangoon)" },
  { "SE Asia Standard Time", "(UTC+07:00) Bangkok, Hanoi, Jakarta" },
  { "Altai Standard Time", "(UTC+07:00) Barnaul, Gorno-Altaysk" },
  { "W. Mongolia Standard Time", "(UTC+07:00) Hovd" },
  { "North Asia Standard Time", "(UTC+07:00) Krasnoyarsk" },
  { "N. Central Asia Standard Time", "(UTC+07:00) Novosibirsk" },
  { "Tomsk Standard Time", "(UTC+07:00) Tomsk" },
  { "China Standard Time", "(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi" },
  { "North Asia East Standard Time", "(UTC+08:00) Irkutsk" },
  { "Singapore Standard Time", "(UTC+08:00) Kuala Lumpur, Singapore" },
  { "W. Australia Standard Time", "(UTC+08:00) Perth" },
  { "Taipei Standard Time", "(UTC+08:00) Taipei" },
  { "Ulaanbaatar Standard Time", "(UTC+08:00) Ulaanbaatar" },
  { "Aus Central W. Standard Time", "(UTC+08:45) Eucla" },
  { "Transbaikal Standard Time", "(UTC+09:00) Chita" },
  { "Tokyo Standard Time", "(UTC+09:00) Osaka, Sapporo, Tokyo" },
  { "North Korea Standard Time", "(UTC+09:00) Pyongyang" },
  { "Korea Standard Time", "(UTC+09:00) Seoul" },
  { "Yakutsk Standard Time", "(UTC+09:00) Yakutsk" },
  { "Cen. Australia Standard Time", "(UTC+09:30) Adelaide" },
  { "AUS Central Standard Time", "(UTC+09:30) Darwin" },
  { "E. Australia Standard Time", "(UTC+10:00) Brisbane" },
  { "AUS Eastern Standard Time", "(UTC+10:00) Canberra, Melbourne, Sydney" },
  { "West Pacific Standard Time", "(UTC+10:00) Guam, Port Moresby" },
  { "Tasmania Standard Time", "(UTC+10:00) Hobart" },
  { "Vladivostok Standard Time", "(UTC+10:00) Vladivostok" },
  { "Lord Howe Standard Time", "(UTC+10:30) Lord Howe Island" },
  { "Bougainville Standard Time", "(UTC+11:00) Bougainville Island" },
  { "Russia Time Zone 10", "(UTC+11:00) Chokurdakh" },
  { "Magadan Standard Time", "(UTC+11:00) Magadan" },
  { "Norfolk Standard Time", "(UTC+11:00) Norfolk Island" },
  { "Sakhalin Standard Time", "(UTC+11:00) Sakhalin" },
  { "Central Pacific Standard Time", "(UTC+11:00) Solomon Is., New Caledonia" },
  { "Russia Time Zone 11", "(UTC+12:00) Anadyr, Petropavlovsk-Kamchatsky" },
  { "New Zealand Standard Time", "(UTC+12:00) Auckland, Wellington" },
  { "UTC+12", "(UTC+12:00) Coordinated Universal Time+12" },
  { "Fiji Standard Time", "(UTC+12:00) Fiji" },
  { "Chatham Islands Standard Time", "(UTC+12:45) Chatham Islands" },
  { "UTC+13", "(UTC+13:00) Coordinated Universal Time+13" },
  { "Tonga Standard Time", "(UTC+13:00) Nuku'alofa" },
  { "Samoa Standard Time", "(UTC+13:00) Samoa" },
  { "Line Islands Standard Time", "(UTC+14:00) Kiritimati Island" },
};

typedef struct {
  GHashTable *windows_names;   /* case-folded Windows name → ICU's spelling */
  GHashTable *links;           /* IANA alias → the name it links to */
} ZoneTables;

/* ICU speaks UTF-16. Returns NULL for an empty or failed conversion. */
static char *
utf16_to_utf8 (const UChar *text,
               int32_t      length)
{
  char utf8[MAX_ID_LENGTH * 3];
  UErrorCode status = U_ZERO_ERROR;
  int32_t utf8_length = 0;

  u_strToUTF8 (utf8, sizeof utf8, &utf8_length, text, length, &status);
  if (U_FAILURE (status) || status == U_STRING_NOT_TERMINATED_WARNING || utf8_length == 0)
    return NULL;
  return g_strdup (utf8);
}

/* ICU matches Windows names exactly; Exchange's files are not always so
 * careful. The names ICU knows are those it gives back for its zones. */
static GHashTable *
read_windows_names (void)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  UErrorCode status = U_ZERO_ERROR;
  UEnumeration *zones = ucal_openTimeZoneIDEnumeration (UCAL_ZONE_TYPE_CANONICAL, NULL, NULL, &status);
  const UChar *zone;
  int32_t zone_length = 0;

  while (U_SUCCESS (status) && (zone = uenum_unext (zones, &zone_length, &status)) != NULL)
    {
      UChar windows[MAX_ID_LENGTH];
      UErrorCode windows_status = U_ZERO_ERROR;
      int32_t windows_length = ucal_getWindowsTimeZoneID (zone, zone_length, windows, MAX_ID_LENGTH,
                                                          &windows_status);
      g_autofree char *name = U_SUCCESS (windows_status) ? utf16_to_utf8 (windows, windows_length) : NULL;

      if (name != NULL)
        g_hash_table_replace (names, g_utf8_casefold (name, -1), (gpointer) g_intern_string (name));
    }
  uenum_close (zones);
  return names;
}

/* The "L TARGET ALIAS" lines of tzdata.zi, found where GLib looks for zones.
 * Without the file, names stay as ICU gives them. */
static GHashTable *
read_tz_links (void)
{
  GHashTable *links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *dir = g_getenv ("TZDIR");
  g_autofree char *path = g_build_filename (dir != NULL && *dir != '\0' ? dir : "/usr/share/zoneinfo",
                                            "tzdata.zi", NULL);
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return links;
  lines = g_strsplit (contents, "\n", -1);
  for (char **line = lines; *line != NULL; line++)
    {
      g_auto (GStrv) fields = g_strsplit (*line, " ", -1);

      if (g_strv_length (fields) == 3 && g_str_equal (fields[0], "L"))
        g_hash_table_replace (links, g_strdup (fields[2]), g_strdup (fields[1]));
    }
  return links;
}

static const ZoneTables *
get_zone_tables (void)
{
  static ZoneTables tables;
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      tables.windows_names = read_windows_names ();
      tables.links = read_tz_links ();
      g_once_init_leave (&ready, 1);
    }
  return &tables;
}

/* "(UTC+01:00) Amsterdam, …" → "Amsterdam, …": Windows has changed the
 * offset part over the years ("(GMT+01:00)", "(UTC+01:00)") but not the rest. */
static const char *
skip_offset_label (const char *display)
{
  const char *close;

  if (display[0] != '(')
    return display;
  close = strchr (display, ')');
  if (close == NULL)
    return display;
  close++;
  while (*close == ' ')
    close++;
  return close;
}

/* A Windows name or display name, in any case, to the Windows name as ICU spells it. */
static const char *
find_windows_name (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);
  const char *windows = g_hash_table_lookup (get_zone_tables ()->windows_names, folded);
  const char *cities;

  if (windows != NULL)
    return windows;
  cities = skip_offset_label (name);
  if (cities == name || *cities == '\0')
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (display_names); i++)
    if (g_ascii_strcasecmp (cities, skip_offset_label (display_names[i].display)) == 0)
      return display_names[i].windows;
  return NULL;
}

/**
 * oc_windows_zone_to_iana:
 * @name: a Windows zone name ("W. Europe Standard Time") or display name
 *   ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna")
 *
 * Returns: (nullable): the IANA zone Windows means by @name, or %NULL
 */
const char *
oc_windows_zone_to_iana (const char *name)
{
  const char *windows;
  UChar windows_utf16[MAX_ID_LENGTH];
  UChar zone_utf16[MAX_ID_LENGTH];
  UErrorCode status = U_ZERO_ERROR;
  int32_t zone_length;
  g_autofree char *zone = NULL;
  const char *target;

  g_return_val_if_fail (name != NULL, NULL);

  windows = find_windows_name (name);
  if (windows == NULL)
    return NULL;
  u_strFromUTF8 (windows_utf16, MAX_ID_LENGTH, NULL, windows, -1, &status);
  zone_length = ucal_getTimeZoneIDForWindowsID (windows_utf16, -1, "001", zone_utf16, MAX_ID_LENGTH, &status);
  zone = U_SUCCESS (status) ? utf16_to_utf8 (zone_utf16, zone_length) : NULL;
  if (zone == NULL)
    return NULL;
  /* IANA links point at zones; a few hops at most, in case one is chained. */
  for (guint hops = 0; hops < 4; hops++)
    {
      target = g_hash_table_lookup (get_zone_tables ()->links, zone);
      if (target == NULL)
        break;
      g_free (zone);
      zone = g_strdup (target);
    }
  return g_intern_string (zone);
}

/**
 * oc_windows_zone_get_count:
 *
 * Returns: how many Windows zones have a display name owacal knows
 */
guint
oc_windows_zone_get_count (void)
{
  return G_N_ELEMENTS (display_names);
}

/**
 * oc_windows_zone_get_nth:
 * @n: an index below oc_windows_zone_get_count()
 * @out_windows: (out) (optional): the Windows name
 * @out_iana: (out) (optional) (nullable): the IANA zone, as oc_windows_zone_to_iana() gives it
 * @out_display: (out) (optional): the Windows display name
 *
 * For tests and tools that check the display names against ICU and the system's zones.
 */
void
oc_windows_zone_get_nth (guint        n,
                         const char **out_windows,
                         const char **out_iana,
                         const char **out_display)
{
  g_return_if_fail (n < G_N_ELEMENTS (display_names));

  if (out_windows != NULL)
    *out_windows = display_names[n].windows;
  if (out_iana != NULL)
    *out_iana = oc_windows_zone_to_iana (display_names[n].windows);
  if (out_display != NULL)
    *out_display = display_names[n].display;
}
