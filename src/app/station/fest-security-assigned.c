/* fest-security-assigned.c: the security station's "My incidents": the guard's assigned incidents
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The guard on duty signs in here with their own account (fest-security-guard.c: the device token
 * is the station's, nobody's). With their token the list comes from GET
 * /incidents?assigned_to=me&status=ASSIGNED (newest first) on a timer and after each sync, and is
 * kept in the station store, so that it shows offline with the last known state (the guard's id
 * stays in the store's settings). "Resolve" asks for notes (fest-security-resolve-dialog.c), then
 * PATCH /incidents/{id} within a deadline; offline, or without an answer in time, the resolution is
 * an `incident.update` op of the outbox, pushed by the sync engine in POST /sync with the guard's
 * token, and the row says "Resolved (waiting to sync)" until the server has it. A 401 to the
 * guard's token signs them out (the cached list and the queued resolutions stay, and go out once
 * they sign in again).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-security-assigned.h"
#include "fest-security-guard.h"
#include "fest-security-resolve-dialog.h"

#define REFRESH_SECONDS   30
#define RESOLVE_DEADLINE  3   /* seconds */

struct _FestSecurityAssigned
{
  GtkBox              parent_instance;

  FestStationContext *context;
  GCancellable       *cancellable;
  FestSecurityGuard  *guard;         /* who is signed in here, and their token */
  guint               timer_id;
  gboolean            fetching;

  GtkStack           *stack;
  GtkEntry           *email;
  GtkPasswordEntry   *password;
  GtkButton          *sign_in_button;
  GtkLabel           *sign_in_error;
  GtkWidget          *tools;         /* who is signed in, Refresh, Sign Out: beside the title */
  GtkLabel           *who;
  GtkListBox         *list;

  GtkWindow          *dialog;        /* weak: the resolve dialog open now */
  GtkTextView        *notes;
  char               *dialog_incident;
};

G_DEFINE_FINAL_TYPE (FestSecurityAssigned, fest_security_assigned, GTK_TYPE_BOX)

enum {
  INCIDENT_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct
{
  const char *type;
  const char *label;
} type_labels[] = {
  { "FIGHT", N_("Fight") },
  { "THEFT", N_("Theft") },
  { "MEDICAL", N_("Medical") },
  { "FIRE", N_("Fire") },
  { "LOST_PERSON", N_("Lost person") },
  { "SOS", N_("SOS") },
  { "OTHER", N_("Other") },
  { "DUPLICATE_ENTRY", N_("Duplicate entry") },
};

static const char *
type_label (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_labels); i++)
    if (g_strcmp0 (type_labels[i].type, type) == 0)
      return _(type_labels[i].label);
  return type;
}

/* "just now", "12 min ago", "3 h ago", else the date. */
static char *
age_text (const char *created_at)
{
  g_autoptr(GDateTime) when = fest_time_parse (created_at);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan span;

  if (when == NULL)
    return g_strdup ("");
  span = g_date_time_difference (now, when) / G_TIME_SPAN_MINUTE;
  if (span < 1)
    return g_strdup (_("just now"));
  if (span < 60)
    return g_strdup_printf (_("%d min ago"), (int) span);
  if (span < 24 * 60)
    return g_strdup_printf (_("%d h ago"), (int) (span / 60));
  {
    g_autoptr(GDateTime) local = g_date_time_to_local (when);

    return g_date_time_format (local, "%x %H:%M");
  }
}

static const char *
status_text (const FestStationIncident *incident)
{
  if (incident->resolution_state == FEST_OUTBOX_PENDING)
    return _("Resolved (waiting to sync)");
  if (incident->resolution_state == FEST_OUTBOX_ACKED || g_strcmp0 (incident->status, "RESOLVED") == 0)
    return _("Resolved");
  if (incident->resolution_state == FEST_OUTBOX_REJECTED)
    return _("The server refused the resolution");
  return _("Assigned to you");
}

static gboolean
can_resolve (const FestStationIncident *incident)
{
  return g_strcmp0 (incident->status, "RESOLVED") != 0 &&
         (incident->resolution_state < 0 || incident->resolution_state == FEST_OUTBOX_REJECTED);
}

static void open_dialog (FestSecurityAssigned *self,
                         const char           *incident_id,
                         const char           *title);

