/* test-pages.c: the Stands, Tickets, Team and Audit pages against a real festivals-server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb (see meson.build). One real server (FESTIVALS_SERVER) in a temporary directory
 * serves every test, its data created through the API (a platform admin from --create-superadmin
 * creates two festivals: one seeded with stands and products, one left empty); the pages are driven through their actions and their dialogs'
 * widgets, and the server's state is checked through the API afterwards. The screenshot test
 * writes PNGs of every page, with data, empty and in error, in English and French, to
 * <builddir>/tests/app/screenshots/.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>

#include "fest-client.h"
#include "fest-audit-page.h"
#include "fest-form-dialog.h"
#include "fest-audit-entry.h"
#include "fest-stand.h"
#include "fest-ticket-type.h"
#include "fest-ticket.h"
#include "fest-page-util.h"
#include "fest-qr-dialog.h"
#include "fest-stands-page.h"
#include "fest-team-page.h"
#include "fest-tickets-page.h"

#define ADMIN_EMAIL    "admin@pages.test"
#define ADMIN_PASSWORD "pages-test-password"
#define TIMEOUT_MS     15000

static struct
{
  char        *data_dir;
  GSubprocess *process;
  guint16      port;
  char        *base_url;
  FestClient  *client;         /* organiser of the seeded festival */
  FestClient  *empty_client;   /* organiser, a fresh festival with nothing in it */
} server;

/* Main loop helpers */

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Waiter;

static void
waiter_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  waiter->done = TRUE;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }

  return TRUE;
}

static gboolean
waiter_done (gpointer data)
{
  return ((Waiter *) data)->done;
}

/* API helpers */

static JsonNode *
api_full (FestClient  *client,
          const char  *method,
          const char  *path,
          const char  *body_json,
          gint64      *total,
          GError     **error)
{
  g_autoptr(JsonNode) body = NULL;
  Waiter waiter = { 0 };
  JsonNode *result;

  if (body_json != NULL)
    body = json_from_string (body_json, NULL);
  g_assert_true (body_json == NULL || body != NULL);

  fest_client_request_async (client, method, path, body, NULL, NULL, waiter_cb, &waiter);
  g_assert_true (wait_for (waiter_done, &waiter));
  result = fest_client_request_finish (client, waiter.result, total, error);
  g_object_unref (waiter.result);

  return result;
}

static JsonNode *
api (FestClient *client,
     const char *method,
     const char *path,
     const char *body_json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = api_full (client, method, path, body_json, NULL, &error);

  if (node == NULL)
    g_error ("%s %s failed: %s", method, path, error->message);

  return node;
}

/* The object in the list at @path whose @member is @value, or NULL (transfer full). */
static JsonObject *
api_find (FestClient *client,
          const char *path,
          const char *member,
          const char *value)
{
  g_autoptr(JsonNode) node = api (client, "GET", path, NULL);
  JsonArray *array;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (fest_page_json_string (object, member), value) == 0)
        return json_object_ref (object);
    }

  return NULL;
}

static char *
login (FestClient *client,
       const char *festival_id)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;

  if (festival_id != NULL)
    body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\",\"festival_id\":\"%s\"}",
                            ADMIN_EMAIL, ADMIN_PASSWORD, festival_id);
  else
    body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", ADMIN_EMAIL, ADMIN_PASSWORD);

  node = api (client, "POST", "/auth/login", body);
  return g_strdup (fest_page_json_string (json_node_get_object (node), "token"));
}

/* Server */

/* A test that aborts must not leave its server running. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
server_start (guint16 port)
{
  const char *binary = g_getenv ("FESTIVALS_SERVER");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  g_assert_nonnull (binary);

  g_ptr_array_add (argv, (gpointer) binary);
  g_ptr_array_add (argv, "--data-dir");
  g_ptr_array_add (argv, server.data_dir);
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, listen);
  g_ptr_array_add (argv, "--no-rate-limit");
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server.process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                 &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server.process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      const char *colon;

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("festivals-server exited before listening");
      if (!g_str_has_prefix (line, "listening on "))
        continue;

      g_free (server.base_url);
      server.base_url = g_strdup (line + strlen ("listening on "));
      colon = strrchr (server.base_url, ':');
      server.port = (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
      break;
    }
}

/* festivals-server --create-superadmin reads the password on stdin. */
static void
create_superadmin (void)
{
  const char *binary = g_getenv ("FESTIVALS_SERVER");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                              &error, binary, "--data-dir", server.data_dir,
                              "--create-superadmin", ADMIN_EMAIL, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, ADMIN_PASSWORD "\n", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static char *
create_festival (const char *name)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) festival = NULL;

  body = g_strdup_printf ("{\"name\":\"%s\",\"starts_at\":\"2026-07-14T08:00:00Z\","
                          "\"ends_at\":\"2026-07-16T22:00:00Z\",\"timezone\":\"Europe/Paris\","
                          "\"currency_name\":\"Jetons\",\"exchange_rate_cents\":10,"
                          "\"location\":{\"lat\":45.75,\"lng\":4.85}}", name);
  festival = api (server.client, "POST", "/festivals", body);
  return g_strdup (fest_page_json_string (json_node_get_object (festival), "id"));
}

/* A few stands and products so that the lists have something in them from the start. */
static void
seed_festival (void)
{
  struct { const char *name, *type, *zone; } stands[] = {
    { "Grand Bar", "BAR", "Nord" },
    { "Crêperie Zoë", "FOOD", "Sud" },
    { "Recharges", "RECHARGE", NULL },
  };
  struct { guint stand; const char *name; int price; const char *vat; const char *stock; } products[] = {
    { 0, "Bière 25 cl", 450, "20", "null" },
    { 0, "Limonade", 300, "5.5", "120" },
    { 0, "Eau", 150, "5.5", "0" },
    { 1, "Crêpe sucre", 350, "10", "null" },
  };
  char *ids[G_N_ELEMENTS (stands)] = { NULL, };

  for (guint i = 0; i < G_N_ELEMENTS (stands); i++)
    {
      g_autofree char *body = NULL;
      g_autoptr(JsonNode) stand = NULL;

      if (stands[i].zone != NULL)
        body = g_strdup_printf ("{\"name\":\"%s\",\"type\":\"%s\",\"location\":"
                                "{\"lat\":45.75,\"lng\":4.85,\"zone\":\"%s\"}}",
                                stands[i].name, stands[i].type, stands[i].zone);
      else
        body = g_strdup_printf ("{\"name\":\"%s\",\"type\":\"%s\"}", stands[i].name, stands[i].type);
      stand = api (server.client, "POST", "/stands", body);
      ids[i] = g_strdup (fest_page_json_string (json_node_get_object (stand), "id"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (products); i++)
    {
      g_autofree char *body = NULL;
      g_autoptr(JsonNode) product = NULL;

      body = g_strdup_printf ("{\"stand_id\":\"%s\",\"name\":\"%s\",\"price\":%d,"
                              "\"vat_rate\":%s,\"category\":\"Boissons\",\"stock\":%s}",
                              ids[products[i].stand], products[i].name, products[i].price,
                              products[i].vat, products[i].stock);
      product = api (server.client, "POST", "/products", body);
    }

  for (guint i = 0; i < G_N_ELEMENTS (stands); i++)
    g_clear_pointer (&ids[i], g_free);
}

static void
server_stop (void)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server.process, SIGTERM);
  g_subprocess_wait (server.process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server.process);
}

