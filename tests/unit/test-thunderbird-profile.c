/* Finding the user's Thunderbird profile the way Thunderbird does, in a temporary home. */
#include "config.h"

#include "oc-thunderbird-profile.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tb-fixture.h"

typedef struct {
  char *home;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->home = g_dir_make_tmp ("home-XXXXXX", NULL);
  g_assert_nonnull (fixture->home);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  tb_fixture_remove_tree (fixture->home);
  g_free (fixture->home);
}

/* Writes @ini as @root/@name and creates the profile directories it names in @dirs. */
static char *
make_root (Fixture           *fixture,
           const char        *root,
           const char        *profiles_ini,
           const char        *installs_ini,
           const char *const *dirs)
{
  g_autofree char *root_dir = g_build_filename (fixture->home, root, NULL);

  g_assert_cmpint (g_mkdir_with_parents (root_dir, 0700), ==, 0);
  if (profiles_ini != NULL)
    {
      g_autofree char *path = g_build_filename (root_dir, "profiles.ini", NULL);
      g_assert_true (g_file_set_contents (path, profiles_ini, -1, NULL));
    }
  if (installs_ini != NULL)
    {
      g_autofree char *path = g_build_filename (root_dir, "installs.ini", NULL);
      g_assert_true (g_file_set_contents (path, installs_ini, -1, NULL));
    }
  for (gsize i = 0; dirs != NULL && dirs[i] != NULL; i++)
    {
      g_autofree char *dir = g_build_filename (root_dir, dirs[i], NULL);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
    }
  return g_steal_pointer (&root_dir);
}

static void
assert_finds (Fixture    *fixture,
              const char *wanted,
              const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *found = oc_thunderbird_profile_find (fixture->home, wanted, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, expected);
}

static const char two_profiles[] =
  "[Profile1]\nName=default\nIsRelative=1\nPath=aaaa.default\nDefault=1\n\n"
  "[InstallFDC34C9F024745EB]\nDefault=bbbb.default-default\nLocked=1\n\n"
  "[Profile0]\nName=default-default\nIsRelative=1\nPath=bbbb.default-default\n\n"
  "[General]\nStartWithLastProfile=1\nVersion=2\n";
static const char *const two_dirs[] = { "aaaa.default", "bbbb.default-default", NULL };

static void
test_real_profile (Fixture *fixture, gconstpointer data)
{
  g_autofree char *profile = tb_fixture_install (fixture->home);

  /* Not the Default=1 profile: the install's default, where Thunderbird put the data. */
  assert_finds (fixture, NULL, profile);
  g_assert_true (g_str_has_suffix (profile, "/.thunderbird/" TB_FIXTURE_PROFILE));
}

static void
test_installs_ini_first (Fixture *fixture, gconstpointer data)
{
  g_autofree char *root = make_root (fixture, ".thunderbird", two_profiles,
                                     "[FDC34C9F024745EB]\nDefault=aaaa.default\nLocked=1\n", two_dirs);
  g_autofree char *expected = g_build_filename (root, "aaaa.default", NULL);

  /* installs.ini and profiles.ini disagree: installs.ini wins. */
  assert_finds (fixture, NULL, expected);
}

static void
test_install_section (Fixture *fixture, gconstpointer data)
{
  g_autofree char *root = make_root (fixture, ".thunderbird", two_profiles, NULL, two_dirs);
  g_autofree char *expected = g_build_filename (root, "bbbb.default-default", NULL);

  assert_finds (fixture, NULL, expected);
}

static void
test_default_1 (Fixture *fixture, gconstpointer data)
{
  g_autofree char *root = make_root (fixture, ".thunderbird",
                                     "[Profile0]\nName=first\nIsRelative=1\nPath=aaaa.first\n\n"
                                     "[Profile1]\nName=marked\nIsRelative=1\nPath=bbbb.marked\nDefault=1\n",
                                     NULL, (const char *const[]) { "aaaa.first", "bbbb.marked", NULL });
  g_autofree char *expected = g_build_filename (root, "bbbb.marked", NULL);

  assert_finds (fixture, NULL, expected);
}

static void
test_first (Fixture *fixture, gconstpointer data)
{
  g_autofree char *root = make_root (fixture, ".thunderbird",
                                     "[General]\nVersion=2\n\n"
                                     "[Profile0]\nName=gone\nIsRelative=1\nPath=gone.dir\n\n"
                                     "[Profile1]\nName=one\nIsRelative=1\nPath=cccc.one\n\n"
                                     "[Profile2]\nName=two\nIsRelative=1\nPath=dddd.two\n",
                                     NULL, (const char *const[]) { "cccc.one", "dddd.two", NULL });
  g_autofree char *expected = g_build_filename (root, "cccc.one", NULL);

  /* No default anywhere; the first profile whose directory exists. */
  assert_finds (fixture, NULL, expected);
}