static void
resolve_clicked_cb (GtkButton *button,
                    gpointer   user_data)
{
  FestSecurityAssigned *self = user_data;

  open_dialog (self, g_object_get_data (G_OBJECT (button), "incident-id"),
               g_object_get_data (G_OBJECT (button), "title"));
}

/* Shows @incident in @row, built by row_new(): its texts, position and Resolve button. Refreshing
 * the list updates its rows in place, so that a row the guard is about to click stays. */
static void
row_update (FestSecurityAssigned      *self,
            GtkListBoxRow             *row,
            const FestStationIncident *incident)
{
  GtkWidget *box = gtk_list_box_row_get_child (row);
  GtkWidget *button = g_object_get_data (G_OBJECT (row), "resolve-button");
  g_autofree char *age = age_text (incident->created_at);
  g_autofree char *title = g_strdup_printf ("%s · %s", type_label (incident->type), age);
  g_autofree char *accessible = NULL;
  const char *description = incident->description != NULL && *incident->description != '\0'
                            ? incident->description : _("No description");

  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "title-label"), title);
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "description-label"), description);
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "status-label"), status_text (incident));

  if (can_resolve (incident) && button == NULL)
    {
      g_autofree char *tip = g_strdup_printf (_("Resolve this incident (%s) with notes"), type_label (incident->type));

      button = gtk_button_new_with_mnemonic (_("Re_solve…"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
      g_object_set_data_full (G_OBJECT (button), "incident-id", g_strdup (incident->id), g_free);
      g_object_set_data_full (G_OBJECT (button), "title", g_strdup (type_label (incident->type)), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (resolve_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (box), button);
      g_object_set_data (G_OBJECT (row), "resolve-button", button);
    }
  else if (!can_resolve (incident) && button != NULL)
    {
      g_object_set_data (G_OBJECT (row), "resolve-button", NULL);
      if (gtk_widget_has_focus (button))
        gtk_widget_grab_focus (GTK_WIDGET (row));
      gtk_box_remove (GTK_BOX (box), button);
    }

  accessible = g_strdup_printf ("%s: %s (%s)", title, description, status_text (incident));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  if (incident->has_position)
    {
      double *position = g_new (double, 2);

      position[0] = incident->lat;
      position[1] = incident->lng;
      g_object_set_data_full (G_OBJECT (row), "position", position, g_free);
    }
  else
    g_object_set_data (G_OBJECT (row), "position", NULL);
}

static GtkWidget *
row_new (FestSecurityAssigned      *self,
         const FestStationIncident *incident)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label;

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_hexpand (texts, TRUE);

  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (texts), label);
  g_object_set_data (G_OBJECT (row), "title-label", label);
  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (texts), label);
  g_object_set_data (G_OBJECT (row), "description-label", label);
  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (texts), label);
  g_object_set_data (G_OBJECT (row), "status-label", label);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data_full (G_OBJECT (row), "incident-id", g_strdup (incident->id), g_free);
  g_object_set_data_full (G_OBJECT (row), "title", g_strdup (type_label (incident->type)), g_free);
  row_update (self, GTK_LIST_BOX_ROW (row), incident);
  return row;
}

/* Whether the list's rows are @incidents' already, in their order. */
static gboolean
rows_match (FestSecurityAssigned *self,
            GPtrArray            *incidents)
{
  guint i;

  for (i = 0; i < incidents->len; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, (int) i);
      FestStationIncident *incident = g_ptr_array_index (incidents, i);

      if (row == NULL || g_strcmp0 (g_object_get_data (G_OBJECT (row), "incident-id"), incident->id) != 0)
        return FALSE;
    }
  return gtk_list_box_get_row_at_index (self->list, (int) i) == NULL;
}