static void
server_setup (void)
{
  if (server.client != NULL)
    return;

  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *empty_token = NULL;
  g_autofree char *festival_id = NULL;
  g_autofree char *empty_id = NULL;

  server.data_dir = g_dir_make_tmp ("fest-pages-XXXXXX", &error);
  g_assert_no_error (error);
  create_superadmin ();
  server_start (0);

  /* The platform admin creates the festival and so becomes its organiser. */
  server.client = fest_client_new (server.base_url);
  token = login (server.client, NULL);
  g_assert_nonnull (token);
  fest_client_set_token (server.client, token);
  festival_id = create_festival ("Festival des Lumières");
  empty_id = create_festival ("Empty Fest");
  g_assert_nonnull (festival_id);
  g_assert_nonnull (empty_id);

  g_free (token);
  token = login (server.client, festival_id);
  fest_client_set_token (server.client, token);
  seed_festival ();

  /* A second festival with nothing in it, for the empty states. */
  server.empty_client = fest_client_new (server.base_url);
  empty_token = login (server.empty_client, empty_id);
  fest_client_set_token (server.empty_client, empty_token);
}

static gboolean
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return g_remove (path) == 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      rm_rf (child);
    }

  return g_rmdir (path) == 0;
}

static void
server_teardown (void)
{
  g_clear_object (&server.client);
  g_clear_object (&server.empty_client);
  if (server.process != NULL)
    server_stop ();
  rm_rf (server.data_dir);
  g_clear_pointer (&server.data_dir, g_free);
  g_clear_pointer (&server.base_url, g_free);
}

/* UI helpers */

static GtkWidget *
show_in_window (GtkWidget *page)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), page);
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

/* Destroys the window and checks that the page does not leak. */
static void
close_window (GtkWidget *window,
              GtkWidget *page)
{
  g_object_ref (page);
  gtk_window_destroy (GTK_WINDOW (window));
  /* Requests cancelled in dispose finish on the next iterations and drop their refs. */
  for (guint i = 0; i < 200 && G_OBJECT (page)->ref_count > 1; i++)
    spin (10);
  g_assert_finalize_object (page);
}

typedef struct
{
  GtkWidget   *page;
  const char *(*get_state) (gpointer page);
  const char  *state;
} StateWait;

static gboolean
state_is (gpointer data)
{
  StateWait *wait = data;

  return g_strcmp0 (wait->get_state (wait->page), wait->state) == 0;
}

static gboolean
state_is_not_loading (gpointer data)
{
  StateWait *wait = data;

  return g_strcmp0 (wait->get_state (wait->page), "loading") != 0;
}

#define WAIT_STATE(page_, getter, expected) \
  G_STMT_START { \
    StateWait w_ = { GTK_WIDGET (page_), (const char *(*) (gpointer)) getter, expected }; \
    if (!wait_for (state_is, &w_)) \
      g_error ("%s: state %s, expected %s", G_STRLOC, getter ((gpointer) page_), expected); \
  } G_STMT_END

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

/* The first widget of @type in @widget's tree, depth first. */
static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct
{
  GListModel *model;
  guint       n;
} CountWait;

static gboolean
count_is (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (wait->model) == wait->n;
}

typedef struct
{
  GType      type;
  GtkWindow *found;
} DialogWait;

static gboolean
dialog_shown (gpointer data)
{
  DialogWait *wait = data;

  wait->found = find_toplevel (wait->type);
  return wait->found != NULL;
}

static gpointer
wait_dialog (GType type)
{
  DialogWait wait = { type, NULL };

  g_assert_true (wait_for (dialog_shown, &wait));
  return wait.found;
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Saves and waits for the dialog to close after the server's answer. */
static void
save_and_wait_closed (FestFormDialog *dialog)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  fest_form_dialog_save (dialog);
  if (!wait_for (pointer_is_null, &weak))
    g_error ("the dialog stayed open: %s", fest_form_dialog_get_error (dialog));
}

static gboolean
dialog_not_busy (gpointer data)
{
  return !fest_form_dialog_get_busy (data);
}

static void
confirm_message_dialog (void)
{
  AdwMessageDialog *dialog = wait_dialog (ADW_TYPE_MESSAGE_DIALOG);

  adw_message_dialog_response (dialog, "confirm");
}

typedef struct
{
  GListModel *model;
  const char *property;
  const char *value;
} ItemWait;

