/* fest-station-enroll-view.c: the station's enrollment form (server, device token, organiser PIN)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The device token is checked with GET /me (device, stand, mode, festival and its currency), kept
 * in the keyring, and the enrollment written to the station store in a worker thread; then the
 * view says "enrolled" and the window opens the station. Another server address means another
 * store file. The demo enrolls itself with the organiser token (POST /devices on the festival's
 * first stand that fits the mode).
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fest-secrets.h"
#include "fest-station-enroll-view.h"

#define DEMO_PIN "0000"

struct _FestStationEnrollView
{
  AdwBin              parent_instance;

  FestStationContext *context;
  GCancellable       *cancellable;

  GtkEntry           *url;
  GtkEntry           *token;
  GtkPasswordEntry   *pin;
  GtkPasswordEntry   *pin2;
  GtkButton          *button;
  GtkLabel           *error;
  GtkSpinner         *spinner;
};

G_DEFINE_FINAL_TYPE (FestStationEnrollView, fest_station_enroll_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ENROLLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *url;
  char *token;
  char *pin;
  char *device_id;
  char *device_name;
  char *festival_id;
  char *stand_id;
  char *stand_name;
  char *mode;
  char *currency_name;   /* the festival's, from GET /me: shown before the first sync */
  char *exchange_rate;
  FestStationStore *store;   /* where the enrollment is kept */
} EnrollData;

static void
enroll_data_free (EnrollData *data)
{
  g_free (data->url);
  g_free (data->token);
  g_free (data->pin);
  g_free (data->device_id);
  g_free (data->device_name);
  g_free (data->festival_id);
  g_free (data->stand_id);
  g_free (data->stand_name);
  g_free (data->mode);
  g_free (data->currency_name);
  g_free (data->exchange_rate);
  g_clear_object (&data->store);
  g_free (data);
}

static void
enroll_failed (FestStationEnrollView *self,
               const char        *message)
{
  /* The window is going away: its widgets may already be gone. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), TRUE);
  gtk_label_set_text (self->error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error), TRUE);
  gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
enroll_store_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  EnrollData *data = task_data;
  FestStationStore *store = data->store;
  GError *error = NULL;

  if (!fest_station_store_set_pin (store, data->pin, &error) ||
      !fest_station_store_enroll (store, data->url, data->device_id, data->device_name,
                                  data->festival_id, data->stand_id, data->mode, &error) ||
      (data->stand_name != NULL &&
       !fest_station_store_set_setting (store, FEST_STATION_KEY_STAND_NAME, data->stand_name, &error)) ||
      (data->currency_name != NULL &&
       !fest_station_store_set_setting (store, FEST_STATION_KEY_CURRENCY_NAME, data->currency_name, &error)) ||
      (data->exchange_rate != NULL &&
       !fest_station_store_set_setting (store, FEST_STATION_KEY_EXCHANGE_RATE, data->exchange_rate, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
enrolled_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  FestStationEnrollView *self = FEST_STATION_ENROLL_VIEW (source);
  EnrollData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      enroll_failed (self, error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), TRUE);
  g_signal_emit (self, signals[ENROLLED], 0, data->token);
}

static void
secret_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!fest_secrets_store_finish (result, &error))
    g_warning ("Cannot store the device token: %s", error->message);
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_run_in_thread (task, enroll_store_thread);
}

static void
finish_enrollment (FestStationEnrollView *self,
                   EnrollData        *data)
{
  const char *mode = fest_station_context_get_mode (self->context);
  g_autofree char *secret_key = fest_station_context_dup_secret_key (self->context);
  GTask *task;

  if (g_strcmp0 (data->mode, mode) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("This device token is for a %s station, not a %s station"),
                                                  fest_station_mode_title (data->mode),
                                                  fest_station_mode_title (mode));
      enroll_failed (self, message);
      enroll_data_free (data);
      return;
    }
  data->store = g_object_ref (fest_station_context_get_store (self->context));
  task = g_task_new (self, self->cancellable, enrolled_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) enroll_data_free);
  fest_secrets_store_async (FEST_SECRET_KIND_DEVICE, secret_key, data->token,
                            self->cancellable, secret_stored_cb, task);
}

static const char *
object_string (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_object (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* The festival's currency, kept at enrollment: the first screen already speaks it. */
static void
set_festival_money (EnrollData *data,
                    JsonObject *festival)
{
  JsonNode *rate = festival != NULL ? json_object_get_member (festival, "exchange_rate_cents") : NULL;

  data->currency_name = g_strdup (object_string (festival, "currency_name"));
  if (rate != NULL && JSON_NODE_HOLDS_VALUE (rate) && json_node_get_value_type (rate) == G_TYPE_INT64)
    data->exchange_rate = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (rate));
}