/* The list as the store has it now. The selected incident stays selected. */
static void
reload_list (FestSecurityAssigned *self)
{
  FestStationStore *store = fest_station_context_get_store (self->context);
  g_autofree char *guard_id = fest_station_store_get_setting (store, FEST_STATION_KEY_GUARD_ID);
  g_autofree char *guard_name = fest_station_store_get_setting (store, FEST_STATION_KEY_GUARD_NAME);
  g_autoptr(GPtrArray) incidents = NULL;
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->list);
  g_autofree char *selected_id = selected != NULL ? g_strdup (g_object_get_data (G_OBJECT (selected), "incident-id"))
                                                  : NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  g_autofree char *focus_id = NULL;
  gboolean focus_on_button = FALSE;
  GtkWidget *child;

  gtk_widget_set_visible (self->tools, guard_id != NULL);
  if (guard_id == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "sign-in");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "list");
  {
    g_autofree char *who = g_strdup_printf (_("Assigned to %s"), guard_name != NULL ? guard_name : "");

    gtk_label_set_text (self->who, who);
  }

  incidents = fest_station_store_list_assigned_incidents (store, guard_id);
  /* The same incidents: their rows show their age and state as they now are. */
  if (rows_match (self, incidents))
    {
      for (guint i = 0; i < incidents->len; i++)
        row_update (self, gtk_list_box_get_row_at_index (self->list, (int) i), g_ptr_array_index (incidents, i));
      return;
    }

  /* Others: the rows are built again, and the focus stays on the same incident. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list)))
    {
      GtkWidget *row = gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW);

      if (row == NULL && GTK_IS_LIST_BOX_ROW (focus))
        row = focus;
      if (row != NULL)
        focus_id = g_strdup (g_object_get_data (G_OBJECT (row), "incident-id"));
      focus_on_button = GTK_IS_BUTTON (focus);
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < incidents->len; i++)
    {
      FestStationIncident *incident = g_ptr_array_index (incidents, i);
      GtkWidget *row = row_new (self, incident);

      gtk_list_box_append (self->list, row);
      if (g_strcmp0 (selected_id, incident->id) == 0)
        gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
      if (focus_id != NULL && g_str_equal (focus_id, incident->id))
        {
          GtkWidget *button = g_object_get_data (G_OBJECT (row), "resolve-button");

          gtk_widget_grab_focus (focus_on_button && button != NULL ? button : row);
          g_clear_pointer (&focus_id, g_free);
        }
    }
  /* The focused incident left the list: the focus goes to the first one (or the list). */
  if (focus_id != NULL)
    {
      GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->list, 0);

      gtk_widget_grab_focus (first != NULL ? GTK_WIDGET (first) : GTK_WIDGET (self->list));
    }
}

static void
incidents_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FestSecurityAssigned) self = user_data;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *guard_id = NULL;
  FestStationStore *store;

  data = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  self->fetching = FALSE;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  store = fest_station_context_get_store (self->context);
  guard_id = fest_station_store_get_setting (store, FEST_STATION_KEY_GUARD_ID);
  if (error != NULL && g_error_matches (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED))
    {
      /* The guard's session ended (expired, or signed out elsewhere): they sign in again. */
      fest_security_guard_sign_out (self->guard, FALSE);
      fest_station_context_toast (self->context, _("Your session ended: sign in again to see your incidents"));
      return;
    }
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data) || guard_id == NULL)
    {
      /* Offline: the list stays as last known. */
      if (error != NULL)
        g_debug ("Assigned incidents: %s", error->message);
      return;
    }
  if (!fest_station_store_replace_assigned_incidents (store, guard_id, json_node_get_array (data), &error))
    g_warning ("Cannot keep the assigned incidents: %s", error->message);
  reload_list (self);
}

void
fest_security_assigned_refresh (FestSecurityAssigned *self)
{
  FestClient *client;

  g_return_if_fail (FEST_IS_SECURITY_ASSIGNED (self));

  reload_list (self);
  fest_security_guard_share_token (self->guard);
  client = fest_security_guard_get_client (self->guard);
  if (client == NULL || self->fetching)
    return;
  self->fetching = TRUE;
  fest_client_request_async (client, "GET", "/incidents?assigned_to=me&status=ASSIGNED&per_page=200", NULL, NULL,
                             self->cancellable, incidents_cb, g_object_ref (self));
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  fest_security_assigned_refresh (FEST_SECURITY_ASSIGNED (user_data));
  return G_SOURCE_CONTINUE;
}

/* Signing in */

static void
sign_in_failed (FestSecurityAssigned *self,
                const char           *message)
{
  gtk_label_set_text (self->sign_in_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), TRUE);
  gtk_widget_error_bell (GTK_WIDGET (self));
}

void
fest_security_assigned_sign_in (FestSecurityAssigned *self,
                                const char           *email,
                                const char           *password)
{
  g_return_if_fail (FEST_IS_SECURITY_ASSIGNED (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), FALSE);
  fest_security_guard_sign_in (self->guard, email, password);
}

static void
guard_failed_cb (FestSecurityGuard *guard,
                 const char        *message,
                 gpointer           user_data)
{
  sign_in_failed (FEST_SECURITY_ASSIGNED (user_data), message);
}