static gboolean
model_has_item (gpointer data)
{
  ItemWait *wait = data;
  guint n = g_list_model_get_n_items (wait->model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (wait->model, i);
      g_autofree char *value = NULL;

      g_object_get (item, wait->property, &value, NULL);
      if (g_strcmp0 (value, wait->value) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
model_lacks_item (gpointer data)
{
  return !model_has_item (data);
}

static void
wait_item (GListModel *model,
           const char *property,
           const char *value)
{
  ItemWait wait = { model, property, value };

  if (!wait_for (model_has_item, &wait))
    g_error ("no item with %s = %s", property, value);
}

static char *
unique (const char *prefix)
{
  static guint counter;

  return g_strdup_printf ("%s%u%u", prefix, (guint) (g_get_real_time () % 100000), ++counter);
}

/* Tests */

static void
test_stands_round_trip (void)
{
  GtkWidget *page = fest_stands_page_new (server.client);
  GtkWidget *window = show_in_window (page);
  FestFormDialog *dialog;
  g_autofree char *stand_name = unique ("Bar Zoë ");
  g_autofree char *product_path = NULL;
  g_autoptr(JsonObject) stand = NULL;
  g_autoptr(JsonObject) product = NULL;
  g_autoptr(JsonObject) gone = NULL;
  const char *stand_id;
  g_autofree char *stand_id_copy = NULL;
  g_autofree char *product_id = NULL;

  fest_stands_page_reload (FEST_STANDS_PAGE (page));
  WAIT_STATE (page, fest_stands_page_get_state, "content");
  g_assert_cmpuint (g_list_model_get_n_items (fest_stands_page_get_stands (FEST_STANDS_PAGE (page))), >, 0);

  /* The search finds a stand by its name, and by one of its products ("Limonade" is sold at
   * the Grand Bar only); clearing it shows every stand again. */
  {
    GtkWidget *search = find_descendant (page, GTK_TYPE_SEARCH_ENTRY);
    GtkColumnView *view = GTK_COLUMN_VIEW (find_descendant (page, GTK_TYPE_COLUMN_VIEW));
    GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (view));
    guint n_all = g_list_model_get_n_items (fest_stands_page_get_stands (FEST_STANDS_PAGE (page)));
    CountWait one = { shown, 1 };
    CountWait all = { shown, n_all };

    g_assert_cmpuint (n_all, >=, 3);
    gtk_editable_set_text (GTK_EDITABLE (search), "crêperie");
    g_assert_true (wait_for (count_is, &one));
    {
      g_autoptr(FestStand) found = g_list_model_get_item (shown, 0);

      g_assert_cmpstr (fest_stand_get_name (found), ==, "Crêperie Zoë");
    }
    gtk_editable_set_text (GTK_EDITABLE (search), "limonade");
    g_assert_true (wait_for (count_is, &one));
    {
      g_autoptr(FestStand) found = g_list_model_get_item (shown, 0);

      g_assert_cmpstr (fest_stand_get_name (found), ==, "Grand Bar");
    }
    gtk_editable_set_text (GTK_EDITABLE (search), "");
    g_assert_true (wait_for (count_is, &all));
  }

  /* Create a stand; an empty name is refused before anything is sent. */
  gtk_widget_activate_action (page, "stands.new-stand", NULL);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  fest_form_dialog_save (dialog);
  g_assert_nonnull (fest_form_dialog_get_error (dialog));
  g_assert_false (fest_form_dialog_get_busy (dialog));
  g_assert_true (gtk_widget_has_css_class (fest_form_dialog_get_row (dialog, "name"), "error"));

  fest_form_dialog_set_text (dialog, "name", stand_name);
  fest_form_dialog_set_selected (dialog, "type", 1);    /* FOOD */
  fest_form_dialog_set_text (dialog, "location.zone", "West");
  save_and_wait_closed (dialog);

  stand = api_find (server.client, "/stands?per_page=500", "name", stand_name);
  g_assert_nonnull (stand);
  g_assert_cmpstr (fest_page_json_string (stand, "type"), ==, "FOOD");
  stand_id = fest_page_json_string (stand, "id");
  stand_id_copy = g_strdup (stand_id);
  wait_item (fest_stands_page_get_stands (FEST_STANDS_PAGE (page)), "id", stand_id);
  g_assert_true (fest_stands_page_select_stand (FEST_STANDS_PAGE (page), stand_id));

  /* Its first product: a negative price is refused locally. */
  gtk_widget_activate_action (page, "stands.new-product", NULL);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  fest_form_dialog_set_text (dialog, "name", "Cidre brut");
  fest_form_dialog_set_text (dialog, "price", "-2");
  fest_form_dialog_save (dialog);
  g_assert_nonnull (fest_form_dialog_get_error (dialog));
  g_assert_true (gtk_widget_has_css_class (fest_form_dialog_get_row (dialog, "price"), "error"));
  fest_form_dialog_set_text (dialog, "price", "abc");
  fest_form_dialog_save (dialog);
  g_assert_true (gtk_widget_has_css_class (fest_form_dialog_get_row (dialog, "price"), "error"));
  fest_form_dialog_set_text (dialog, "price", "4.50");
  fest_form_dialog_set_text (dialog, "stock", "lots");
  fest_form_dialog_save (dialog);
  g_assert_true (gtk_widget_has_css_class (fest_form_dialog_get_row (dialog, "stock"), "error"));
  fest_form_dialog_set_text (dialog, "stock", "");
  fest_form_dialog_set_selected (dialog, "vat_rate", 2);    /* 5.5 % */
  save_and_wait_closed (dialog);

  product_path = g_strdup_printf ("/products?stand_id=%s&per_page=500", stand_id_copy);
  product = api_find (server.client, product_path, "name", "Cidre brut");
  g_assert_nonnull (product);
  g_assert_cmpint (fest_page_json_int (product, "price", -1), ==, 450);
  g_assert_cmpfloat_with_epsilon (fest_page_json_double (product, "vat_rate", -1), 5.5, 1e-9);
  g_assert_true (fest_page_json_is_null (product, "stock"));
  g_assert_cmpstr (fest_page_json_string (product, "stand_id"), ==, stand_id_copy);
  product_id = g_strdup (fest_page_json_string (product, "id"));

  /* Edit it: the dialog shows the current price, the server gets the new one. */
  wait_item (fest_stands_page_get_products (FEST_STANDS_PAGE (page)), "id", product_id);
  g_assert_true (fest_stands_page_select_product (FEST_STANDS_PAGE (page), product_id));
  gtk_widget_activate_action (page, "stands.edit-product", NULL);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  g_assert_cmpstr (fest_form_dialog_get_text (dialog, "name"), ==, "Cidre brut");
  g_assert_cmpstr (fest_form_dialog_get_text (dialog, "price"), ==, "4.50");
  fest_form_dialog_set_text (dialog, "price", "5");
  fest_form_dialog_set_text (dialog, "stock", "12");
  save_and_wait_closed (dialog);

  g_clear_pointer (&product, json_object_unref);
  product = api_find (server.client, product_path, "id", product_id);
  g_assert_nonnull (product);
  g_assert_cmpint (fest_page_json_int (product, "price", -1), ==, 500);
  g_assert_cmpint (fest_page_json_int (product, "stock", -1), ==, 12);

  /* Delete the product, after confirming. */
  g_assert_true (fest_stands_page_select_product (FEST_STANDS_PAGE (page), product_id));
  gtk_widget_activate_action (page, "stands.delete-product", NULL);
  confirm_message_dialog ();
  {
    ItemWait wait = { fest_stands_page_get_products (FEST_STANDS_PAGE (page)), "id", product_id };

    /* The page reloads after the deletion and the product leaves its list. */
    g_assert_true (wait_for (model_lacks_item, &wait));
  }
  for (guint i = 0; i < 500; i++)
    {
      g_clear_pointer (&gone, json_object_unref);
      gone = api_find (server.client, product_path, "id", product_id);
      if (gone == NULL)
        break;
      spin (10);
    }
  g_assert_null (gone);

  /* And the stand. */
  g_assert_true (fest_stands_page_select_stand (FEST_STANDS_PAGE (page), stand_id_copy));
  gtk_widget_activate_action (page, "stands.delete-stand", NULL);
  confirm_message_dialog ();
  for (guint i = 0; i < 500; i++)
    {
      g_clear_pointer (&gone, json_object_unref);
      gone = api_find (server.client, "/stands?per_page=500", "id", stand_id_copy);
      if (gone == NULL)
        break;
      spin (10);
    }
  g_assert_null (gone);

  close_window (window, page);
}

static void
test_tickets_round_trip (void)
{
  GtkWidget *page = fest_tickets_page_new (server.client);
  GtkWidget *window = show_in_window (page);
  FestFormDialog *dialog;
  FestQrDialog *qr;
  g_autofree char *code = unique ("DAY");
  g_autofree char *from = fest_page_parse_local_time ("2026-07-14 10:00");
  g_autofree char *holder = unique ("Zoë Ticket ");
  g_autoptr(JsonObject) type = NULL;
  g_autoptr(JsonObject) ticket = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *ticket_id = NULL;
  g_autofree char *ticket_path = NULL;
  GListModel *types;
  guint type_index = G_MAXUINT;
  StateWait loaded = { page, (const char *(*) (gpointer)) fest_tickets_page_get_state, NULL };

  fest_tickets_page_reload (FEST_TICKETS_PAGE (page));
  g_assert_true (wait_for (state_is_not_loading, &loaded));
  g_assert_cmpstr (fest_tickets_page_get_state (FEST_TICKETS_PAGE (page)), !=, "error");

  /* A ticket type: the end must come after the start. */
  gtk_widget_activate_action (page, "tickets.new-type", NULL);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  fest_form_dialog_set_text (dialog, "name", "Day pass");
  fest_form_dialog_set_text (dialog, "code", code);
  fest_form_dialog_set_text (dialog, "price", "25");
  fest_form_dialog_set_text (dialog, "quota", "100");
  fest_form_dialog_set_text (dialog, "valid_from", "2026-07-14 10:00");
  fest_form_dialog_set_text (dialog, "valid_until", "2026-07-14 09:00");
  fest_form_dialog_save (dialog);
  g_assert_true (gtk_widget_has_css_class (fest_form_dialog_get_row (dialog, "valid_until"), "error"));
  fest_form_dialog_set_text (dialog, "valid_until", "2026-07-15 02:00");
  fest_form_dialog_set_active (dialog, "reentry_allowed", TRUE);
  save_and_wait_closed (dialog);

  type = api_find (server.client, "/ticket-types?per_page=500", "code", code);
  g_assert_nonnull (type);
  g_assert_cmpstr (fest_page_json_string (type, "name"), ==, "Day pass");
  g_assert_cmpint (fest_page_json_int (type, "price", -1), ==, 2500);
  g_assert_cmpint (fest_page_json_int (type, "quota", -1), ==, 100);
  g_assert_true (fest_page_json_bool (type, "reentry_allowed", FALSE));
  {
    g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 (from, NULL);
    g_autoptr(GDateTime) got = g_date_time_new_from_iso8601 (fest_page_json_string (type, "valid_from"), NULL);

    g_assert_nonnull (got);
    g_assert_true (g_date_time_equal (expected, got));
  }
  type_id = g_strdup (fest_page_json_string (type, "id"));

  /* Issue a ticket of that type: its QR code shows, from the server's PNG. */
  types = fest_tickets_page_get_types (FEST_TICKETS_PAGE (page));
  wait_item (types, "id", type_id);
  WAIT_STATE (page, fest_tickets_page_get_state, "content");
  for (guint i = 0; i < g_list_model_get_n_items (types); i++)
    {
      g_autoptr(FestTicketType) item = g_list_model_get_item (types, i);

      if (g_strcmp0 (fest_ticket_type_get_id (item), type_id) == 0)
        type_index = i;
    }
  g_assert_cmpuint (type_index, !=, G_MAXUINT);

  gtk_widget_activate_action (page, "tickets.issue", NULL);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  fest_form_dialog_set_selected (dialog, "ticket_type_id", type_index);
  fest_form_dialog_set_text (dialog, "holder_name", holder);
  fest_form_dialog_set_text (dialog, "holder_email", "not an email");
  fest_form_dialog_save (dialog);
  g_assert_true (gtk_widget_has_css_class (fest_form_dialog_get_row (dialog, "holder_email"), "error"));
  fest_form_dialog_set_text (dialog, "holder_email", "zoe@example.org");
  save_and_wait_closed (dialog);

  qr = wait_dialog (FEST_TYPE_QR_DIALOG);
  g_assert_true (g_str_has_prefix (fest_qr_dialog_get_text (qr), "FT1."));
  for (guint i = 0; i < 1000 && fest_qr_dialog_get_paintable (qr) == NULL; i++)
    spin (10);
  g_assert_nonnull (fest_qr_dialog_get_paintable (qr));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (fest_qr_dialog_get_paintable (qr)), >=, 100);

  /* The QR text is copyable. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (qr), "qr.copy", NULL));
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (qr));
    Waiter waiter = { 0 };
    g_autofree char *copied = NULL;
    g_autoptr(GError) clip_error = NULL;

    gdk_clipboard_read_text_async (clipboard, NULL, waiter_cb, &waiter);
    g_assert_true (wait_for (waiter_done, &waiter));
    copied = gdk_clipboard_read_text_finish (clipboard, waiter.result, &clip_error);
    g_object_unref (waiter.result);
    g_assert_no_error (clip_error);
    g_assert_cmpstr (copied, ==, fest_qr_dialog_get_text (qr));
  }
  gtk_window_destroy (GTK_WINDOW (qr));

  ticket = api_find (server.client, "/tickets?per_page=500", "holder_name", holder);
  g_assert_nonnull (ticket);
  g_assert_cmpstr (fest_page_json_string (ticket, "status"), ==, "VALID");
  g_assert_cmpstr (fest_page_json_string (ticket, "ticket_type_id"), ==, type_id);
  g_assert_cmpstr (fest_page_json_string (ticket, "holder_email"), ==, "zoe@example.org");
  ticket_id = g_strdup (fest_page_json_string (ticket, "id"));

  /* Cancel it, after confirming. */
  wait_item (fest_tickets_page_get_tickets (FEST_TICKETS_PAGE (page)), "id", ticket_id);
  g_assert_true (fest_tickets_page_select_ticket (FEST_TICKETS_PAGE (page), ticket_id));
  g_assert_true (gtk_widget_activate_action (page, "tickets.cancel-ticket", NULL));
  confirm_message_dialog ();
  ticket_path = g_strdup_printf ("/tickets/%s", ticket_id);
  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(JsonNode) node = api (server.client, "GET", ticket_path, NULL);

      g_clear_pointer (&ticket, json_object_unref);
      ticket = json_object_ref (json_node_get_object (node));
      if (g_strcmp0 (fest_page_json_string (ticket, "status"), "CANCELLED") == 0)
        break;
      spin (10);
    }
  g_assert_cmpstr (fest_page_json_string (ticket, "status"), ==, "CANCELLED");

  /* The status filter asks the server for cancelled tickets only. */
  fest_tickets_page_set_status_filter (FEST_TICKETS_PAGE (page), "CANCELLED");
  spin (300);
  WAIT_STATE (page, fest_tickets_page_get_state, "content");
  wait_item (fest_tickets_page_get_tickets (FEST_TICKETS_PAGE (page)), "id", ticket_id);
  {
    GListModel *tickets = fest_tickets_page_get_tickets (FEST_TICKETS_PAGE (page));

    for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
      {
        g_autoptr(FestTicket) item = g_list_model_get_item (tickets, i);

        g_assert_cmpstr (fest_ticket_get_status (item), ==, "CANCELLED");
      }
  }

  close_window (window, page);
}

