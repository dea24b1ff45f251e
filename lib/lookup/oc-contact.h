/* oc-contact.h: a person found in an address book or a directory. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct {
  char *id;            /* the card's UID, or the directory entry's DN */
  char *display_name;  /* nullable */
  char *custom1;       /* nullable: the person's calendar address, if any */
} OcContact;

#define OC_TYPE_CONTACT (oc_contact_get_type ())
GType      oc_contact_get_type (void) G_GNUC_CONST;

OcContact *oc_contact_new      (const char      *id,
                                const char      *display_name,
                                const char      *custom1);
OcContact *oc_contact_copy     (const OcContact *contact);
void       oc_contact_free     (OcContact       *contact);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcContact, oc_contact_free)

G_END_DECLS