/* Signed in, restored or signed out: the list (or the form) as it now is. */
static void
guard_changed_cb (FestSecurityGuard *guard,
                  gpointer           user_data)
{
  FestSecurityAssigned *self = user_data;

  gtk_editable_set_text (GTK_EDITABLE (self->password), "");
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), TRUE);
  fest_security_assigned_refresh (self);
}

static void
sign_in_clicked_cb (FestSecurityAssigned *self)
{
  fest_security_assigned_sign_in (self, gtk_editable_get_text (GTK_EDITABLE (self->email)),
                                  gtk_editable_get_text (GTK_EDITABLE (self->password)));
}

static void
sign_out_clicked_cb (FestSecurityAssigned *self)
{
  FestStationStore *store = fest_station_context_get_store (self->context);
  g_autofree char *guard_id = fest_station_store_get_setting (store, FEST_STATION_KEY_GUARD_ID);
  g_autoptr(GPtrArray) incidents = fest_station_store_list_assigned_incidents (store, guard_id);

  /* Their resolutions not sent yet can only go with their token. */
  for (guint i = 0; i < incidents->len; i++)
    if (((FestStationIncident *) g_ptr_array_index (incidents, i))->resolution_state == FEST_OUTBOX_PENDING)
      {
        fest_station_context_toast (self->context,
                                    _("Your resolutions not sent yet will go once you sign in here again"));
        break;
      }
  fest_security_guard_sign_out (self->guard, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->email));
}

/* Resolving */

typedef struct
{
  FestSecurityAssigned *self;
  char                 *incident_id;
  char                 *notes;
  GCancellable         *cancellable;
  guint                 deadline_id;
  gboolean              done;
} Resolve;

static void
resolve_free (Resolve *resolve)
{
  g_clear_handle_id (&resolve->deadline_id, g_source_remove);
  g_object_unref (resolve->self);
  g_clear_object (&resolve->cancellable);
  g_free (resolve->incident_id);
  g_free (resolve->notes);
  g_free (resolve);
}

/* Offline, or the server did not answer in time: into the outbox. */
static void
resolve_offline (FestSecurityAssigned *self,
                 const char           *incident_id,
                 const char           *notes)
{
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(GError) error = NULL;

  op = fest_station_store_record_incident_update (fest_station_context_get_store (self->context), incident_id, notes,
                                                  &error);
  if (op == NULL)
    {
      fest_station_context_toast (self->context, error->message);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  fest_station_context_toast (self->context, _("Resolution saved: it will be sent when the network is back"));
  fest_security_guard_share_token (self->guard);
  fest_station_context_operation_queued (self->context);
  reload_list (self);
}

static void
patch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Resolve *resolve = user_data;
  FestSecurityAssigned *self = resolve->self;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;

  data = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (resolve->done || g_cancellable_is_cancelled (self->cancellable))
    {
      resolve_free (resolve);
      return;
    }
  resolve->done = TRUE;
  if (data != NULL)
    {
      fest_station_store_set_incident_resolved (fest_station_context_get_store (self->context), resolve->incident_id,
                                                resolve->notes, NULL);
      fest_station_context_toast (self->context, _("Incident resolved"));
      fest_security_assigned_refresh (self);
    }
  else if (error->domain == FEST_ERROR)
    {
      g_autofree char *text = fest_client_describe_error (error);
      g_autofree char *message = g_strdup_printf (_("The server refused the resolution: %s"), text);

      fest_station_context_toast (self->context, message);
      gtk_widget_error_bell (GTK_WIDGET (self));
      fest_security_assigned_refresh (self);
    }
  else
    resolve_offline (self, resolve->incident_id, resolve->notes);
  resolve_free (resolve);
}

static gboolean
deadline_cb (gpointer user_data)
{
  Resolve *resolve = user_data;

  resolve->deadline_id = 0;
  if (!resolve->done)
    {
      resolve->done = TRUE;
      g_cancellable_cancel (resolve->cancellable);
      resolve_offline (resolve->self, resolve->incident_id, resolve->notes);
    }
  return G_SOURCE_REMOVE;
}