static gboolean
roles_are (JsonObject         *member,
           const char * const *expected)
{
  JsonArray *roles = json_object_get_array_member (member, "roles");
  guint n = json_array_get_length (roles);

  if (n != g_strv_length ((char **) expected))
    return FALSE;

  for (guint i = 0; expected[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < n; j++)
        if (g_strcmp0 (json_array_get_string_element (roles, j), expected[i]) == 0)
          found = TRUE;
      if (!found)
        return FALSE;
    }

  return TRUE;
}

static void
test_team_round_trip (void)
{
  GtkWidget *page = fest_team_page_new (server.client);
  GtkWidget *window = show_in_window (page);
  FestFormDialog *dialog;
  FestQrDialog *qr;
  g_autofree char *local = unique ("nina");
  g_autofree char *email = g_strdup_printf ("%s@example.org", local);
  g_autofree char *device_name = unique ("Gate ");
  g_autofree char *member_id = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) member = NULL;
  g_autoptr(JsonObject) device = NULL;
  g_autoptr(FestClient) device_client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) me = NULL;
  const char * const cashier_scanner[] = { "CASHIER", "SCANNER", NULL };
  const char * const cashier_security[] = { "CASHIER", "SECURITY", NULL };

  fest_team_page_reload (FEST_TEAM_PAGE (page));
  WAIT_STATE (page, fest_team_page_get_state, "content");

  /* A new member: the password is checked before sending. */
  gtk_widget_activate_action (page, "team.new-member", NULL);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  fest_form_dialog_set_text (dialog, "email", email);
  fest_form_dialog_set_text (dialog, "name", "Nina Caisse");
  fest_form_dialog_set_text (dialog, "password", "short");
  fest_form_dialog_set_active (dialog, "role-CASHIER", TRUE);
  fest_form_dialog_set_active (dialog, "role-SCANNER", TRUE);
  fest_form_dialog_save (dialog);
  g_assert_true (gtk_widget_has_css_class (fest_form_dialog_get_row (dialog, "password"), "error"));
  fest_form_dialog_set_text (dialog, "password", "a-long-enough-password");
  save_and_wait_closed (dialog);

  member = api_find (server.client, "/members?per_page=500", "email", email);
  g_assert_nonnull (member);
  g_assert_true (roles_are (member, cashier_scanner));
  member_id = g_strdup (fest_page_json_string (member, "id"));

  /* The same person again: the server refuses, the dialog stays open with its message. */
  gtk_widget_activate_action (page, "team.new-member", NULL);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  fest_form_dialog_set_text (dialog, "email", email);
  fest_form_dialog_set_text (dialog, "name", "Nina Again");
  fest_form_dialog_set_text (dialog, "password", "a-long-enough-password");
  fest_form_dialog_set_active (dialog, "role-ARTIST", TRUE);
  fest_form_dialog_save (dialog);
  g_assert_true (fest_form_dialog_get_busy (dialog));
  g_assert_true (wait_for (dialog_not_busy, dialog));
  g_assert_nonnull (fest_form_dialog_get_error (dialog));
  g_assert_cmpstr (fest_form_dialog_get_error (dialog), !=, "");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Change the roles. */
  wait_item (fest_team_page_get_members (FEST_TEAM_PAGE (page)), "id", member_id);
  g_assert_true (fest_team_page_select_member (FEST_TEAM_PAGE (page), member_id));
  gtk_widget_activate_action (page, "team.edit-member", NULL);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  g_assert_true (fest_form_dialog_get_active (dialog, "role-CASHIER"));
  g_assert_true (fest_form_dialog_get_active (dialog, "role-SCANNER"));
  g_assert_false (fest_form_dialog_get_active (dialog, "role-ORGANISER"));
  fest_form_dialog_set_active (dialog, "role-SCANNER", FALSE);
  fest_form_dialog_set_active (dialog, "role-SECURITY", TRUE);
  save_and_wait_closed (dialog);

  g_clear_pointer (&member, json_object_unref);
  member = api_find (server.client, "/members?per_page=500", "id", member_id);
  g_assert_nonnull (member);
  g_assert_true (roles_are (member, cashier_security));

  /* Remove them. */
  g_assert_true (fest_team_page_select_member (FEST_TEAM_PAGE (page), member_id));
  gtk_widget_activate_action (page, "team.remove-member", NULL);
  confirm_message_dialog ();
  for (guint i = 0; i < 500 && member != NULL; i++)
    {
      spin (10);
      g_clear_pointer (&member, json_object_unref);
      member = api_find (server.client, "/members?per_page=500", "id", member_id);
    }
  g_assert_null (member);

  /* Enroll a gate scanner: its token shows once, as text and as a QR code, and works. */
  gtk_widget_activate_action (page, "team.enroll-device", NULL);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  fest_form_dialog_set_text (dialog, "name", device_name);
  fest_form_dialog_set_selected (dialog, "mode", 2);       /* scanner */
  fest_form_dialog_set_selected (dialog, "stand_id", 0);   /* no stand */
  save_and_wait_closed (dialog);

  qr = wait_dialog (FEST_TYPE_QR_DIALOG);
  token = g_strdup (fest_qr_dialog_get_text (qr));
  g_assert_cmpuint (strlen (token), >=, 32);
  g_assert_nonnull (fest_qr_dialog_get_paintable (qr));
  gtk_window_destroy (GTK_WINDOW (qr));

  device = api_find (server.client, "/devices?per_page=500", "name", device_name);
  g_assert_nonnull (device);
  g_assert_cmpstr (fest_page_json_string (device, "mode"), ==, "scanner");
  device_id = g_strdup (fest_page_json_string (device, "id"));

  device_client = fest_client_new (server.base_url);
  fest_client_set_token (device_client, token);
  me = api_full (device_client, "GET", "/me", NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&me, json_node_unref);

  /* Revoke it: the token stops working. */
  wait_item (fest_team_page_get_devices (FEST_TEAM_PAGE (page)), "id", device_id);
  g_assert_true (fest_team_page_select_device (FEST_TEAM_PAGE (page), device_id));
  gtk_widget_activate_action (page, "team.revoke-device", NULL);
  confirm_message_dialog ();
  for (guint i = 0; i < 500; i++)
    {
      g_clear_error (&error);
      me = api_full (device_client, "GET", "/me", NULL, NULL, &error);
      if (me == NULL)
        break;
      g_clear_pointer (&me, json_node_unref);
      spin (10);
    }
  g_assert_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED);

  close_window (window, page);
}

