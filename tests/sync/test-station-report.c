/* test-station-report.c: the end-of-shift PDF, read back with pdftotext
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "fest-core.h"
#include "fest-shift-report.h"
#include "fest-station-store.h"

#define STAND_ID    "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0002"
#define BEER_ID     "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0003"
#define FRIES_ID    "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0004"
#define WALLET_CODE "FW1.AAAAAAAAAAAAAAAAAAAAAAAAAA"

/* Is anything drawn on the (transparent) image @surface? */
static gboolean
has_ink (cairo_surface_t *surface)
{
  cairo_surface_flush (surface);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    {
      const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface) +
                                              y * cairo_image_surface_get_stride (surface));

      for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
        if (row[x] != 0)
          return TRUE;
    }
  return FALSE;
}

static void
test_report_pdf (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fest-report-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "station.db", NULL);
  g_autofree char *pdf = g_build_filename (dir, "shift.pdf", NULL);
  g_autoptr(FestStationStore) store = NULL;
  g_autoptr(JsonNode) changes = NULL;
  g_autoptr(FestShiftSummary) summary = NULL;
  g_autoptr(FestOutboxOp) op = NULL;
  g_autofree char *text = NULL;
  g_autofree char *head = NULL;
  const char *pdftotext = g_getenv ("PDFTOTEXT");
  FestSaleLine sale[] = { { BEER_ID, 3 }, { FRIES_ID, 2 } };
  const char *argv[] = { pdftotext, "-layout", "-enc", "UTF-8", pdf, "-", NULL };
  int status = 0;

  g_assert_no_error (error);
  g_assert_nonnull (pdftotext);
  store = fest_station_store_open (db, &error);
  g_assert_no_error (error);
  fest_station_store_enroll (store, "http://x", "dev", "Bar", "fest", STAND_ID, "cashier", &error);
  changes = fest_json_parse ("{\"products\":["
                             "{\"id\":\"" BEER_ID "\",\"stand_id\":\"" STAND_ID "\",\"name\":\"Blonde beer\","
                             "\"price\":500,\"vat_rate\":20,\"rev\":1},"
                             "{\"id\":\"" FRIES_ID "\",\"stand_id\":\"" STAND_ID "\",\"name\":\"Fries\","
                             "\"price\":350,\"vat_rate\":10,\"rev\":2}],"
                             "\"wallets\":[{\"id\":\"w\",\"code\":\"" WALLET_CODE "\",\"balance\":100000,\"rev\":3}]}",
                             -1, &error);
  fest_station_store_apply_changes (store, json_node_get_object (changes), NULL, &error);
  g_assert_no_error (error);
  op = fest_station_store_record_payment (store, WALLET_CODE, sale, 2, 0, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&op, fest_outbox_op_free);
  op = fest_station_store_record_recharge (store, WALLET_CODE, 2000, "CARD", &error);
  g_assert_no_error (error);

  summary = fest_station_store_get_shift_summary (store);
  g_assert_true (fest_shift_report_write_pdf (summary, "Main bar", "Jetons", 10, pdf, &error));
  g_assert_no_error (error);

  g_file_get_contents (pdf, &head, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (head, "%PDF-"));

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &text, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "End-of-shift report"));
  g_assert_nonnull (strstr (text, "Main bar"));
  g_assert_nonnull (strstr (text, "Blonde beer"));
  g_assert_nonnull (strstr (text, "Fries"));
  /* 3 × 5.00 + 2 × 3.50 = 22.00 Jetons = €2.20; VAT 20 % of 15.00 = 2.50, 10 % of 7.00 = 0.64 */
  g_assert_nonnull (strstr (text, "22 Jetons"));
  g_assert_nonnull (strstr (text, "2.20"));   /* in euros, the sign depends on the locale */
  g_assert_nonnull (strstr (text, "12.50 Jetons"));   /* 20 %: excl. VAT */
  g_assert_nonnull (strstr (text, "2.50 Jetons"));
  g_assert_nonnull (strstr (text, "6.36 Jetons"));
  g_assert_nonnull (strstr (text, "0.64 Jetons"));
  g_assert_nonnull (strstr (text, "20 Jetons"));   /* card recharge */

  /* Printing draws the same report one page at a time: one page here, with ink on it; asking
   * for the count, or for a page beyond it, draws nothing. */
  {
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 595, 842);
    cairo_t *cr = cairo_create (surface);

    g_assert_cmpint (fest_shift_report_draw_page (summary, "Main bar", "Jetons", 10, cr, -1), ==, 1);
    g_assert_cmpint (fest_shift_report_draw_page (summary, "Main bar", "Jetons", 10, cr, 1), ==, 1);
    g_assert_false (has_ink (surface));
    g_assert_cmpint (fest_shift_report_draw_page (summary, "Main bar", "Jetons", 10, cr, 0), ==, 1);
    g_assert_true (has_ink (surface));
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
  }

  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);
    g_unlink (db);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (pdf);
    g_rmdir (dir);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fest_core_init ();
  g_test_add_func ("/fest/station-report/pdf", test_report_pdf);
  return g_test_run ();
}
