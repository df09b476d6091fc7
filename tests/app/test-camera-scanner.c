/* test-camera-scanner.c: a real QR image of a real signed ticket, read through GStreamer and zbar
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The QR code is drawn with libqrencode and cairo into a raw video frame, and fed to
 * FestCameraScanner in place of a webcam (the "station-camera-pipeline" setting: filesrc ! rawvideoparse !
 * imagefreeze, a still image repeated as a camera would). The gate scanner page then admits the
 * ticket read by the camera exactly as if a USB scanner had typed it (verdict, entry count,
 * outbox). Needs the zbar element (gstreamer1.0-plugins-bad): without it the test fails, it does
 * not skip.
 *
 * The frames are raw, as a webcam's are, not PNG files: GStreamer 1.22's pngdec leaks the frame
 * it is decoding when it cannot get an output buffer (user_end_callback returns without finishing
 * the frame), which happens when the pipeline is stopped during that frame's decoding, as when a
 * page shows the camera and is hidden at once. GStreamer's leaks tracer shows the frame's buffer,
 * memory and segment event alive when that allocation is made to fail.
 */

#include "config.h"

#include <cairo.h>
#include <qrencode.h>
#include <gst/gst.h>

#include "fest-app-test.h"
#include "fest-camera-scanner.h"
#include "fest-core.h"
#include "fest-gst-util.h"
#include "fest-scanner-page.h"
#include "fest-station-window-private.h"

#define FESTIVAL_ID "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0001"
#define TICKET_ID   "11111111-1111-4111-8111-111111111111"
#define TICKET_ID_2 "33333333-3333-4333-8333-333333333333"

static guint8 public_key[FEST_TICKET_PUBLIC_KEY_BYTES];
static guint8 secret_key[FEST_TICKET_SECRET_KEY_BYTES];
static char *tmp_dir;

typedef struct
{
  GPtrArray *codes;
} Scans;

static char *
sign (const char *ticket_id,
      const char *holder)
{
  FestTicketPayload payload = {
    .ticket_id = (char *) ticket_id, .festival_id = (char *) FESTIVAL_ID,
    .type_code = (char *) "PASS3D", .holder = (char *) holder,
    .valid_from = (char *) "2026-01-01T00:00:00Z", .valid_until = (char *) "2030-01-01T00:00:00Z",
  };

  return fest_ticket_code_sign (&payload, secret_key);
}

/* cairo's RGB24 is a native-endian 32-bit xRGB word per pixel. */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define FRAME_FORMAT "bgrx"
#else
#define FRAME_FORMAT "xrgb"
#endif
#define FRAME_CAPS "format=" FRAME_FORMAT " width=640 height=480"

/* A 640 × 480 photo-like frame, raw: the QR code of @text on white, a little off centre. */
static char *
write_qr_frame (const char *text,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  QRcode *code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  cairo_surface_t *surface;
  cairo_t *cr;
  int scale;

  g_assert_nonnull (code);
  scale = MIN (400 / (code->width + 8), 8);
  g_assert_cmpint (scale, >=, 3);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 640, 480);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0.95, 0.95, 0.93);
  cairo_paint (cr);
  cairo_translate (cr, 180, 40);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, (code->width + 8) * scale, (code->width + 8) * scale);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      if (code->data[y * code->width + x] & 1)
        cairo_rectangle (cr, (x + 4) * scale, (y + 4) * scale, scale, scale);
  cairo_fill (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmpint (cairo_image_surface_get_stride (surface), ==, 640 * 4);
  g_file_set_contents (path, (const char *) cairo_image_surface_get_data (surface), 640 * 4 * 480, &error);
  g_assert_no_error (error);
  cairo_surface_destroy (surface);
  QRcode_free (code);
  return g_steal_pointer (&path);
}

/* The kiosk's camera source, as the station settings hold it (GSettings' memory backend here). */
static void
set_camera_pipeline (const char *description)
{
  g_autoptr(GSettings) settings = g_settings_new ("app.festivals.Festivals");

  g_settings_set_string (settings, "station-camera-pipeline", description);
}