/* Times compared as times: "…:00Z" and "…:00.120Z" do not sort as strings. */
static void
assert_newest_first (GListModel *entries)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(FestAuditEntry) entry = g_list_model_get_item (entries, i);

      g_assert_false (g_hash_table_contains (seen, fest_audit_entry_get_id (entry)));
      g_hash_table_add (seen, g_strdup (fest_audit_entry_get_id (entry)));

      if (i > 0)
        {
          g_autoptr(FestAuditEntry) newer = g_list_model_get_item (entries, i - 1);
          g_autoptr(GDateTime) a = g_date_time_new_from_iso8601 (fest_audit_entry_get_created_at (newer), NULL);
          g_autoptr(GDateTime) b = g_date_time_new_from_iso8601 (fest_audit_entry_get_created_at (entry), NULL);

          g_assert_nonnull (a);
          g_assert_nonnull (b);
          g_assert_cmpint (g_date_time_compare (a, b), >=, 0);
        }
    }
}

static void
test_audit_list (void)
{
  GtkWidget *page = fest_audit_page_new (server.client);
  GtkWidget *window = show_in_window (page);
  g_autofree char *name = unique ("Audit probe ");
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"type\":\"BAR\"}", name);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *entries;
  gint64 total = -1;
  const char *stand_id;

  /* More changes than one page of the log holds (50), so that "Load More" has work. */
  for (guint i = 0; i < 55; i++)
    {
      g_autofree char *filler = g_strdup_printf ("{\"name\":\"Audit filler %u\",\"type\":\"FOOD\"}", i);
      g_autoptr(JsonNode) node = api (server.client, "POST", "/stands", filler);
    }
  created = api (server.client, "POST", "/stands", body);
  stand_id = fest_page_json_string (json_node_get_object (created), "id");
  {
    g_autofree char *patch_path = g_strdup_printf ("/stands/%s", stand_id);
    g_autoptr(JsonNode) patched = api (server.client, "PATCH", patch_path,
                                       "{\"type\":\"FOOD\",\"location\":{\"lat\":45.7488,"
                                       "\"lng\":4.8496,\"zone\":\"B\"}}");
  }

  fest_audit_page_set_currency (FEST_AUDIT_PAGE (page), "Jetons");
  fest_audit_page_reload (FEST_AUDIT_PAGE (page));
  WAIT_STATE (page, fest_audit_page_get_state, "content");
  for (guint i = 0; i < 1000 && fest_audit_page_get_total (FEST_AUDIT_PAGE (page)) == 0; i++)
    spin (10);

  /* Newest first: our stand's change, then its creation, are on top. */
  entries = fest_audit_page_get_entries (FEST_AUDIT_PAGE (page));
  g_assert_cmpuint (g_list_model_get_n_items (entries), >, 1);
  {
    g_autoptr(FestAuditEntry) change = g_list_model_get_item (entries, 0);
    g_autoptr(FestAuditEntry) first = g_list_model_get_item (entries, 1);
    g_autofree char *label = g_strdup_printf ("Stand “%s”", name);
    g_autofree char *name_line = g_strdup_printf ("Name: %s\n", name);

    g_assert_cmpstr (fest_audit_entry_get_entity_id (first), ==, stand_id);
    g_assert_cmpstr (fest_audit_entry_get_entity_type (first), ==, "stand");
    g_assert_cmpstr (fest_audit_entry_get_created_at_text (first), !=, "");
    g_assert_nonnull (strstr (fest_audit_entry_get_new_values (first), name));
    /* In words: the action, the stand by its name, the fields set. */
    g_assert_cmpstr (fest_audit_entry_get_action_text (first), ==, "Stand added");
    g_assert_cmpstr (fest_audit_entry_get_entity_text (first), ==, label);
    g_assert_true (g_str_has_prefix (fest_audit_entry_get_changes (first), name_line));
    g_assert_nonnull (strstr (fest_audit_entry_get_changes (first), "Type: BAR"));
    g_assert_null (strstr (fest_audit_entry_get_changes (first), stand_id));

    /* The change: only what changed, old → new, numbers as written. */
    g_assert_cmpstr (fest_audit_entry_get_entity_id (change), ==, stand_id);
    g_assert_cmpstr (fest_audit_entry_get_action_text (change), ==, "Stand changed");
    g_assert_cmpstr (fest_audit_entry_get_entity_text (change), ==, label);
    g_assert_nonnull (strstr (fest_audit_entry_get_changes (change), "Type: BAR → FOOD"));
    g_assert_nonnull (strstr (fest_audit_entry_get_changes (change),
                              "Position: — → 45.7488, 4.8496 (B)"));
    g_assert_null (strstr (fest_audit_entry_get_changes (change), "Name:"));
    g_assert_null (strstr (fest_audit_entry_get_changes (change), "45.748800"));
    /* Rows have their own labels, not the same id prefix. */
    g_assert_cmpstr (fest_audit_entry_get_actor_name (change), !=, "—");
  }
  assert_newest_first (entries);

  /* A page at a time: "Load More" appends the next one. */
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 50);
  g_assert_cmpint (fest_audit_page_get_total (FEST_AUDIT_PAGE (page)), >, 55);
  g_assert_true (gtk_widget_activate_action (page, "audit.load-more", NULL));
  {
    gint64 expected = MIN (100, fest_audit_page_get_total (FEST_AUDIT_PAGE (page)));
    CountWait more = { entries, (guint) expected };

    g_assert_true (wait_for (count_is, &more));
  }
  assert_newest_first (entries);

  /* Filtered by entity type on the server: only stands, and the server's total. */
  fest_audit_page_set_entity_filter (FEST_AUDIT_PAGE (page), "stand");
  listed = api_full (server.client, "GET", "/audit?entity_type=stand&per_page=1", NULL, &total, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 1000 && fest_audit_page_get_total (FEST_AUDIT_PAGE (page)) != total; i++)
    spin (10);
  g_assert_cmpint (fest_audit_page_get_total (FEST_AUDIT_PAGE (page)), ==, total);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(FestAuditEntry) entry = g_list_model_get_item (entries, i);

      g_assert_cmpstr (fest_audit_entry_get_entity_type (entry), ==, "stand");
    }

  close_window (window, page);
}