static void
test_stale_install_default (Fixture *fixture, gconstpointer data)
{
  g_autofree char *root = make_root (fixture, ".thunderbird", two_profiles,
                                     "[FDC34C9F024745EB]\nDefault=deleted.profile\n", two_dirs);
  g_autofree char *expected = g_build_filename (root, "bbbb.default-default", NULL);

  assert_finds (fixture, NULL, expected);
}

static void
test_absolute_path (Fixture *fixture, gconstpointer data)
{
  g_autofree char *elsewhere = g_build_filename (fixture->home, "Mail", "tb-profile", NULL);
  g_autofree char *ini = g_strdup_printf ("[Profile0]\nName=work\nIsRelative=0\nPath=%s\nDefault=1\n", elsewhere);
  g_autofree char *root = NULL;

  g_assert_cmpint (g_mkdir_with_parents (elsewhere, 0700), ==, 0);
  root = make_root (fixture, ".thunderbird", ini, NULL, NULL);
  assert_finds (fixture, NULL, elsewhere);
  assert_finds (fixture, "work", elsewhere);
}

static void
test_other_roots (Fixture *fixture, gconstpointer data)
{
  const char *root_name = data;
  g_autofree char *root = make_root (fixture, root_name,
                                     "[Profile0]\nName=default\nIsRelative=1\nPath=eeee.default\nDefault=1\n",
                                     NULL, (const char *const[]) { "eeee.default", NULL });
  g_autofree char *expected = g_build_filename (root, "eeee.default", NULL);

  assert_finds (fixture, NULL, expected);
}

static void
test_root_order (Fixture *fixture, gconstpointer data)
{
  const char *ini = "[Profile0]\nName=default\nIsRelative=1\nPath=p\n";
  g_autofree char *flatpak = make_root (fixture, ".var/app/org.mozilla.Thunderbird/.thunderbird", ini, NULL,
                                        (const char *const[]) { "p", NULL });
  g_autofree char *native = make_root (fixture, ".thunderbird", ini, NULL, (const char *const[]) { "p", NULL });
  g_autofree char *expected = g_build_filename (native, "p", NULL);

  assert_finds (fixture, NULL, expected);
}

static void
test_wanted (Fixture *fixture, gconstpointer data)
{
  g_autofree char *root = make_root (fixture, ".thunderbird", two_profiles, NULL, two_dirs);
  g_autofree char *by_name = g_build_filename (root, "aaaa.default", NULL);
  g_autofree char *other = g_build_filename (fixture->home, "some", "profile", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *found = NULL;

  assert_finds (fixture, "default", by_name);
  g_assert_cmpint (g_mkdir_with_parents (other, 0700), ==, 0);
  assert_finds (fixture, other, other);

  found = oc_thunderbird_profile_find (fixture->home, "nosuch", &error);
  g_assert_null (found);
  g_assert_error (error, OC_THUNDERBIRD_PROFILE_ERROR, OC_THUNDERBIRD_PROFILE_ERROR_NO_SUCH);
  g_assert_nonnull (strstr (error->message, "“nosuch”"));
  g_assert_nonnull (strstr (error->message, "“default-default”"));
  g_clear_error (&error);

  found = oc_thunderbird_profile_find (fixture->home, "/no/such/dir", &error);
  g_assert_null (found);
  g_assert_error (error, OC_THUNDERBIRD_PROFILE_ERROR, OC_THUNDERBIRD_PROFILE_ERROR_NO_SUCH);
}

static void
test_none (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *empty_root = make_root (fixture, ".icedove", NULL, NULL, NULL);

  found = oc_thunderbird_profile_find (fixture->home, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, OC_THUNDERBIRD_PROFILE_ERROR, OC_THUNDERBIRD_PROFILE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "~/.thunderbird"));
  g_assert_nonnull (strstr (error->message, "~/.var/app/net.thunderbird.Thunderbird/.thunderbird"));
}

int
main (int argc, char **argv)
{
  static const char *const roots[] = {
    ".icedove", ".mozilla-thunderbird", "snap/thunderbird/common/.thunderbird",
    ".var/app/org.mozilla.Thunderbird/.thunderbird", ".var/app/net.thunderbird.Thunderbird/.thunderbird",
  };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func, data) \
  g_test_add ("/oc/thunderbird-profile/" name, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("real-profile", test_real_profile, NULL);
  ADD ("installs-ini-first", test_installs_ini_first, NULL);
  ADD ("install-section", test_install_section, NULL);
  ADD ("default-1", test_default_1, NULL);
  ADD ("first", test_first, NULL);
  ADD ("stale-install-default", test_stale_install_default, NULL);
  ADD ("absolute-path", test_absolute_path, NULL);
  ADD ("root-order", test_root_order, NULL);
  ADD ("wanted", test_wanted, NULL);
  ADD ("none", test_none, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autofree char *name = g_strdelimit (g_strdup (roots[i]), "./", '-');
      g_autofree char *path = g_strdup_printf ("/oc/thunderbird-profile/root/%s", name);
      g_test_add (path, Fixture, roots[i], fixture_set_up, test_other_roots, fixture_tear_down);
    }
#undef ADD
  return g_test_run ();
}
