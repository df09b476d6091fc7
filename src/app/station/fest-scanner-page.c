/* fest-scanner-page.c: the gate scanner: full-screen ACCEPT / ALREADY USED / REFUSED
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The verdict is decided offline from the cached ticket public key, the cached ticket states and
 * the local used set (fest_station_store_record_scan), and an admission is committed to the
 * outbox before the green screen shows. Colours follow pretixSCAN: green accept, yellow already
 * used (with the first scan's time and gate), red refused with the reason in large words, each
 * with its own tone (FestFeedback). A webcam, when one is plugged in, reads QR codes too
 * (FestCameraScanner): its codes take exactly the path of a keyboard-wedge scan, and it runs only
 * while the page is on screen.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-camera-scanner.h"
#include "fest-core.h"
#include "fest-feedback.h"
#include "fest-scanner-page.h"
#include "fest-station-context.h"

#define VERDICT_SHOWN_S 4

struct _FestScannerPage
{
  GtkBox             parent_instance;

  FestStationContext *context;
  const char        *verdict;        /* "accept", "used", "refused" or NULL */
  char              *reason;
  guint              reset_id;

  GtkBox            *verdict_box;
  GtkLabel          *verdict_title;
  GtkLabel          *verdict_reason;
  GtkLabel          *verdict_detail;
  GtkLabel          *entries_label;
  GtkLabel          *gate_label;
  GtkEntry          *gate_entry;
  GtkDropDown       *gate_picker;
  GPtrArray         *gates;          /* FestStationGate, as cached; empty: the typed name */
  gboolean           filling_gates;
  GCancellable      *cancellable;
  GtkToggleButton   *in_button;
  GtkToggleButton   *out_button;
  GtkEntry          *code_entry;
  GtkLabel          *alerts_label;
  GtkRevealer       *alerts_revealer;

  FestCameraScanner *camera;
  GtkWidget         *camera_panel;
  GtkPicture        *camera_picture;
  GtkLabel          *camera_hint;
  GtkLabel          *camera_message;
  GtkWidget         *camera_retry;
  GtkImage          *camera_icon;
  GtkLabel          *camera_status;
};

G_DEFINE_FINAL_TYPE (FestScannerPage, fest_scanner_page, GTK_TYPE_BOX)

static void
update_entries (FestScannerPage *self)
{
  guint n = fest_station_store_count_entries (fest_station_context_get_store (self->context));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry", "%u entries", n), n);

  gtk_label_set_text (self->entries_label, text);
}

static void
show_idle (FestScannerPage *self)
{
  static const char * const classes[] = { "verdict-accept", "verdict-used", "verdict-refused", "verdict-exit" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_box), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_box), "verdict-idle");
  gtk_label_set_text (self->verdict_title, _("Scan a ticket"));
  gtk_label_set_text (self->verdict_reason, "");
  gtk_label_set_text (self->verdict_detail, "");
}

static gboolean
reset_cb (gpointer user_data)
{
  FestScannerPage *self = user_data;

  self->reset_id = 0;
  show_idle (self);
  return G_SOURCE_REMOVE;
}

static void
show_verdict (FestScannerPage *self,
              const char      *verdict,
              const char      *css_class,
              const char      *title,
              const char      *reason,
              const char      *detail)
{
  static const char * const classes[] = { "verdict-idle", "verdict-accept", "verdict-used", "verdict-refused",
                                          "verdict-exit" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_box), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_box), css_class);
  gtk_label_set_text (self->verdict_title, title);
  gtk_label_set_text (self->verdict_reason, reason != NULL ? reason : "");
  gtk_label_set_text (self->verdict_detail, detail != NULL ? detail : "");
  self->verdict = verdict;
  g_free (self->reason);
  self->reason = g_strdup (reason);

  g_clear_handle_id (&self->reset_id, g_source_remove);
  self->reset_id = g_timeout_add_seconds (VERDICT_SHOWN_S, reset_cb, self);
}

static char *
format_when (const char *rfc3339)
{
  g_autoptr(GDateTime) time = rfc3339 ? fest_time_parse (rfc3339) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup (_("an unknown time"));
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%X");
}

