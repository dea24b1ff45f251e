/* A server's certificate: fingerprint and public-key pin from its PEM, checked
 * against the values openssl computes (tests/fixtures/certificates/README). */
#include "config.h"

#include "oc-certificate.h"
#include "oc-http-error.h"

static char *
read_fixture (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("OWACAL_SOURCE_ROOT"), "tests", "fixtures", "certificates",
                                            name, NULL);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("%s (is OWACAL_SOURCE_ROOT set?)", error->message);
  return contents;
}

static void
test_fingerprint_and_pin (void)
{
  static const struct { const char *file; const char *fingerprint; const char *pin; } rows[] = {
    { "ec-selfsigned.pem",
      "F2:E7:2F:01:BB:37:4A:E7:C3:18:22:A8:C6:03:38:3D:9B:93:59:8B:B5:28:B7:68:E8:62:AD:97:A6:C6:8B:E7",
      "sha256//ZpOaXYXoXpd1t6AI1vrUx0DoMI0dpEy7soIue63UCFE=" },
    { "rsa-v1.pem",
      "1D:8C:A6:64:17:EA:D7:4C:26:57:10:C0:FB:90:36:39:7E:78:F4:80:6E:9C:95:46:62:D0:52:17:73:50:16:C1",
      "sha256//2x4H9fc68ufqw9r+3pXikGlXSW2pvOeF7ILmoHGGnLU=" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *pem = read_fixture (rows[i].file);
      g_autoptr (GError) error = NULL;
      g_autoptr (OcCertificate) certificate = oc_certificate_new_from_pem ("Mail.Example.com", 443, pem, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (oc_certificate_get_fingerprint (certificate), ==, rows[i].fingerprint);
      g_assert_cmpstr (oc_certificate_get_public_key_pin (certificate), ==, rows[i].pin);
      g_assert_cmpstr (oc_certificate_get_host (certificate), ==, "mail.example.com");
      g_assert_cmpuint (oc_certificate_get_port (certificate), ==, 443);
    }
}

static void
test_not_a_certificate (void)
{
  static const char *const pems[] = {
    "",
    "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
    "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
    "-----BEGIN CERTIFICATE-----\nMIIBAjCB\n-----END CERTIFICATE-----\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (pems); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (OcCertificate) certificate = oc_certificate_new_from_pem ("h", 443, pems[i], &error);

      g_assert_null (certificate);
      g_assert_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_TLS);
    }
}

static void
test_normalize_fingerprint (void)
{
  const char *colons = "F2:E7:2F:01:BB:37:4A:E7:C3:18:22:A8:C6:03:38:3D:9B:93:59:8B:B5:28:B7:68:E8:62:AD:97:A6:C6:8B:E7";
  static const struct { const char *text; gboolean valid; } rows[] = {
    { "F2:E7:2F:01:BB:37:4A:E7:C3:18:22:A8:C6:03:38:3D:9B:93:59:8B:B5:28:B7:68:E8:62:AD:97:A6:C6:8B:E7", TRUE },
    { "f2e72f01bb374ae7c31822a8c603383d9b93598bb528b768e862ad97a6c68be7", TRUE },
    { "sha256 Fingerprint=F2:E7:2F:01:BB:37:4A:E7:C3:18:22:A8:C6:03:38:3D:9B:93:59:8B:B5:28:B7:68:E8:62:AD:97:A6:C6:8B:E7",
      TRUE },
    { "F2:E7", FALSE },
    { "f2e72f01bb374ae7c31822a8c603383d9b93598bb528b768e862ad97a6c68be7ff", FALSE },
    { "g2e72f01bb374ae7c31822a8c603383d9b93598bb528b768e862ad97a6c68be7", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *normal = oc_certificate_normalize_fingerprint (rows[i].text);
      g_assert_cmpstr (normal, ==, rows[i].valid ? colons : NULL);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/oc/certificate/fingerprint-and-pin", test_fingerprint_and_pin);
  g_test_add_func ("/oc/certificate/not-a-certificate", test_not_a_certificate);
  g_test_add_func ("/oc/certificate/normalize-fingerprint", test_normalize_fingerprint);
  return g_test_run ();
}