static void
resolve (FestSecurityAssigned *self,
         const char           *incident_id,
         const char           *notes)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  FestClient *client;
  Resolve *data;

  client = fest_security_guard_get_client (self->guard);
  if (client == NULL || !fest_station_context_is_online (self->context))
    {
      resolve_offline (self, incident_id, notes);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "RESOLVED");
  json_builder_set_member_name (builder, "resolution_notes");
  json_builder_add_string_value (builder, notes);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  escaped = g_uri_escape_string (incident_id, NULL, TRUE);
  path = g_strdup_printf ("/incidents/%s", escaped);

  data = g_new0 (Resolve, 1);
  data->self = g_object_ref (self);
  data->incident_id = g_strdup (incident_id);
  data->notes = g_strdup (notes);
  data->cancellable = g_cancellable_new ();
  /* The resolve owns one reference for the request; the deadline only flags it. */
  data->deadline_id = g_timeout_add_seconds (RESOLVE_DEADLINE, deadline_cb, data);
  fest_station_context_toast (self->context, _("Sending the resolution…"));
  fest_client_request_async (client, "PATCH", path, body, NULL, data->cancellable, patch_cb, data);
}

/* The dialog open now, if any, goes (and no longer points back here). */
static void
close_dialog (FestSecurityAssigned *self)
{
  GtkWindow *dialog = self->dialog;

  if (self->notes != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->notes), (gpointer *) &self->notes);
  self->notes = NULL;
  if (dialog == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  self->dialog = NULL;
  g_signal_handlers_disconnect_by_data (dialog, self);
  gtk_window_destroy (dialog);
}

static void
dialog_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  FestSecurityAssigned *self = user_data;
  g_autofree char *incident_id = g_steal_pointer (&self->dialog_incident);
  g_autofree char *notes = NULL;

  if (g_strcmp0 (response, "resolve") != 0 || incident_id == NULL || self->notes == NULL)
    return;
  notes = fest_security_resolve_dialog_get_notes (self->notes);
  resolve (self, incident_id, notes);
}

static void
open_dialog (FestSecurityAssigned *self,
             const char           *incident_id,
             const char           *title)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  GtkTextView *notes = NULL;

  close_dialog (self);
  dialog = fest_security_resolve_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, title, &notes);
  g_signal_connect_object (dialog, "response", G_CALLBACK (dialog_response_cb), self, 0);
  g_free (self->dialog_incident);
  self->dialog_incident = g_strdup (incident_id);
  self->dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  self->notes = notes;
  g_object_add_weak_pointer (G_OBJECT (notes), (gpointer *) &self->notes);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (notes));
}

static void
row_selected_cb (GtkListBox    *list,
                 GtkListBoxRow *row,
                 gpointer       user_data)
{
  FestSecurityAssigned *self = user_data;
  double *position;

  if (row == NULL || (position = g_object_get_data (G_OBJECT (row), "position")) == NULL)
    return;
  g_signal_emit (self, signals[INCIDENT_SELECTED], 0, g_object_get_data (G_OBJECT (row), "title"), position[0],
                 position[1]);
}

/* Enter (or a double click) on a row that may be resolved opens its dialog. */
static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  gpointer       user_data)
{
  FestSecurityAssigned *self = user_data;

  if (g_object_get_data (G_OBJECT (row), "resolve-button") == NULL)
    return;
  open_dialog (self, g_object_get_data (G_OBJECT (row), "incident-id"), g_object_get_data (G_OBJECT (row), "title"));
}

/* GObject */

static void
fest_security_assigned_dispose (GObject *object)
{
  FestSecurityAssigned *self = FEST_SECURITY_ASSIGNED (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->guard != NULL)
    g_signal_handlers_disconnect_by_data (self->guard, self);
  g_clear_object (&self->guard);
  close_dialog (self);
  G_OBJECT_CLASS (fest_security_assigned_parent_class)->dispose (object);
}

