/* oc-contact.c: a person found in an address book or a directory. */
#include "config.h"
#include "oc-contact.h"

G_DEFINE_BOXED_TYPE (OcContact, oc_contact, oc_contact_copy, oc_contact_free)

/* Surrounding blanks are noise; an empty Custom1 is no calendar address. */
static char *
dup_trimmed_or_null (const char *text)
{
  g_autofree char *copy = text ? g_strstrip (g_strdup (text)) : NULL;

  return (copy != NULL && *copy != '\0') ? g_steal_pointer (&copy) : NULL;
}

/**
 * oc_contact_new:
 * @id: the card's UID or the entry's DN
 * @display_name: (nullable): the person's name
 * @custom1: (nullable): the Custom1 value; blank counts as none
 *
 * Returns: (transfer full): a new contact
 */
OcContact *
oc_contact_new (const char *id,
                const char *display_name,
                const char *custom1)
{
  OcContact *contact = g_new0 (OcContact, 1);

  contact->id = g_strdup (id);
  contact->display_name = dup_trimmed_or_null (display_name);
  contact->custom1 = dup_trimmed_or_null (custom1);
  return contact;
}

/**
 * oc_contact_copy:
 * @contact: a contact
 *
 * Returns: (transfer full): a copy
 */
OcContact *
oc_contact_copy (const OcContact *contact)
{
  g_return_val_if_fail (contact != NULL, NULL);
  return oc_contact_new (contact->id, contact->display_name, contact->custom1);
}

/**
 * oc_contact_free:
 * @contact: (nullable): a contact
 */
void
oc_contact_free (OcContact *contact)
{
  if (contact == NULL)
    return;
  g_free (contact->id);
  g_free (contact->display_name);
  g_free (contact->custom1);
  g_free (contact);
}
