/* oc-credentials.c: a user name and password, wiped from memory when dropped.
 *
 * The password lives in one place for as long as it is needed and is
 * overwritten when the last reference goes, so that it does not linger in
 * freed memory (or in a core file) longer than necessary.
 */
#include "config.h"
#include "oc-credentials.h"

#include <string.h>

struct _OcCredentials {
  gatomicrefcount ref_count;
  char *user;
  char *password;
  gboolean remember;
};

G_DEFINE_BOXED_TYPE (OcCredentials, oc_credentials, oc_credentials_ref, oc_credentials_unref)

/**
 * oc_credentials_new:
 * @user: "DOMAIN\user" or "user@domain"
 * @password: the password
 *
 * Returns: (transfer full): new credentials holding copies of both
 */
OcCredentials *
oc_credentials_new (const char *user,
                    const char *password)
{
  OcCredentials *self;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  self = g_new0 (OcCredentials, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->user = g_strdup (user);
  self->password = g_strdup (password);
  return self;
}

OcCredentials *
oc_credentials_ref (OcCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
oc_credentials_unref (OcCredentials *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  explicit_bzero (self->password, strlen (self->password));
  g_free (self->password);
  g_free (self->user);
  g_free (self);
}

const char *
oc_credentials_get_user (OcCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->user;
}

const char *
oc_credentials_get_password (OcCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->password;
}

/**
 * oc_credentials_set_remember:
 * @self: credentials
 * @remember: whether they should be stored once a server accepted them
 *
 * The client does not store anything; it hands accepted credentials back to
 * the #OcCredentialsProvider, which looks at this flag.
 */
void
oc_credentials_set_remember (OcCredentials *self,
                             gboolean       remember)
{
  g_return_if_fail (self != NULL);
  self->remember = remember;
}

gboolean
oc_credentials_get_remember (OcCredentials *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->remember;
}
