/* oc-address-book.h: a Thunderbird address book (abook.sqlite), read-only. */
#pragma once

#include <gio/gio.h>

#include "oc-contact.h"
#include "oc-prefs.h"

G_BEGIN_DECLS

typedef enum {
  OC_ADDRESS_BOOK_ERROR_UNREADABLE,  /* missing, corrupt, or not an address book */
} OcAddressBookError;

#define OC_ADDRESS_BOOK_ERROR (oc_address_book_error_quark ())
GQuark oc_address_book_error_quark (void);

#define OC_TYPE_ADDRESS_BOOK (oc_address_book_get_type ())
G_DECLARE_FINAL_TYPE (OcAddressBook, oc_address_book, OC, ADDRESS_BOOK, GObject)

OcAddressBook *oc_address_book_new         (const char     *name,
                                            const char     *path);
const char    *oc_address_book_get_name    (OcAddressBook  *self);
const char    *oc_address_book_get_path    (OcAddressBook  *self);

GPtrArray     *oc_address_book_list        (const char     *profile_dir,
                                            OcPrefs        *prefs);

OcContact     *oc_address_book_lookup_sync (OcAddressBook  *self,
                                            const char     *email,
                                            GCancellable   *cancellable,
                                            GError        **error);

G_END_DECLS