static void
use_still_image (const char *path)
{
  g_autofree char *pipeline = g_strdup_printf ("filesrc location=\"%s\" ! rawvideoparse " FRAME_CAPS
                                               " ! imagefreeze", path);

  set_camera_pipeline (pipeline);
}

static void
code_scanned_cb (FestCameraScanner *camera,
                 const char        *code,
                 gpointer           user_data)
{
  Scans *scans = user_data;

  g_ptr_array_add (scans->codes, g_strdup (code));
}

static gboolean
has_n_codes (gpointer data)
{
  Scans *scans = ((gpointer *) data)[0];
  guint n = GPOINTER_TO_UINT (((gpointer *) data)[1]);

  return scans->codes->len >= n;
}

static gboolean
wait_codes (Scans *scans,
            guint  n,
            guint  timeout_ms)
{
  gpointer data[] = { scans, GUINT_TO_POINTER (n) };

  return fest_app_test_wait (has_n_codes, data, timeout_ms);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Runs the main loop for @ms milliseconds. */
static void
spin (guint ms)
{
  fest_app_test_wait (never, NULL, ms);
}

static gboolean
has_frame (gpointer data)
{
  return gdk_paintable_get_intrinsic_width (data) > 0;
}

static void
require_zbar (void)
{
  g_autoptr(GstElementFactory) zbar = gst_element_factory_find ("zbar");

  if (zbar == NULL)
    g_error ("The GStreamer zbar element is missing: install gstreamer1.0-plugins-bad "
             "(build-aux/install-deps.sh). The camera scanner cannot be tested without it.");
}

static void
test_reads_ticket (void)
{
  g_autofree char *ticket = sign (TICKET_ID, "Ada Lovelace");
  g_autofree char *frame = write_qr_frame (ticket, "ticket.raw");
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  Scans scans = { codes };
  FestCameraScanner *camera;

  require_zbar ();
  use_still_image (frame);
  camera = fest_camera_scanner_new ();
  g_signal_connect (camera, "code-scanned", G_CALLBACK (code_scanned_cb), &scans);
  g_assert_cmpint (fest_camera_scanner_get_state (camera), ==, FEST_CAMERA_STOPPED);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (camera)), ==, 0);

  fest_camera_scanner_start (camera);
  g_assert_cmpint (fest_camera_scanner_get_state (camera), ==, FEST_CAMERA_RUNNING);
  g_assert_true (wait_codes (&scans, 1, 15000));
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, ticket);
  g_assert_null (fest_camera_scanner_get_message (camera));

  /* The preview shows the camera's frames. */
  g_assert_true (fest_app_test_wait (has_frame, camera, 5000));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (camera)), ==, 640);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (camera)), ==, 480);

  /* The same frame again and again for 1.5 s: one scan, not one per frame. */
  spin (1500);
  g_assert_cmpuint (codes->len, ==, 1);

  /* Restarted within 2 s with the ticket still in view: still one scan. */
  fest_camera_scanner_stop (camera);
  g_assert_cmpint (fest_camera_scanner_get_state (camera), ==, FEST_CAMERA_STOPPED);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (camera)), ==, 0);
  fest_camera_scanner_start (camera);
  spin (1500);
  g_assert_cmpuint (codes->len, ==, 1);

  /* Out of sight for more than 2 s, shown again: a new scan (the gate then says ALREADY USED). */
  fest_camera_scanner_stop (camera);
  spin (2300);
  g_assert_cmpuint (codes->len, ==, 1);
  fest_camera_scanner_start (camera);
  g_assert_true (wait_codes (&scans, 2, 15000));
  g_assert_cmpstr (g_ptr_array_index (codes, 1), ==, ticket);

  fest_camera_scanner_stop (camera);
  g_assert_finalize_object (camera);
}