/* GET /me with the device token: device, stand, mode and festival. */
static void
me_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  EnrollData *data = user_data;
  g_autoptr(FestStationEnrollView) self = g_object_get_data (G_OBJECT (source), "enroll-view");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *me, *device, *festival;

  g_object_set_data (G_OBJECT (source), "enroll-view", NULL);
  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  g_object_unref (source);
  if (node == NULL)
    {
      g_autofree char *message = fest_client_describe_error (error);
      enroll_failed (self, message);
      enroll_data_free (data);
      return;
    }
  me = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  device = object_object (me, "device");
  festival = object_object (me, "festival");

  data->device_id = g_strdup (object_string (device, "id"));
  data->device_name = g_strdup (object_string (device, "name"));
  data->stand_id = g_strdup (object_string (device, "stand_id"));
  if (data->stand_id == NULL)
    data->stand_id = g_strdup (object_string (object_object (me, "stand"), "id"));
  data->stand_name = g_strdup (object_string (object_object (me, "stand"), "name"));
  data->mode = g_strdup (object_string (device, "mode") ? object_string (device, "mode")
                                                        : object_string (me, "mode"));
  data->festival_id = g_strdup (object_string (festival, "id") ? object_string (festival, "id")
                                                               : object_string (me, "festival_id"));
  set_festival_money (data, festival);
  if (data->device_id == NULL || data->festival_id == NULL || data->mode == NULL)
    {
      enroll_failed (self, _("This token is not a station device token"));
      enroll_data_free (data);
      return;
    }
  finish_enrollment (self, data);
}

/* A device token as typed or pasted: the Team page shows it in groups split by spaces, someone
 * may type dashes between them or a line break where it wrapped, and the token's alphabet (hex)
 * has none of these. */
static char *
normalize_token (const char *text)
{
  GString *token = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p) && *p != '-')
      g_string_append_c (token, *p);
  return g_string_free (token, FALSE);
}

static void
enroll_clicked_cb (FestStationEnrollView *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token));
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin));
  const char *pin2 = gtk_editable_get_text (GTK_EDITABLE (self->pin2));
  g_autofree char *clean_url = g_strstrip (g_strdup (url));
  g_autofree char *clean_token = normalize_token (token);
  FestClient *probe;
  EnrollData *data;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->button)))
    return;   /* already enrolling */
  gtk_widget_set_visible (GTK_WIDGET (self->error), FALSE);
  if (!g_str_has_prefix (clean_url, "http://") && !g_str_has_prefix (clean_url, "https://"))
    {
      enroll_failed (self, _("The server address must start with http:// or https://"));
      return;
    }
  if (strlen (clean_token) < 16)
    {
      enroll_failed (self, _("Paste or scan the device token from the Team page"));
      return;
    }
  if (strlen (pin) < 4 || !g_str_equal (pin, pin2))
    {
      enroll_failed (self, _("Choose a PIN of at least 4 digits and type it twice"));
      return;
    }

  if (!g_str_equal (clean_url, fest_station_context_get_server_url (self->context)))
    {
      /* Another server: its own store file. */
      g_autofree char *key = g_strconcat (clean_url, "#", fest_station_context_get_mode (self->context), NULL);
      g_autofree char *path = fest_station_store_default_path (key);
      g_autoptr(GError) error = NULL;
      FestStationStore *store = fest_station_store_open (path, &error);

      if (store == NULL)
        {
          enroll_failed (self, error->message);
          return;
        }
      fest_station_context_set_store (self->context, store);
      g_object_unref (store);
      fest_station_context_set_server_url (self->context, clean_url);
    }

  data = g_new0 (EnrollData, 1);
  data->url = g_strdup (clean_url);
  data->token = g_steal_pointer (&clean_token);
  data->pin = g_strdup (pin);

  gtk_widget_set_sensitive (GTK_WIDGET (self->button), FALSE);
  gtk_spinner_start (self->spinner);
  probe = fest_client_new (clean_url);
  fest_client_set_token (probe, data->token);
  g_object_set_data_full (G_OBJECT (probe), "enroll-view", g_object_ref (self), NULL);
  fest_client_request_async (probe, "GET", "/me", NULL, NULL, self->cancellable, me_cb, data);
}

