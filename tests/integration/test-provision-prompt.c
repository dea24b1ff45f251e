/* owacal-provision's password prompt, on a pseudo-terminal as an administrator
 * sees it: the test types at the prompt like a person would.  slapd from the
 * testbed (component slapd) checks the password.
 *
 * The program's standard input, output and error are the terminal, which is
 * also its controlling terminal (/dev/tty, where it asks).  The test keeps the
 * terminal's other end and reads everything the program shows, which includes
 * whatever the terminal echoes of what is typed. */
/* posix_openpt(), grantpt(), unlockpt(), ptsname(): X/Open, not in the default set. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "provision-harness.h"

typedef struct {
  int master, slave;       /* the terminal: the test's end, the program's end */
  GString *screen;         /* all the program showed, without the \r the terminal adds */
  const char *prompt;      /* type @keys once this has been shown */
  const char *keys;
  gboolean typed;
  gboolean echo_at_prompt; /* whether the terminal echoed when the prompt was shown */
  gboolean exited;
  char *dir;               /* the program's working directory */
} Terminal;

static void
terminal_open (Terminal *t)
{
  struct termios attrs;

  t->master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (t->master, >=, 0);
  g_assert_cmpint (grantpt (t->master), ==, 0);
  g_assert_cmpint (unlockpt (t->master), ==, 0);
  t->slave = open (ptsname (t->master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (t->slave, >=, 0);
  g_assert_true (g_unix_set_fd_nonblocking (t->master, TRUE, NULL));
  /* A new terminal echoes; otherwise the test below would prove nothing. */
  g_assert_cmpint (tcgetattr (t->slave, &attrs), ==, 0);
  g_assert_true (attrs.c_lflag & ECHO);
  t->screen = g_string_new (NULL);
  t->dir = harness_temp_dir ();
}

static void
terminal_close (Terminal *t)
{
  close (t->master);
  close (t->slave);
  g_string_free (t->screen, TRUE);
  g_rmdir (t->dir);
  g_free (t->dir);
}

static gboolean
terminal_echoes (Terminal *t)
{
  struct termios attrs;

  g_assert_cmpint (tcgetattr (t->slave, &attrs), ==, 0);
  return (attrs.c_lflag & ECHO) != 0;
}

static void
type_keys (Terminal *t)
{
  gsize len = strlen (t->keys);

  g_assert_cmpint (write (t->master, t->keys, len), ==, (gssize) len);
}

/* Reads what there is; types the keys once the prompt is on the screen. */
static void
read_screen (Terminal *t)
{
  char buffer[4096];
  gssize n;

  while ((n = read (t->master, buffer, sizeof buffer)) > 0)
    for (gssize i = 0; i < n; i++)
      if (buffer[i] != '\r')
        g_string_append_c (t->screen, buffer[i]);
  g_assert_true (n == 0 || errno == EAGAIN || errno == EIO);
  if (!t->typed && strstr (t->screen->str, t->prompt) != NULL)
    {
      t->echo_at_prompt = terminal_echoes (t);
      type_keys (t);
      t->typed = TRUE;
    }
}

static gboolean
master_readable_cb (int fd, GIOCondition condition, gpointer user_data)
{
  read_screen (user_data);
  return G_SOURCE_CONTINUE;
}

static void
exited_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Terminal *t = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  t->exited = TRUE;
}

/* In the child, after its standard streams became the terminal: a session of
 * its own with the terminal as its controlling terminal, so /dev/tty is it and
 * keys such as Ctrl-C reach the program. */
static void
take_terminal (gpointer user_data)
{
  setsid ();
  ioctl (STDIN_FILENO, TIOCSCTTY, 0);
}

/* Runs owacal-provision ARGS... on @t until it ends, typing @keys at @prompt. */
static GSubprocess *
run_on_terminal (Terminal *t, const char *prompt, const char *keys, ...)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  GSubprocess *process;
  guint watch;
  va_list ap;

  g_ptr_array_add (argv, g_build_filename (require_env ("OWACAL_BUILD_ROOT"), "app", "provision", "owacal-provision", NULL));
  va_start (ap, keys);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  t->prompt = prompt;
  t->keys = keys;
  g_subprocess_launcher_take_stdin_fd (launcher, dup (t->slave));
  g_subprocess_launcher_take_stdout_fd (launcher, dup (t->slave));
  g_subprocess_launcher_take_stderr_fd (launcher, dup (t->slave));
  g_subprocess_launcher_set_cwd (launcher, t->dir);
  g_subprocess_launcher_set_child_setup (launcher, take_terminal, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  watch = g_unix_fd_add (t->master, G_IO_IN, master_readable_cb, t);
  g_subprocess_wait_async (process, NULL, exited_cb, t);
  while (!t->exited)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watch);
  read_screen (t);  /* the test holds the program's end open: what is left can be read */
  g_test_message ("%s on a terminal showed:\n%s", (const char *) argv->pdata[0], t->screen->str);
  return process;
}