static void
test_empty_states (void)
{
  GtkWidget *stands = fest_stands_page_new (server.empty_client);
  GtkWidget *tickets = fest_tickets_page_new (server.empty_client);
  GtkWidget *window = show_in_window (stands);
  GtkWidget *window2 = show_in_window (tickets);

  fest_stands_page_reload (FEST_STANDS_PAGE (stands));
  fest_tickets_page_reload (FEST_TICKETS_PAGE (tickets));
  WAIT_STATE (stands, fest_stands_page_get_state, "empty");
  WAIT_STATE (tickets, fest_tickets_page_get_state, "empty");

  /* The empty state's button opens the dialog that fills it. */
  g_assert_true (gtk_widget_activate_action (stands, "stands.new-stand", NULL));
  gtk_window_destroy (wait_dialog (FEST_TYPE_FORM_DIALOG));
  /* Products need a stand first: the action is off. */
  gtk_widget_activate_action (stands, "stands.new-product", NULL);
  spin (100);
  g_assert_null (find_toplevel (FEST_TYPE_FORM_DIALOG));

  close_window (window, stands);
  close_window (window2, tickets);
}

static void
test_error_and_recovery (void)
{
  GtkWidget *pages[4];
  GtkWidget *windows[4];
  const char *(*getters[4]) (gpointer) = {
    (const char *(*) (gpointer)) fest_stands_page_get_state,
    (const char *(*) (gpointer)) fest_tickets_page_get_state,
    (const char *(*) (gpointer)) fest_team_page_get_state,
    (const char *(*) (gpointer)) fest_audit_page_get_state,
  };
  const char *reload[4] = { "stands.reload", "tickets.reload", "team.reload", "audit.reload" };
  guint16 port = server.port;

  pages[0] = fest_stands_page_new (server.client);
  pages[1] = fest_tickets_page_new (server.client);
  pages[2] = fest_team_page_new (server.client);
  pages[3] = fest_audit_page_new (server.client);
  for (guint i = 0; i < 4; i++)
    {
      StateWait wait = { pages[i], getters[i], NULL };

      windows[i] = show_in_window (pages[i]);
      gtk_widget_activate_action (pages[i], reload[i], NULL);
      g_assert_true (wait_for (state_is_not_loading, &wait));
      g_assert_cmpstr (getters[i] (pages[i]), !=, "error");
    }

  /* The server goes away: every page says so. */
  server_stop ();
  for (guint i = 0; i < 4; i++)
    {
      StateWait wait = { pages[i], getters[i], "error" };

      gtk_widget_activate_action (pages[i], reload[i], NULL);
      g_assert_true (wait_for (state_is, &wait));
    }

  /* It comes back on the same address: Retry (the reload action) recovers. */
  server_start (port);
  g_assert_cmpuint (server.port, ==, port);
  for (guint i = 0; i < 4; i++)
    {
      StateWait wait = { pages[i], getters[i], NULL };

      gtk_widget_activate_action (pages[i], reload[i], NULL);
      g_assert_true (wait_for (state_is_not_loading, &wait));
      g_assert_cmpstr (getters[i] (pages[i]), !=, "error");
    }

  for (guint i = 0; i < 4; i++)
    close_window (windows[i], pages[i]);
}