static void
fest_security_assigned_finalize (GObject *object)
{
  FestSecurityAssigned *self = FEST_SECURITY_ASSIGNED (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_free (self->dialog_incident);
  G_OBJECT_CLASS (fest_security_assigned_parent_class)->finalize (object);
}

static void
fest_security_assigned_class_init (FestSecurityAssignedClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fest_security_assigned_dispose;
  G_OBJECT_CLASS (klass)->finalize = fest_security_assigned_finalize;

  signals[INCIDENT_SELECTED] =
    g_signal_new ("incident-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
}

static void
fest_security_assigned_init (FestSecurityAssigned *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 8);
}

static GtkWidget *
build_sign_in (FestSecurityAssigned *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *label;

  label = gtk_label_new (_("Sign in with your own account to see the incidents assigned to you."));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  self->email = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->email, _("Email"));
  gtk_entry_set_input_purpose (self->email, GTK_INPUT_PURPOSE_EMAIL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->email), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Email"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->email));

  self->password = GTK_PASSWORD_ENTRY (gtk_password_entry_new ());
  gtk_password_entry_set_show_peek_icon (self->password, TRUE);
  g_object_set (self->password, "placeholder-text", _("Password"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->password), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->password));

  self->sign_in_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("Sign _In")));
  gtk_widget_add_css_class (GTK_WIDGET (self->sign_in_button), "suggested-action");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sign_in_button), _("Sign in as the guard on duty"));
  g_signal_connect_object (self->sign_in_button, "clicked", G_CALLBACK (sign_in_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->email, "activate", G_CALLBACK (gtk_widget_grab_focus), self->password,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->password, "activate", G_CALLBACK (sign_in_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->sign_in_button));

  self->sign_in_error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->sign_in_error, TRUE);
  gtk_label_set_xalign (self->sign_in_error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->sign_in_error), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->sign_in_error));
  return box;
}

/* Beside the title once signed in: who, Refresh, Sign Out. */
static GtkWidget *
build_tools (FestSecurityAssigned *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *button;

  self->who = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->who, 1);
  gtk_label_set_ellipsize (self->who, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->who), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->who), "dim-label");
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->who));

  button = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  gtk_widget_set_tooltip_text (button, _("Refresh my incidents"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (fest_security_assigned_refresh), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (header), button);
  button = gtk_button_new_with_mnemonic (_("Sign _Out"));
  gtk_widget_set_tooltip_text (button, _("Sign out the guard on duty"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (sign_out_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (header), button);
  return header;
}

static GtkWidget *
build_list (FestSecurityAssigned *self)
{
  GtkWidget *scrolled, *placeholder;

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_SINGLE);
  /* A click selects (the map shows it); Enter or a double click resolves. */
  gtk_list_box_set_activate_on_single_click (self->list, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Incidents assigned to me"), -1);
  placeholder = gtk_label_new (_("No incident assigned to you"));
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->list, placeholder);
  g_signal_connect_object (self->list, "row-selected", G_CALLBACK (row_selected_cb), self, 0);
  g_signal_connect_object (self->list, "row-activated", G_CALLBACK (row_activated_cb), self, 0);
  /* Room for two incidents at least; more scroll. */
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 150);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 230);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list));
  return scrolled;
}

FestSecurityAssigned *
fest_security_assigned_new (FestStationContext *context)
{
  FestSecurityAssigned *self;
  GtkWidget *top, *title;

  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);

  self = g_object_new (FEST_TYPE_SECURITY_ASSIGNED, NULL);
  self->context = g_object_ref (context);

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  title = gtk_label_new (_("My incidents"));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-2");
  gtk_box_append (GTK_BOX (top), title);
  self->tools = build_tools (self);
  gtk_widget_set_hexpand (self->tools, TRUE);
  gtk_box_append (GTK_BOX (top), self->tools);
  gtk_box_append (GTK_BOX (self), top);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_vhomogeneous (self->stack, FALSE);
  gtk_stack_add_named (self->stack, build_sign_in (self), "sign-in");
  gtk_stack_add_named (self->stack, build_list (self), "list");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->stack));

  self->guard = fest_security_guard_new (context);
  g_signal_connect_object (self->guard, "changed", G_CALLBACK (guard_changed_cb), self, 0);
  g_signal_connect_object (self->guard, "failed", G_CALLBACK (guard_failed_cb), self, 0);

  self->timer_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_timeout_cb, self);
  reload_list (self);
  fest_security_guard_restore (self->guard);
  return self;
}

GtkListBox *
fest_security_assigned_get_list (FestSecurityAssigned *self)
{
  g_return_val_if_fail (FEST_IS_SECURITY_ASSIGNED (self), NULL);
  return self->list;
}

GtkWindow *
fest_security_assigned_get_dialog (FestSecurityAssigned *self)
{
  g_return_val_if_fail (FEST_IS_SECURITY_ASSIGNED (self), NULL);
  return self->dialog;
}

GtkTextView *
fest_security_assigned_get_notes (FestSecurityAssigned *self)
{
  g_return_val_if_fail (FEST_IS_SECURITY_ASSIGNED (self), NULL);
  return self->notes;
}