#define PROMPT "Password for cn=admin,dc=example,dc=test: "

/* A dry run signing in as the administrator, with @keys typed at the prompt. */
static GSubprocess *
run_dry_run (Terminal *t, const char *keys)
{
  return run_on_terminal (t, PROMPT, keys, "-H", require_env ("OC_TEST_LDAP_URI"),
                          "-b", require_env ("OC_TEST_LDAP_BASE"), "--exchange", "2019",
                          "-D", require_env ("OC_TEST_LDAP_ADMIN_DN"), NULL);
}

/* Types @password and Enter at the prompt.  Whatever the outcome, the terminal
 * did not echo it, never showed it, and echoes again afterwards. */
static int
type_password (Terminal *t, const char *password)
{
  g_autofree char *keys = g_strconcat (password, "\n", NULL);
  g_autoptr (GSubprocess) process = run_dry_run (t, keys);

  g_assert_true (t->typed);
  g_assert_false (t->echo_at_prompt);
  assert_lacks (t->screen->str, password);
  g_assert_true (terminal_echoes (t));
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* Tests */

static void
test_typed (void)
{
  Terminal t = { 0 };

  terminal_open (&t);
  g_assert_cmpint (type_password (&t, require_env ("OC_TEST_LDAP_ADMIN_PASSWORD")), ==, 0);
  /* Signed in with what was typed: the dry run's table follows the prompt. */
  assert_contains (t.screen->str, PROMPT "\n# owacal-provision: dry run, nothing was written");
  assert_contains (t.screen->str, "signed in as dn:cn=admin,dc=example,dc=test");
  assert_contains (t.screen->str, "# Summary (dry run, nothing written): examined 5");
  terminal_close (&t);
}

static void
test_wrong (void)
{
  Terminal t = { 0 };

  terminal_open (&t);
  /* 3: could not sign in (data/owacal-provision.1, EXIT STATUS). */
  g_assert_cmpint (type_password (&t, "Not-The-Password-42"), ==, 3);
  assert_contains (t.screen->str, PROMPT "\nowacal-provision: Could not sign in to ");
  assert_contains (t.screen->str, " as cn=admin,dc=example,dc=test: the user name or password was not accepted (LDAP 49");
  assert_lacks (t.screen->str, "# owacal-provision: dry run");
  terminal_close (&t);
}

static void
test_interrupted (void)
{
  g_autoptr (GSubprocess) process = NULL;
  Terminal t = { 0 };
  guint binds = log_count (" BIND dn=\"cn=admin,dc=example,dc=test\"");

  /* Ctrl-C at the prompt: the program ends as interrupted programs do, and the
   * terminal echoes again (a shell would otherwise be left without echo). */
  terminal_open (&t);
  process = run_dry_run (&t, "\003");
  g_assert_true (t.typed);
  g_assert_false (t.echo_at_prompt);
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGINT);
  g_assert_true (terminal_echoes (&t));
  assert_lacks (t.screen->str, "# owacal-provision");
  g_assert_cmpuint (log_count (" BIND dn=\"cn=admin,dc=example,dc=test\""), ==, binds);
  terminal_close (&t);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/provision-prompt/typed", test_typed);
  g_test_add_func ("/provision-prompt/wrong", test_wrong);
  g_test_add_func ("/provision-prompt/interrupted", test_interrupted);
  return g_test_run ();
}