/* Screenshots */

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

/* Redraws WIDGET's window and returns once that frame has been painted (at most 2 s later). */
static void
wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 end = g_get_monotonic_time () + 2 * G_TIME_SPAN_SECOND;
  gboolean painted = FALSE;
  gulong id;

  if (clock == NULL)
    {
      spin (50);
      return;
    }

  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  while (!painted && g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  g_signal_handler_disconnect (clock, id);
}

/* WIDGET's last rendering, or NULL when there is none: a widget has no render node from the
 * moment it queues a redraw (a layout change, an animation) until the next frame is painted,
 * which a slow build (sanitizers, valgrind) makes likely at any given moment. */
static GskRenderNode *
widget_render_node (GtkWidget *widget,
                    int        width,
                    int        height)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, width, height);

  return gtk_snapshot_free_to_node (snapshot);
}

static void
save_png (GtkWidget  *widget,
          const char *path)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = 0;
  int height = 0;

  /* Right after a painted frame the widget has its render node; retry a few frames. */
  for (guint attempt = 0; node == NULL && attempt < 10; attempt++)
    {
      if (attempt > 0)
        {
          g_test_message ("%s: no render node yet, waiting for frame %u", path, attempt);
          wait_for_paint (widget);
        }
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      if (width > 0 && height > 0)
        node = widget_render_node (widget, width, height);
    }

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

typedef GtkWidget *(*PageNew) (FestClient *client);

static void
screenshot_page (const char *dir,
                 const char *name,
                 PageNew     page_new,
                 const char *reload_action,
                 const char *(*get_state) (gpointer),
                 FestClient *client,
                 const char *variant,
                 const char *lang,
                 int         width)
{
  GtkWidget *page = page_new (client);
  GtkWidget *window = show_in_window (page);
  g_autofree char *file = g_strdup_printf ("%s-%s-%s.png", name, variant, lang);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  StateWait wait = { page, get_state, NULL };

  gtk_window_set_default_size (GTK_WINDOW (window), width, 720);
  gtk_widget_activate_action (page, reload_action, NULL);
  g_assert_true (wait_for (state_is_not_loading, &wait));
  if (g_str_equal (variant, "error"))
    g_assert_cmpstr (get_state (page), ==, "error");
  else
    g_assert_cmpstr (get_state (page), !=, "error");
  if (g_str_equal (variant, "data"))
    g_assert_cmpstr (get_state (page), ==, "content");

  spin (200);
  save_png (window, path);
  g_test_message ("wrote %s", path);

  close_window (window, page);
}