static const char *
gate_name (FestScannerPage *self)
{
  const char *gate = gtk_editable_get_text (GTK_EDITABLE (self->gate_entry));
  guint selected = gtk_drop_down_get_selected (self->gate_picker);

  /* The festival's gates when it has some; the typed name only when it has none. */
  if (self->gates != NULL && selected < self->gates->len)
    return ((FestStationGate *) g_ptr_array_index (self->gates, selected))->name;

  return gate != NULL && *gate != '\0' ? gate : _("Gate");
}

static void
check_code (FestScannerPage *self,
            const char      *text)
{
  g_autofree char *code = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  FestScanVerdict verdict;

  if (*code == '\0')
    return;
  if (!fest_station_store_record_scan_direction (fest_station_context_get_store (self->context), code,
                                                 gate_name (self),
                                                 gtk_toggle_button_get_active (self->out_button) ? "OUT" : "IN",
                                                 now, &verdict, &error))
    {
      show_verdict (self, "refused", "verdict-refused", _("REFUSED"), error->message, NULL);
      fest_feedback_play (fest_feedback_get_default (), FEST_FEEDBACK_REFUSE);
      return;
    }

  switch (verdict.result)
    {
    case FEST_SCAN_ACCEPT:
      {
        g_autofree char *detail = verdict.holder != NULL && *verdict.holder != '\0'
          ? g_strdup_printf ("%s · %s", verdict.holder, verdict.type_code ? verdict.type_code : "")
          : g_strdup (verdict.type_code);

        show_verdict (self, "accept", "verdict-accept", _("ACCEPT"), _("Welcome!"), detail);
        fest_feedback_play (fest_feedback_get_default (), FEST_FEEDBACK_ACCEPT);
        fest_station_context_operation_queued (self->context);
        update_entries (self);
      }
      break;

    case FEST_SCAN_ALREADY_USED:
      {
        g_autofree char *when = format_when (verdict.first_scan_at);
        g_autofree char *reason = g_strdup_printf (_("First scanned at %s, %s"), when,
                                                   verdict.first_gate ? verdict.first_gate : _("another gate"));

        show_verdict (self, "used", "verdict-used", _("ALREADY USED"), reason, verdict.holder);
        fest_feedback_play (fest_feedback_get_default (), FEST_FEEDBACK_WARNING);
      }
      break;

    case FEST_SCAN_EXIT:
      show_verdict (self, "exit", "verdict-exit", _("EXIT"), _("See you soon: the ticket lets them back in"),
                    verdict.holder);
      fest_feedback_play (fest_feedback_get_default (), FEST_FEEDBACK_ACCEPT);
      fest_station_context_operation_queued (self->context);
      break;

    case FEST_SCAN_REFUSED:
    default:
      show_verdict (self, "refused", "verdict-refused", _("REFUSED"),
                    fest_scan_reason_to_text (verdict.reason), NULL);
      fest_feedback_play (fest_feedback_get_default (), FEST_FEEDBACK_REFUSE);
      break;
    }
  fest_scan_verdict_clear (&verdict);
}

static void
code_activate_cb (GtkEntry        *entry,
                  FestScannerPage *self)
{
  check_code (self, gtk_editable_get_text (GTK_EDITABLE (self->code_entry)));
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  code_activate_cb (NULL, FEST_SCANNER_PAGE (widget));
}

static void
dismiss_alerts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  FestScannerPage *self = FEST_SCANNER_PAGE (widget);

  gtk_revealer_set_reveal_child (self->alerts_revealer, FALSE);
}

static void
retry_camera_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FestScannerPage *self = FEST_SCANNER_PAGE (widget);

  fest_camera_scanner_stop (self->camera);
  fest_camera_scanner_start (self->camera);
}

static void
gate_changed_cb (GtkEditable *editable,
                 gpointer     user_data)
{
  FestScannerPage *self = user_data;

  fest_station_store_set_setting (fest_station_context_get_store (self->context), FEST_STATION_KEY_GATE,
                                  gtk_editable_get_text (editable), NULL);
}