/* Two tickets alternating in front of the camera: each is read once. */
static void
test_two_tickets (void)
{
  g_autofree char *first = sign (TICKET_ID, "Ada Lovelace");
  g_autofree char *second = sign (TICKET_ID_2, "Grace Hopper");
  g_autofree char *frame0 = write_qr_frame (first, "pair-0.raw");
  g_autofree char *frame1 = write_qr_frame (second, "pair-1.raw");
  g_autofree char *pattern = g_build_filename (tmp_dir, "pair-%d.raw", NULL);
  g_autofree char *pipeline = g_strdup_printf ("multifilesrc location=\"%s\" loop=true stop-index=1 ! "
                                               "rawvideoparse " FRAME_CAPS " framerate=10/1", pattern);
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  Scans scans = { codes };
  FestCameraScanner *camera;

  require_zbar ();
  set_camera_pipeline (pipeline);
  camera = fest_camera_scanner_new ();
  g_signal_connect (camera, "code-scanned", G_CALLBACK (code_scanned_cb), &scans);
  fest_camera_scanner_start (camera);
  g_assert_true (wait_codes (&scans, 2, 15000));
  spin (1500);
  g_assert_cmpuint (codes->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (codes, first, g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (codes, second, g_str_equal, NULL));

  fest_camera_scanner_stop (camera);
  g_assert_finalize_object (camera);
}

/* A broken source: the operator reads what went wrong. */
static void
test_error_in_words (void)
{
  FestCameraScanner *camera;

  require_zbar ();
  set_camera_pipeline ("filesrc location=/nonexistent/camera.raw ! rawvideoparse " FRAME_CAPS " ! imagefreeze");
  camera = fest_camera_scanner_new ();
  fest_camera_scanner_start (camera);
  while (fest_camera_scanner_get_state (camera) == FEST_CAMERA_RUNNING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (fest_camera_scanner_get_state (camera), ==, FEST_CAMERA_ERROR);
  g_assert_nonnull (fest_camera_scanner_get_message (camera));
  g_test_message ("%s", fest_camera_scanner_get_message (camera));
  g_assert_nonnull (strstr (fest_camera_scanner_get_message (camera), "Camera error"));
  fest_camera_scanner_stop (camera);
  g_assert_finalize_object (camera);
}

static FestStationStore *
new_store (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *key = fest_base64url_encode (public_key, sizeof public_key);
  FestStationStore *store;

  store = fest_station_store_open (path, &error);
  g_assert_no_error (error);
  fest_station_store_enroll (store, "http://127.0.0.1:9", "gate-1", "North gate", FESTIVAL_ID, NULL,
                             "scanner", &error);
  g_assert_no_error (error);
  fest_station_store_set_setting (store, FEST_STATION_KEY_TICKET_KEY, key, &error);
  g_assert_no_error (error);
  return store;
}

static gboolean
verdict_shown (gpointer data)
{
  return fest_scanner_page_get_verdict (data) != NULL;
}

/* The gate: a ticket held in front of the camera goes the way of a keyboard-wedge scan. */
static void
test_gate_page (void)
{
  g_autofree char *ticket = sign (TICKET_ID, "Ada Lovelace");
  g_autofree char *frame = write_qr_frame (ticket, "gate.raw");
  g_autoptr(FestClient) client = fest_client_new ("http://127.0.0.1:9");
  g_autoptr(GPtrArray) pending = NULL;
  FestStationStore *store;
  FestScannerPage *page;
  FestCameraScanner *camera;
  GtkWindow *window;

  require_zbar ();
  use_still_image (frame);
  store = new_store ("gate-camera.db");
  window = fest_station_window_new_with_store (NULL, client, "scanner", store, "device-token");
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_present (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  page = FEST_SCANNER_PAGE (fest_station_window_get_page (FEST_STATION_WINDOW (window)));
  camera = fest_scanner_page_get_camera (page);
  g_assert_nonnull (camera);

  /* Mapped: the camera runs and its code is judged like a typed one. */
  g_assert_true (fest_app_test_wait (verdict_shown, page, 15000));
  g_assert_cmpint (fest_camera_scanner_get_state (camera), ==, FEST_CAMERA_RUNNING);
  g_assert_cmpstr (fest_scanner_page_get_verdict (page), ==, "accept");
  g_assert_cmpuint (fest_scanner_page_get_entries (page), ==, 1);
  pending = fest_station_store_list_pending (store, 10);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_true (fest_app_test_wait (has_frame, camera, 5000));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  fest_app_test_render_png (GTK_WIDGET (window), "station-scanner-camera.png");

  /* Still in view: no second verdict (it would say ALREADY USED). */
  spin (1500);
  g_assert_cmpstr (fest_scanner_page_get_verdict (page), ==, "accept");
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 1);

  /* The same ticket typed by a USB scanner: the same path says ALREADY USED. */
  fest_station_window_simulate_scan (FEST_STATION_WINDOW (window), ticket);
  g_assert_cmpstr (fest_scanner_page_get_verdict (page), ==, "used");
  g_assert_cmpuint (fest_scanner_page_get_entries (page), ==, 1);

  /* Hidden: the camera is released. */
  gtk_widget_set_visible (GTK_WIDGET (page), FALSE);
  g_assert_cmpint (fest_camera_scanner_get_state (camera), ==, FEST_CAMERA_STOPPED);
  gtk_widget_set_visible (GTK_WIDGET (page), TRUE);
  g_assert_cmpint (fest_camera_scanner_get_state (camera), ==, FEST_CAMERA_RUNNING);

  g_object_ref (camera);
  fest_app_test_destroy_and_check (window, page);
  fest_app_test_assert_finalized (camera);
  fest_app_test_assert_finalized (store);
}

/* No camera plugged in: a discreet state, no preview, and the wedge still works. */
static void
test_no_camera (void)
{
  g_autoptr(FestClient) client = fest_client_new ("http://127.0.0.1:9");
  FestStationStore *store;
  FestScannerPage *page;
  FestCameraScanner *camera;
  GtkWindow *window;
  g_autofree char *ticket = sign (TICKET_ID_2, "Grace Hopper");

  if (g_file_test ("/dev/video0", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("This machine has a camera");
      return;
    }
  set_camera_pipeline ("");
  store = new_store ("gate-no-camera.db");
  window = fest_station_window_new_with_store (NULL, client, "scanner", store, "device-token");
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_present (window);
  page = FEST_SCANNER_PAGE (fest_station_window_get_page (FEST_STATION_WINDOW (window)));
  camera = fest_scanner_page_get_camera (page);
  while (fest_camera_scanner_get_state (camera) == FEST_CAMERA_SEARCHING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (fest_camera_scanner_get_state (camera), ==, FEST_CAMERA_NONE);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (camera)), ==, 0);
  fest_station_window_simulate_scan (FEST_STATION_WINDOW (window), ticket);
  g_assert_cmpstr (fest_scanner_page_get_verdict (page), ==, "accept");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  fest_app_test_render_png (GTK_WIDGET (window), "station-scanner-no-camera.png");

  g_object_ref (camera);
  fest_app_test_destroy_and_check (window, page);
  fest_app_test_assert_finalized (camera);
  fest_app_test_assert_finalized (store);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  fest_app_test_init (&argc, &argv);
  gst_init (NULL, NULL);
  fest_ticket_keypair_new (public_key, secret_key);
  tmp_dir = g_dir_make_tmp ("fest-camera-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/fest/camera-scanner/reads-ticket", test_reads_ticket);
  g_test_add_func ("/fest/camera-scanner/two-tickets", test_two_tickets);
  g_test_add_func ("/fest/camera-scanner/error-in-words", test_error_in_words);
  g_test_add_func ("/fest/camera-scanner/gate-page", test_gate_page);
  g_test_add_func ("/fest/camera-scanner/no-camera", test_no_camera);
  status = g_test_run ();
  /* As the app does on shutdown: the last pipelines reach NULL before the process exits. */
  fest_gst_flush_state_changes ();
  fest_app_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