/* The "data" screenshots need at least a ticket type and a ticket. */
static void
ensure_tickets (void)
{
  g_autoptr(JsonNode) types = api (server.client, "GET", "/ticket-types", NULL);
  g_autoptr(JsonNode) type = NULL;
  g_autoptr(JsonNode) ticket = NULL;
  g_autofree char *body = NULL;
  g_autofree char *code = NULL;

  if (json_array_get_length (json_node_get_array (types)) > 0)
    return;

  code = unique ("WEEKEND");
  body = g_strdup_printf ("{\"name\":\"Weekend pass\",\"code\":\"%s\",\"price\":9000,"
                          "\"quota\":1000,\"valid_from\":\"2026-07-14T08:00:00Z\","
                          "\"valid_until\":\"2026-07-16T22:00:00Z\",\"reentry_allowed\":true}",
                          code);
  type = api (server.client, "POST", "/ticket-types", body);
  g_free (body);
  body = g_strdup_printf ("{\"ticket_type_id\":\"%s\",\"holder_name\":\"Zoë Martin\","
                          "\"holder_email\":\"zoe@example.org\"}",
                          fest_page_json_string (json_node_get_object (type), "id"));
  ticket = api (server.client, "POST", "/tickets", body);
}

static void
test_screenshots (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL
                                           ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           "screenshots", NULL);
  g_autoptr(FestClient) dead = fest_client_new ("http://127.0.0.1:1");
  const char *langs[] = { "en", "fr" };
  const char *locales[] = { "en_US.UTF-8", "fr_FR.UTF-8" };
  struct {
    const char  *name;
    PageNew      page_new;
    const char  *reload;
    gpointer     get_state;
  } pages[] = {
    { "stands", fest_stands_page_new, "stands.reload", fest_stands_page_get_state },
    { "tickets", fest_tickets_page_new, "tickets.reload", fest_tickets_page_get_state },
    { "team", fest_team_page_new, "team.reload", fest_team_page_get_state },
    { "audit", fest_audit_page_new, "audit.reload", fest_audit_page_get_state },
  };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  fest_client_set_token (dead, "no-server-here");
  ensure_tickets ();

  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    {
      if (setlocale (LC_ALL, locales[l]) == NULL)
        g_error ("locale %s is not installed", locales[l]);

      for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
        {
          screenshot_page (dir, pages[i].name, pages[i].page_new, pages[i].reload,
                           pages[i].get_state, server.client, "data", langs[l], 1100);
          screenshot_page (dir, pages[i].name, pages[i].page_new, pages[i].reload,
                           pages[i].get_state, server.empty_client, "empty", langs[l], 1100);
          screenshot_page (dir, pages[i].name, pages[i].page_new, pages[i].reload,
                           pages[i].get_state, dead, "error", langs[l], 1100);
        }
      /* The narrowest window the back office supports. */
      screenshot_page (dir, "stands", fest_stands_page_new, "stands.reload",
                       (gpointer) fest_stands_page_get_state, server.client, "narrow", langs[l], 360);
    }

  setlocale (LC_ALL, "en_US.UTF-8");
}

static void
test_qr_texture (void)
{
  g_autoptr(GdkTexture) texture = fest_page_qr_texture_new ("FT1.abc.def", 4);
  g_autoptr(GdkTexture) bigger = fest_page_qr_texture_new ("FT1.abc.def", 8);

  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gdk_texture_get_height (texture));
  g_assert_cmpint (gdk_texture_get_width (bigger), ==, 2 * gdk_texture_get_width (texture));
  {
    g_autofree guchar *data = g_malloc (gdk_texture_get_width (texture) * 4 * gdk_texture_get_height (texture));
    gsize stride = gdk_texture_get_width (texture) * 4;

    gdk_texture_download (texture, data, stride);
    /* The quiet zone is white, the finder pattern's corner black. */
    g_assert_cmpint (data[1], ==, 255);
    /* module (0,0) of the code sits at 4 modules of quiet zone × 4 px */
    g_assert_cmpint (data[16 * stride + 16 * 4 + 1], ==, 0);
  }
}

static void
test_local_time (void)
{
  g_autofree char *utc = fest_page_parse_local_time ("2026-07-14 20:30");
  g_autofree char *back = NULL;

  g_assert_nonnull (utc);
  g_assert_true (g_str_has_suffix (utc, "Z"));
  back = fest_page_format_local_input (utc);
  g_assert_cmpstr (back, ==, "2026-07-14 20:30");
  g_assert_null (fest_page_parse_local_time ("14/07/2026"));
  g_assert_null (fest_page_parse_local_time ("2026-13-01 10:00"));
  g_assert_null (fest_page_parse_local_time ("2026-07-14 10:00 junk"));
}

/* Every page test shares one server, started by the first test that needs it. */
#define WITH_SERVER(test) \
  static void test##_with_server (void) { server_setup (); test (); }

WITH_SERVER (test_stands_round_trip)
WITH_SERVER (test_tickets_round_trip)
WITH_SERVER (test_team_round_trip)
WITH_SERVER (test_audit_list)
WITH_SERVER (test_empty_states)
WITH_SERVER (test_error_and_recovery)
WITH_SERVER (test_screenshots)

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("FESTIVALS_LOCALEDIR");
  int status;

  setlocale (LC_ALL, "en_US.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Criticals abort as in every test here (G_DEBUG=fatal-criticals). Warnings do not: without a
   * window manager, a dialog destroyed while one of its entries has the focus makes GtkText warn
   * about a missing focus-out event, which says nothing about the pages. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  /* gtk_test_init resets the locale to C. */
  setlocale (LC_ALL, "en_US.UTF-8");

  g_test_add_func ("/fest/pages/qr-texture", test_qr_texture);
  g_test_add_func ("/fest/pages/local-time", test_local_time);
  g_test_add_func ("/fest/pages/stands/round-trip", test_stands_round_trip_with_server);
  g_test_add_func ("/fest/pages/tickets/round-trip", test_tickets_round_trip_with_server);
  g_test_add_func ("/fest/pages/team/round-trip", test_team_round_trip_with_server);
  g_test_add_func ("/fest/pages/audit/list", test_audit_list_with_server);
  g_test_add_func ("/fest/pages/empty-states", test_empty_states_with_server);
  g_test_add_func ("/fest/pages/screenshots", test_screenshots_with_server);
  g_test_add_func ("/fest/pages/error-and-recovery", test_error_and_recovery_with_server);

  status = g_test_run ();
  server_teardown ();

  return status;
}
