/* fuzz-common.h: what every libFuzzer harness of owacal shares.
 *
 * A harness feeds one parser of untrusted input with libFuzzer's bytes and
 * checks what must hold whatever the input (a round trip, valid UTF-8, a
 * bound). A GLib critical or warning counts as a finding, like a crash: lib/
 * logs nothing, so either is a g_return_if_fail() that input can reach.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

/* A critical or a warning: said, then abort(), which libFuzzer catches (a
 * fatal log's G_BREAKPOINT() would be a SIGTRAP it does not, and the input
 * would be lost). */
static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput written = g_log_writer_standard_streams (level, fields, n_fields, user_data);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return written;
}

#define FUZZ_INIT(body)                                                          \
  int                                                                            \
  LLVMFuzzerInitialize (int *argc, char ***argv)                                 \
  {                                                                              \
    g_log_set_writer_func (fuzz_log_writer, NULL, NULL);                         \
    g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);                              \
    body;                                                                        \
    return 0;                                                                    \
  }

/* A finding: said, then abort() (libFuzzer saves the input; g_error()'s
 * SIGTRAP it would not catch). */
#define fuzz_fail(...)                                                           \
  G_STMT_START {                                                                 \
    g_printerr (__VA_ARGS__);                                                    \
    g_printerr ("\n");                                                           \
    abort ();                                                                    \
  } G_STMT_END

/* The input as a string: up to its first NUL, as a C caller would see it. */
static inline char *
fuzz_string (const uint8_t *data,
             size_t         size)
{
  return g_strndup ((const char *) data, size);
}

/* The input's lines ('\n'), at most @max: the last holds the rest. Seeds are
 * text files, one field a line. */
static inline GStrv
fuzz_fields (const uint8_t *data,
             size_t         size,
             int            max)
{
  g_autofree char *text = fuzz_string (data, size);

  return g_strsplit (text, "\n", max);
}

/* Field @i, or "" when the input has fewer. */
static inline const char *
fuzz_field (GStrv fields,
            guint i)
{
  return i < g_strv_length (fields) ? fields[i] : "";
}

/* The input's bytes as an exact-length copy without a NUL after it: any read
 * past the end is one out of its heap block, which ASan reports. */
static inline char *
fuzz_exact_copy (const uint8_t *data,
                 size_t         size)
{
  return g_memdup2 (data, size ? size : 1);
}