static void
gate_picked_cb (GObject    *object,
                GParamSpec *pspec,
                gpointer    user_data)
{
  FestScannerPage *self = user_data;
  FestStationStore *store = fest_station_context_get_store (self->context);
  guint selected = gtk_drop_down_get_selected (self->gate_picker);
  FestStationGate *gate;

  if (self->filling_gates || self->gates == NULL || selected >= self->gates->len)
    return;
  gate = g_ptr_array_index (self->gates, selected);
  fest_station_store_set_setting (store, FEST_STATION_KEY_GATE_ID, gate->id, NULL);
  fest_station_store_set_setting (store, FEST_STATION_KEY_GATE, gate->name, NULL);
}

/* The cached gates in the picker, the station's gate selected (by id, else by name, else the
 * first one, which becomes the station's gate). No gate at all: the typed name, as before. */
static void
fill_gates (FestScannerPage *self)
{
  FestStationStore *store = fest_station_context_get_store (self->context);
  g_autofree char *gate_id = fest_station_store_get_setting (store, FEST_STATION_KEY_GATE_ID);
  g_autofree char *gate = fest_station_store_get_setting (store, FEST_STATION_KEY_GATE);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;
  gboolean found = FALSE;

  g_clear_pointer (&self->gates, g_ptr_array_unref);
  self->gates = fest_station_store_list_gates (store);
  for (guint i = 0; i < self->gates->len; i++)
    {
      FestStationGate *item = g_ptr_array_index (self->gates, i);

      gtk_string_list_append (names, item->name);
      if (!found && gate_id != NULL && g_strcmp0 (item->id, gate_id) == 0)
        {
          selected = i;
          found = TRUE;
        }
    }
  for (guint i = 0; !found && i < self->gates->len; i++)
    if (g_strcmp0 (((FestStationGate *) g_ptr_array_index (self->gates, i))->name, gate) == 0)
      {
        selected = i;
        found = TRUE;
      }

  self->filling_gates = TRUE;
  gtk_drop_down_set_model (self->gate_picker, G_LIST_MODEL (names));
  if (self->gates->len > 0)
    gtk_drop_down_set_selected (self->gate_picker, selected);
  self->filling_gates = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->gate_picker), self->gates->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->gate_entry), self->gates->len == 0);
  gtk_label_set_mnemonic_widget (self->gate_label, self->gates->len > 0 ? GTK_WIDGET (self->gate_picker)
                                                                         : GTK_WIDGET (self->gate_entry));
  if (self->gates->len > 0)
    gate_picked_cb (NULL, NULL, self);
}

static void
gates_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FestScannerPage) self = user_data;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;

  data = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    {
      /* Offline (or an older server): the cached gates stay. */
      if (error != NULL)
        g_debug ("No gates: %s", error->message);
      return;
    }
  if (!fest_station_store_replace_gates (fest_station_context_get_store (self->context), json_node_get_array (data),
                                         &error))
    {
      g_warning ("Cannot keep the gates: %s", error->message);
      return;
    }
  /* The same gates: the picker is left alone (it may be open). */
  {
    g_autoptr(GPtrArray) gates = fest_station_store_list_gates (fest_station_context_get_store (self->context));
    gboolean same = self->gates != NULL && gates->len == self->gates->len;

    for (guint i = 0; same && i < gates->len; i++)
      {
        FestStationGate *a = g_ptr_array_index (gates, i), *b = g_ptr_array_index (self->gates, i);

        same = g_str_equal (a->id, b->id) && g_str_equal (a->name, b->name);
      }
    if (same)
      return;
  }
  fill_gates (self);
}

void
fest_scanner_page_reload_gates (FestScannerPage *self)
{
  FestClient *client;

  g_return_if_fail (FEST_IS_SCANNER_PAGE (self));

  fill_gates (self);
  client = fest_station_context_get_station_client (self->context);
  if (client != NULL)
    fest_client_request_async (client, "GET", "/gates?per_page=500", NULL, NULL, self->cancellable, gates_cb,
                               g_object_ref (self));
}

static void
camera_code_scanned_cb (FestCameraScanner *camera,
                        const char        *code,
                        gpointer           user_data)
{
  FestScannerPage *self = user_data;

  /* Exactly the path of a keyboard-wedge scan. */
  check_code (self, code);
}

