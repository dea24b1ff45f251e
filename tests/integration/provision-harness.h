/* provision-harness.h: run owacal-provision against the testbed's slapd and look
 * at the directory with an independent client (OpenLDAP's ldapsearch).
 *
 * Used by the provision-* integration tests (test-owacal-provision.c,
 * test-provision-links.c, test-provision-limits.c, test-provision-prompt.c). */
#pragma once

#include <glib.h>

typedef struct {
  int status;        /* the exit status */
  char *out;         /* standard output */
  char *err;         /* standard error */
} Run;

/* dn (lower case) -> the entry's attribute lines, sorted, one string. */
typedef GHashTable Directory;

const char *require_env        (const char *name);
char       *harness_temp_dir   (void);
char       *harness_write_file (const char *dir, const char *name, const char *contents);
void        harness_set_tool_cwd (const char *dir);
void        assert_contains    (const char *haystack, const char *needle);
void        assert_lacks       (const char *haystack, const char *needle);
guint       count_of           (const char *haystack, const char *needle);
char       *table_line         (const char *out, const char *person);
void        assert_row         (const char *out, const char *person, const char *value, const char *action);

void        run_clear          (Run *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

void        run_tool           (Run *run, const char *stdin_text, const char * const *env, const char *first, ...)
                                G_GNUC_NULL_TERMINATED;
void        run_tool_argv      (Run *run, const char *stdin_text, const char * const *env, GPtrArray *args);
void        run_command        (Run *run, const char *stdin_text, const char *first, ...) G_GNUC_NULL_TERMINATED;

Directory  *directory_snapshot (void);
void        assert_same_directory (Directory *before, Directory *after);
char       *directory_changed_dns (Directory *before, Directory *after);
char       *directory_value    (Directory *directory, const char *dn, const char *attribute);
void        assert_value       (Directory *directory, const char *dn, const char *attribute, const char *expected);

guint       log_count          (const char *needle);
char       *log_modified_dns   (guint skip_lines);
guint       log_n_lines        (void);
