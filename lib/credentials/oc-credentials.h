/* oc-credentials.h: a user name and password, wiped from memory when dropped. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _OcCredentials OcCredentials;

#define OC_TYPE_CREDENTIALS (oc_credentials_get_type ())
GType          oc_credentials_get_type     (void) G_GNUC_CONST;

OcCredentials *oc_credentials_new          (const char    *user,
                                            const char    *password);
OcCredentials *oc_credentials_ref          (OcCredentials *self);
void           oc_credentials_unref        (OcCredentials *self);

const char    *oc_credentials_get_user     (OcCredentials *self);
const char    *oc_credentials_get_password (OcCredentials *self);
void           oc_credentials_set_remember (OcCredentials *self,
                                            gboolean       remember);
gboolean       oc_credentials_get_remember (OcCredentials *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcCredentials, oc_credentials_unref)

G_END_DECLS