static void
camera_state_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  FestScannerPage *self = user_data;
  FestCameraState state = fest_camera_scanner_get_state (self->camera);
  const char *status = NULL;
  const char *icon = "camera-web-symbolic";

  switch (state)
    {
    case FEST_CAMERA_RUNNING:
      /* The preview says it. */
      break;
    case FEST_CAMERA_NONE:
      status = _("No camera");
      icon = "camera-disabled-symbolic";
      break;
    case FEST_CAMERA_ERROR:
      status = _("Camera off");
      icon = "camera-disabled-symbolic";
      break;
    case FEST_CAMERA_SEARCHING:
      status = _("Looking for a camera…");
      break;
    case FEST_CAMERA_STOPPED:
    default:
      break;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->camera_icon), status != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->camera_status), status != NULL);
  gtk_image_set_from_icon_name (self->camera_icon, icon);
  gtk_label_set_text (self->camera_status, status != NULL ? status : "");

  /* The preview only with a camera; an error in words where the preview would be. */
  gtk_widget_set_visible (self->camera_panel, state == FEST_CAMERA_RUNNING || state == FEST_CAMERA_ERROR);
  gtk_widget_set_visible (GTK_WIDGET (self->camera_picture), state == FEST_CAMERA_RUNNING);
  gtk_widget_set_visible (GTK_WIDGET (self->camera_hint), state == FEST_CAMERA_RUNNING);
  gtk_widget_set_visible (GTK_WIDGET (self->camera_message), state == FEST_CAMERA_ERROR);
  gtk_widget_set_visible (self->camera_retry, state == FEST_CAMERA_ERROR);
  gtk_label_set_text (self->camera_message,
                      state == FEST_CAMERA_ERROR ? fest_camera_scanner_get_message (self->camera) : "");
}

static void
fest_scanner_page_map (GtkWidget *widget)
{
  FestScannerPage *self = FEST_SCANNER_PAGE (widget);

  GTK_WIDGET_CLASS (fest_scanner_page_parent_class)->map (widget);
  fest_camera_scanner_start (self->camera);
}

static void
fest_scanner_page_unmap (GtkWidget *widget)
{
  FestScannerPage *self = FEST_SCANNER_PAGE (widget);

  /* Off screen: release the camera. */
  fest_camera_scanner_stop (self->camera);
  GTK_WIDGET_CLASS (fest_scanner_page_parent_class)->unmap (widget);
}

static void
fest_scanner_page_dispose (GObject *object)
{
  FestScannerPage *self = FEST_SCANNER_PAGE (object);

  g_clear_handle_id (&self->reset_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->camera != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->camera, self);
      fest_camera_scanner_stop (self->camera);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_SCANNER_PAGE);
  g_clear_object (&self->camera);
  G_OBJECT_CLASS (fest_scanner_page_parent_class)->dispose (object);
}

static void
fest_scanner_page_finalize (GObject *object)
{
  FestScannerPage *self = FEST_SCANNER_PAGE (object);

  g_free (self->reason);
  g_clear_pointer (&self->gates, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (fest_scanner_page_parent_class)->finalize (object);
}

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fest_scanner_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FestScannerPage *self = FEST_SCANNER_PAGE (object);

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
fest_scanner_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FestScannerPage *self = FEST_SCANNER_PAGE (object);

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
fest_scanner_page_class_init (FestScannerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_scanner_page_dispose;
  G_OBJECT_CLASS (klass)->get_property = fest_scanner_page_get_property;
  G_OBJECT_CLASS (klass)->set_property = fest_scanner_page_set_property;

  /* What the page works with, from its station window. */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FEST_TYPE_STATION_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
  object_class->finalize = fest_scanner_page_finalize;
  widget_class->map = fest_scanner_page_map;
  widget_class->unmap = fest_scanner_page_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/station/fest-scanner-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, verdict_title);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, verdict_reason);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, verdict_detail);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, entries_label);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, gate_entry);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, gate_label);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, gate_picker);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, in_button);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, out_button);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, code_entry);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, alerts_label);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, alerts_revealer);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, camera_panel);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, camera_picture);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, camera_hint);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, camera_message);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, camera_retry);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, camera_icon);
  gtk_widget_class_bind_template_child (widget_class, FestScannerPage, camera_status);
  gtk_widget_class_bind_template_callback (widget_class, code_activate_cb);

  gtk_widget_class_install_action (widget_class, "scanner.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "scanner.dismiss-alerts", NULL, dismiss_alerts_action);
  gtk_widget_class_install_action (widget_class, "scanner.retry-camera", NULL, retry_camera_action);
}