/* Demo: enroll with the organiser token. */

typedef struct
{
  FestStationEnrollView *self;
  char              *festival_id;
  char              *stand_id;
  char              *stand_name;
  JsonObject        *festival;    /* from GET /me: its currency */
} DemoData;

static void
demo_data_free (DemoData *data)
{
  g_object_unref (data->self);
  g_free (data->festival_id);
  g_free (data->stand_id);
  g_free (data->stand_name);
  g_clear_pointer (&data->festival, json_object_unref);
  g_free (data);
}

static void
demo_device_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DemoData *demo = user_data;
  FestStationEnrollView *self = demo->self;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  EnrollData *data;
  JsonObject *device;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *message = error ? fest_client_describe_error (error) : g_strdup ("?");
      enroll_failed (self, message);
      demo_data_free (demo);
      return;
    }
  device = json_node_get_object (node);
  data = g_new0 (EnrollData, 1);
  data->url = g_strdup (fest_station_context_get_server_url (self->context));
  data->token = g_strdup (object_string (device, "token"));
  data->pin = g_strdup (DEMO_PIN);
  data->device_id = g_strdup (object_string (device, "id"));
  data->device_name = g_strdup (object_string (device, "name"));
  data->festival_id = g_strdup (demo->festival_id);
  data->stand_id = g_strdup (demo->stand_id);
  data->stand_name = g_strdup (demo->stand_name);
  set_festival_money (data, demo->festival);
  data->mode = g_strdup (fest_station_context_get_mode (self->context));
  if (data->token == NULL || data->device_id == NULL)
    {
      enroll_failed (self, _("The server did not return a device token"));
      enroll_data_free (data);
      demo_data_free (demo);
      return;
    }
  fest_station_context_toast (self->context, _("Demo station enrolled: the organiser PIN is 0000"));
  finish_enrollment (self, data);
  demo_data_free (demo);
}

static void
demo_stands_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DemoData *demo = user_data;
  FestStationEnrollView *self = demo->self;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *name = NULL;
  const char *mode = fest_station_context_get_mode (self->context);
  const char *wanted = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (node == NULL)
    {
      g_autofree char *message = fest_client_describe_error (error);
      enroll_failed (self, message);
      demo_data_free (demo);
      return;
    }
  if (g_strcmp0 (mode, "cashier") == 0)
    wanted = "BAR";
  else if (g_strcmp0 (mode, "recharge") == 0)
    wanted = "RECHARGE";
  if (wanted != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *stands = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (stands) && demo->stand_id == NULL; i++)
        {
          JsonObject *stand = json_array_get_object_element (stands, i);

          if (g_strcmp0 (object_string (stand, "type"), wanted) == 0)
            {
              demo->stand_id = g_strdup (object_string (stand, "id"));
              demo->stand_name = g_strdup (object_string (stand, "name"));
            }
        }
      if (demo->stand_id == NULL)
        {
          enroll_failed (self, _("The festival has no stand for this station"));
          demo_data_free (demo);
          return;
        }
    }

  name = g_strdup_printf ("%s (%s)", fest_station_mode_title (mode), g_get_host_name ());
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "stand_id");
  if (demo->stand_id != NULL)
    json_builder_add_string_value (builder, demo->stand_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, mode);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  fest_client_request_async (FEST_CLIENT (source), "POST", "/devices", body, NULL,
                             self->cancellable, demo_device_cb, demo);
}

static void
demo_me_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  DemoData *demo = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *me;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (node == NULL)
    {
      g_autofree char *message = fest_client_describe_error (error);
      enroll_failed (demo->self, message);
      demo_data_free (demo);
      return;
    }
  me = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  demo->festival_id = g_strdup (object_string (object_object (me, "festival"), "id")
                                ? object_string (object_object (me, "festival"), "id")
                                : object_string (me, "festival_id"));
  if (object_object (me, "festival") != NULL)
    demo->festival = json_object_ref (object_object (me, "festival"));
  if (demo->festival_id == NULL)
    {
      enroll_failed (demo->self, _("The organiser account has no current festival"));
      demo_data_free (demo);
      return;
    }
  fest_client_request_async (FEST_CLIENT (source), "GET", "/stands?per_page=500", NULL, NULL,
                             demo->self->cancellable, demo_stands_cb, demo);
}

