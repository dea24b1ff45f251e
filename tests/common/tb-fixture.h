/* tb-fixture.h: Thunderbird profiles and address books, built for tests at run time. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The real profile's data profile directory name (see tests/fixtures/thunderbird-153/). */
#define TB_FIXTURE_PROFILE "4yl18usa.default-default"

char *tb_fixture_path         (const char *name);
char *tb_fixture_read         (const char *name);
void  tb_fixture_exec         (const char *db_path,
                               const char *sql);
void  tb_fixture_create_book  (const char *db_path,
                               const char *cards_sql);
char *tb_fixture_install      (const char *home);
void  tb_fixture_remove_tree  (const char *path);
const char *tb_fixture_env   (const char *name);

char *tb_fixture_vcard        (const char *uid,
                               const char *full_name,
                               const char *const *emails,
                               const char *x_custom1);
char *tb_fixture_card_sql     (const char *uid,
                               const char *full_name,
                               const char *const *emails,
                               const char *x_custom1,
                               const char *custom1_row);

G_END_DECLS