static void
fest_scanner_page_init (FestScannerPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  self->camera = fest_camera_scanner_new ();
  gtk_picture_set_paintable (self->camera_picture, GDK_PAINTABLE (self->camera));
  g_signal_connect (self->camera, "code-scanned", G_CALLBACK (camera_code_scanned_cb), self);
  g_signal_connect (self->camera, "notify::state", G_CALLBACK (camera_state_cb), self);
  g_signal_connect (self->camera, "notify::message", G_CALLBACK (camera_state_cb), self);
  camera_state_cb (NULL, NULL, self);
}

FestScannerPage *
fest_scanner_page_new (FestStationContext *context)
{
  FestScannerPage *self;

  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);

  self = g_object_new (FEST_TYPE_SCANNER_PAGE, "context", context, NULL);
  g_autofree char *gate = NULL;

  gate = fest_station_store_get_setting (fest_station_context_get_store (context), FEST_STATION_KEY_GATE);
  gtk_editable_set_text (GTK_EDITABLE (self->gate_entry), gate != NULL ? gate : _("Main gate"));
  g_signal_connect_object (self->gate_entry, "changed", G_CALLBACK (gate_changed_cb), self, 0);
  g_signal_connect_object (self->gate_picker, "notify::selected", G_CALLBACK (gate_picked_cb), self, 0);
  fest_scanner_page_reload_gates (self);
  show_idle (self);
  update_entries (self);
  return self;
}

void
fest_scanner_page_handle_scan (FestScannerPage *self,
                               const char      *code)
{
  g_return_if_fail (FEST_IS_SCANNER_PAGE (self));
  check_code (self, code);
}

/* A duplicate entry names the ticket (its holder and type, from the cached tickets) and both
 * admissions (gate and time each), so that security can find the two people at the gates. */
static void
append_duplicate (FestScannerPage *self,
                  GString         *text,
                  const char      *ticket_id,
                  JsonObject      *details)
{
  g_autofree char *holder = NULL;
  g_autofree char *type_name = NULL;
  g_autofree char *first_at = NULL;
  g_autofree char *second_at = NULL;
  const char *first_gate = NULL;
  const char *second_gate = NULL;

  if (details != NULL)
    {
      if (ticket_id == NULL)
        ticket_id = json_object_get_string_member_with_default (details, "ticket_id", NULL);
      first_gate = json_object_get_string_member_with_default (details, "entry_gate", NULL);
      second_gate = json_object_get_string_member_with_default (details, "gate", NULL);
      first_at = format_when (json_object_get_string_member_with_default (details, "entry_at", NULL));
      second_at = format_when (json_object_get_string_member_with_default (details, "scanned_at", NULL));
    }
  else
    {
      first_at = format_when (NULL);
      second_at = format_when (NULL);
    }
  fest_station_store_describe_ticket (fest_station_context_get_store (self->context), ticket_id, &holder, &type_name);
  /* TRANSLATORS: holder, ticket type, first gate, first time, second gate, second time */
  g_string_append_printf (text, _("Duplicate entry: %s (%s) was admitted at %s at %s, and again at %s at %s"),
                          holder != NULL && *holder != '\0' ? holder : _("unknown holder"),
                          type_name != NULL && *type_name != '\0' ? type_name : _("unknown ticket type"),
                          first_gate != NULL ? first_gate : _("an unknown gate"), first_at,
                          second_gate != NULL ? second_gate : _("an unknown gate"), second_at);
}