static void
start_demo_enrollment (FestStationEnrollView *self,
                       const char            *organiser_token)
{
  g_autoptr(FestClient) organiser = fest_client_new (fest_station_context_get_server_url (self->context));
  DemoData *demo = g_new0 (DemoData, 1);

  demo->self = g_object_ref (self);
  fest_client_set_token (organiser, organiser_token);
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), FALSE);
  gtk_spinner_start (self->spinner);
  fest_client_request_async (organiser, "GET", "/me", NULL, NULL, self->cancellable, demo_me_cb, demo);
}

static void
token_activate_cb (FestStationEnrollView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->pin));
}

static void
pin_activate_cb (FestStationEnrollView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->pin2));
}

static void
fest_station_enroll_view_constructed (GObject *object)
{
  FestStationEnrollView *self = FEST_STATION_ENROLL_VIEW (object);

  G_OBJECT_CLASS (fest_station_enroll_view_parent_class)->constructed (object);
  gtk_editable_set_text (GTK_EDITABLE (self->url), fest_station_context_get_server_url (self->context));
}

static void
fest_station_enroll_view_dispose (GObject *object)
{
  FestStationEnrollView *self = FEST_STATION_ENROLL_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_STATION_ENROLL_VIEW);
  G_OBJECT_CLASS (fest_station_enroll_view_parent_class)->dispose (object);
}

static void
fest_station_enroll_view_finalize (GObject *object)
{
  FestStationEnrollView *self = FEST_STATION_ENROLL_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (fest_station_enroll_view_parent_class)->finalize (object);
}

static void
fest_station_enroll_view_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  FestStationEnrollView *self = FEST_STATION_ENROLL_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_station_enroll_view_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  FestStationEnrollView *self = FEST_STATION_ENROLL_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_station_enroll_view_class_init (FestStationEnrollViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fest_station_enroll_view_constructed;
  object_class->dispose = fest_station_enroll_view_dispose;
  object_class->finalize = fest_station_enroll_view_finalize;
  object_class->get_property = fest_station_enroll_view_get_property;
  object_class->set_property = fest_station_enroll_view_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FEST_TYPE_STATION_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Enrolled with the device token given: the station can open. */
  signals[ENROLLED] =
    g_signal_new ("enrolled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/station/fest-station-enroll-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FestStationEnrollView, url);
  gtk_widget_class_bind_template_child (widget_class, FestStationEnrollView, token);
  gtk_widget_class_bind_template_child (widget_class, FestStationEnrollView, pin);
  gtk_widget_class_bind_template_child (widget_class, FestStationEnrollView, pin2);
  gtk_widget_class_bind_template_child (widget_class, FestStationEnrollView, button);
  gtk_widget_class_bind_template_child (widget_class, FestStationEnrollView, error);
  gtk_widget_class_bind_template_child (widget_class, FestStationEnrollView, spinner);
  gtk_widget_class_bind_template_callback (widget_class, token_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, pin_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, enroll_clicked_cb);
}

static void
fest_station_enroll_view_init (FestStationEnrollView *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
fest_station_enroll_view_new (FestStationContext *context)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);

  return g_object_new (FEST_TYPE_STATION_ENROLL_VIEW, "context", context, NULL);
}

void
fest_station_enroll_view_reset (FestStationEnrollView *self)
{
  g_return_if_fail (FEST_IS_STATION_ENROLL_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url), fest_station_context_get_server_url (self->context));
  gtk_editable_set_text (GTK_EDITABLE (self->token), "");
}

void
fest_station_enroll_view_focus_token (FestStationEnrollView *self)
{
  g_return_if_fail (FEST_IS_STATION_ENROLL_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->token));
}

void
fest_station_enroll_view_set_token (FestStationEnrollView *self,
                                    const char            *token)
{
  g_return_if_fail (FEST_IS_STATION_ENROLL_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->token), token);
}

void
fest_station_enroll_view_start_demo (FestStationEnrollView *self,
                                     const char            *organiser_token)
{
  g_return_if_fail (FEST_IS_STATION_ENROLL_VIEW (self));
  g_return_if_fail (organiser_token != NULL);
  start_demo_enrollment (self, organiser_token);
}

void
fest_station_enroll_view_enroll (FestStationEnrollView *self,
                                 const char            *url,
                                 const char            *token,
                                 const char            *pin)
{
  g_return_if_fail (FEST_IS_STATION_ENROLL_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url), url);
  gtk_editable_set_text (GTK_EDITABLE (self->token), token);
  gtk_editable_set_text (GTK_EDITABLE (self->pin), pin);
  gtk_editable_set_text (GTK_EDITABLE (self->pin2), pin);
  enroll_clicked_cb (self);
}