void
fest_scanner_page_show_alerts (FestScannerPage *self)
{
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (FEST_IS_SCANNER_PAGE (self));

  alerts = fest_station_store_take_new_alerts (fest_station_context_get_store (self->context));
  for (guint i = 0; i < alerts->len; i++)
    {
      JsonObject *alert = json_node_get_object (g_ptr_array_index (alerts, i));
      JsonObject *details = NULL;
      const char *type = json_object_get_string_member_with_default (alert, "type", "");

      if (g_strcmp0 (type, "DUPLICATE_ENTRY") != 0)
        continue;
      if (json_object_has_member (alert, "details") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (alert, "details")))
        details = json_object_get_object_member (alert, "details");
      if (text->len > 0)
        g_string_append_c (text, '\n');
      append_duplicate (self, text, json_object_get_string_member_with_default (alert, "entity_id", NULL), details);
    }
  if (text->len == 0)
    return;
  gtk_label_set_text (self->alerts_label, text->str);
  gtk_revealer_set_reveal_child (self->alerts_revealer, TRUE);
  fest_feedback_play (fest_feedback_get_default (), FEST_FEEDBACK_WARNING);
  update_entries (self);
}

const char *
fest_scanner_page_get_verdict (FestScannerPage *self)
{
  g_return_val_if_fail (FEST_IS_SCANNER_PAGE (self), NULL);
  return self->verdict;
}

const char *
fest_scanner_page_get_reason (FestScannerPage *self)
{
  g_return_val_if_fail (FEST_IS_SCANNER_PAGE (self), NULL);
  return self->reason;
}

guint
fest_scanner_page_get_entries (FestScannerPage *self)
{
  g_return_val_if_fail (FEST_IS_SCANNER_PAGE (self), 0);
  return fest_station_store_count_entries (fest_station_context_get_store (self->context));
}

const char *
fest_scanner_page_get_alert (FestScannerPage *self)
{
  g_return_val_if_fail (FEST_IS_SCANNER_PAGE (self), NULL);
  if (!gtk_revealer_get_reveal_child (self->alerts_revealer))
    return NULL;
  return gtk_label_get_text (self->alerts_label);
}

FestCameraScanner *
fest_scanner_page_get_camera (FestScannerPage *self)
{
  g_return_val_if_fail (FEST_IS_SCANNER_PAGE (self), NULL);
  return self->camera;
}

void
fest_scanner_page_set_exit (FestScannerPage *self,
                            gboolean         exit)
{
  g_return_if_fail (FEST_IS_SCANNER_PAGE (self));
  gtk_toggle_button_set_active (exit ? self->out_button : self->in_button, TRUE);
}

const char *
fest_scan_reason_to_text (FestScanReason reason)
{
  switch (reason)
    {
    case FEST_SCAN_REASON_MALFORMED:
      return _("Not a ticket");
    case FEST_SCAN_REASON_BAD_SIGNATURE:
      return _("Forged or damaged ticket");
    case FEST_SCAN_REASON_WRONG_FESTIVAL:
      return _("Ticket for another festival");
    case FEST_SCAN_REASON_NOT_YET_VALID:
      return _("Not valid yet");
    case FEST_SCAN_REASON_EXPIRED:
      return _("Ticket expired");
    case FEST_SCAN_REASON_CANCELLED:
      return _("Ticket cancelled");
    case FEST_SCAN_REASON_NO_KEY:
      return _("No ticket key yet: connect once to sync");
    case FEST_SCAN_REASON_NO_REENTRY:
      return _("This ticket does not allow going out and back in");
    case FEST_SCAN_REASON_NOT_INSIDE:
      return _("This ticket is not inside");
    case FEST_SCAN_REASON_NONE:
    default:
      return "";
    }
}

GtkDropDown *
fest_scanner_page_get_gate_picker (FestScannerPage *self)
{
  g_return_val_if_fail (FEST_IS_SCANNER_PAGE (self), NULL);
  return self->gate_picker;
}

GtkWidget *
fest_scanner_page_get_gate_entry (FestScannerPage *self)
{
  g_return_val_if_fail (FEST_IS_SCANNER_PAGE (self), NULL);
  return GTK_WIDGET (self->gate_entry);
}
