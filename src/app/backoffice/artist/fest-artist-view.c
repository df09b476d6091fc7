/* fest-artist-view.c: an artist's own view: their slots, rider and guest list
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-artist-qr.h"
#include "fest-artist-rows.h"
#include "fest-artist-view.h"
#include "fest-error.h"
#include "fest-page-util.h"
#include "fest-qr-dialog.h"

struct _FestArtistView
{
  FestPage             parent_instance;

  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_status;
  GtkLabel            *name_label;
  GtkLabel            *type_label;
  GtkListBox          *slots_list;
  GtkButton           *save_rider_button;
  GtkTextView         *technical_view;
  GtkTextView         *hospitality_view;
  AdwPreferencesGroup *guests_group;
  GtkListBox          *guests_list;
  AdwEntryRow         *guest_name_row;
  AdwEntryRow         *guest_email_row;
  GtkButton           *add_guest_button;

  GCancellable        *cancellable;
  JsonObject          *artist;   /* GET /me/artist's data */
  JsonArray           *guests;   /* GET /me/artist/guests */
  guint                busy;     /* mutations waiting for the server */
};

G_DEFINE_FINAL_TYPE (FestArtistView, fest_artist_view, FEST_TYPE_PAGE)

static void load_artist (FestArtistView *self);

/* Helpers */

static FestClient *
view_client (FestArtistView *self)
{
  return fest_page_get_client (FEST_PAGE (self));
}

static void
update_actions (FestArtistView *self)
{
  gboolean content = fest_page_get_state (FEST_PAGE (self)) == FEST_PAGE_STATE_CONTENT;
  gboolean idle = self->busy == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "artist.save-rider", content && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "artist.add-guest", content && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "artist.remove-guest", content && idle);
}

static void
set_state (FestArtistView *self,
           FestPageState   state)
{
  fest_page_set_state (FEST_PAGE (self), state);
  update_actions (self);
}

static void
set_busy (FestArtistView *self,
          gboolean        busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  update_actions (self);
}

/* The festival's time zone: slots are told in the festival's local time, wherever the artist
 * reads them from. */
static GTimeZone *
festival_zone (FestArtistView *self)
{
  const char *identifier = fest_page_json_string (fest_page_get_festival (FEST_PAGE (self)),
                                                  "timezone");
  GTimeZone *zone = identifier != NULL ? g_time_zone_new_identifier (identifier) : NULL;

  return zone != NULL ? zone : g_time_zone_new_local ();
}

static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
fill_slots (FestArtistView *self)
{
  g_autoptr(GTimeZone) zone = festival_zone (self);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  JsonArray *slots = NULL;

  clear_list (self->slots_list);
  if (json_object_has_member (self->artist, "slots")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (self->artist, "slots")))
    slots = json_object_get_array_member (self->artist, "slots");

  for (guint i = 0; slots != NULL && i < json_array_get_length (slots); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (slots, i)))
      g_ptr_array_add (sorted, json_array_get_object_element (slots, i));
  g_ptr_array_sort (sorted, fest_artist_compare_slots);

  for (guint i = 0; i < sorted->len; i++)
    gtk_list_box_append (self->slots_list,
                         fest_artist_slot_row_new (g_ptr_array_index (sorted, i), zone));
}

static char *
rider_text (JsonObject *artist,
            const char *member)
{
  JsonNode *node = json_object_has_member (artist, "rider")
                   ? json_object_get_member (artist, "rider") : NULL;
  const char *text = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    text = fest_page_json_string (json_node_get_object (node), member);
  return g_strdup (text != NULL ? text : "");
}

static void
fill_rider_view (GtkTextView *view,
                 const char  *text,
                 gboolean     force)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);

  /* A reload (after adding a guest, say) must not throw away what the artist is typing. */
  if (!force && gtk_text_buffer_get_modified (buffer))
    return;
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_set_modified (buffer, FALSE);
}

static void
fill_rider (FestArtistView *self,
            gboolean        force)
{
  g_autofree char *technical = rider_text (self->artist, "technical");
  g_autofree char *hospitality = rider_text (self->artist, "hospitality");

  fill_rider_view (self->technical_view, technical, force);
  fill_rider_view (self->hospitality_view, hospitality, force);
}

static guint
count_active_guests (FestArtistView *self)
{
  guint n = 0;

  for (guint i = 0; self->guests != NULL && i < json_array_get_length (self->guests); i++)
    {
      JsonObject *guest = json_array_get_object_element (self->guests, i);

      if (guest != NULL && g_strcmp0 (fest_page_json_string (guest, "status"), "CANCELLED") != 0)
        n++;
    }
  return n;
}

static void
fill_quota (FestArtistView *self)
{
  gint64 quota = fest_page_json_int (self->artist, "guest_quota", 0);
  /* Counted from the guest list rather than the artist's guests_used: the list is what the
   * artist sees, and both come from the same reload. */
  gint64 used = count_active_guests (self);
  g_autofree char *text = NULL;

  if (quota <= 0)
    text = g_strdup (_("You have no guest places. Ask the organisers if you need some."));
  else
    /* TRANSLATORS: "3 of 5 guest places used · 2 left" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %d guest place used · %d left",
                                         "%d of %d guest places used · %d left", (gulong) quota),
                            (int) used, (int) quota, (int) MAX (quota - used, 0));
  adw_preferences_group_set_description (self->guests_group, text);
}

static void
fill_guests (FestArtistView *self)
{
  clear_list (self->guests_list);

  for (guint i = 0; self->guests != NULL && i < json_array_get_length (self->guests); i++)
    {
      JsonNode *node = json_array_get_element (self->guests, i);
      GtkWidget *row = JSON_NODE_HOLDS_OBJECT (node)
                       ? fest_artist_guest_row_new (json_node_get_object (node)) : NULL;

      if (row != NULL)
        gtk_list_box_append (self->guests_list, row);
    }

  fill_quota (self);
}

static void
fill_artist (FestArtistView *self)
{
  const char *name = fest_page_json_string (self->artist, "name");

  gtk_label_set_text (self->name_label, name != NULL ? name : "");
  gtk_label_set_text (self->type_label,
                      fest_artist_type_label (fest_page_json_string (self->artist, "type")));
  fill_slots (self);
  fill_rider (self, FALSE);
}

static JsonObject *
find_guest (FestArtistView *self,
            const char     *id)
{
  for (guint i = 0; self->guests != NULL && i < json_array_get_length (self->guests); i++)
    {
      JsonObject *guest = json_array_get_object_element (self->guests, i);

      if (guest != NULL && g_strcmp0 (fest_page_json_string (guest, "id"), id) == 0)
        return guest;
    }
  return NULL;
}

static char *
text_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* A refusal (the quota, a guest who already came in) goes before the toasts queued by earlier
 * successes: it answers what the artist just did. */
static void
show_refusal (FestArtistView *self,
              const char     *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_message ("%s", message);
      return;
    }
  toast = adw_toast_new (message);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* Callbacks */

static void
guests_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FestArtistView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      if (error == NULL)
        g_set_error_literal (&error, FEST_ERROR, FEST_ERROR_INTERNAL,
                             _("The server sent something unexpected"));
      fest_page_show_error (FEST_PAGE (self), error);
      update_actions (self);
      return;
    }

  g_clear_pointer (&self->guests, json_array_unref);
  self->guests = json_node_dup_array (node);
  fill_artist (self);
  fill_guests (self);
  set_state (self, FEST_PAGE_STATE_CONTENT);
}

static void
artist_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FestArtistView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, FEST_ERROR, FEST_ERROR_NOT_FOUND))
    {
      /* The organisers have not linked this account to an artist (yet). */
      g_clear_pointer (&self->artist, json_object_unref);
      set_state (self, FEST_PAGE_STATE_EMPTY);
      return;
    }
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      if (error == NULL)
        g_set_error_literal (&error, FEST_ERROR, FEST_ERROR_INTERNAL,
                             _("The server sent something unexpected"));
      fest_page_show_error (FEST_PAGE (self), error);
      update_actions (self);
      return;
    }

  g_clear_pointer (&self->artist, json_object_unref);
  self->artist = json_node_dup_object (node);
  fest_client_request_async (view_client (self), "GET", "/me/artist/guests", NULL, NULL,
                             self->cancellable, guests_loaded_cb, g_object_ref (self));
}

static void
rider_saved (GtkWidget *widget,
             JsonNode  *data)
{
  FestArtistView *self = FEST_ARTIST_VIEW (widget);

  set_busy (self, FALSE);

  /* Keep the list of slots the artist object came with: PATCH answers the artist only. */
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data) && self->artist != NULL)
    {
      JsonObject *saved = json_node_get_object (data);

      if (json_object_has_member (saved, "rider"))
        json_object_set_member (self->artist, "rider",
                                json_node_copy (json_object_get_member (saved, "rider")));
    }
  gtk_text_buffer_set_modified (gtk_text_view_get_buffer (self->technical_view), FALSE);
  gtk_text_buffer_set_modified (gtk_text_view_get_buffer (self->hospitality_view), FALSE);
}

/* fest_page_send's @done is called on success only: the busy count is dropped in both cases by
 * a callback of our own. */
typedef struct
{
  FestArtistView   *self;
  FestPageDoneFunc  done;
  char             *success;
} Mutation;

static void
mutation_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Mutation *mutation = user_data;
  g_autoptr(FestArtistView) self = mutation->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (node == NULL && error != NULL)
    {
      g_autofree char *text = fest_page_error_text (error);

      set_busy (self, FALSE);
      show_refusal (self, text);
    }
  else
    {
      if (mutation->success != NULL)
        fest_page_toast (GTK_WIDGET (self), mutation->success);
      mutation->done (GTK_WIDGET (self), node);
    }

  g_free (mutation->success);
  g_free (mutation);
}

/* Sends a change; on success toasts @success and calls @done (which drops the busy count), on
 * failure toasts the server's message. Never the view's cancellable: a reload must not abandon
 * a change half-way. */
static void
send_mutation (FestArtistView   *self,
               const char       *method,
               const char       *path,
               JsonNode         *body,
               const char       *success,
               FestPageDoneFunc  done)
{
  Mutation *mutation = g_new0 (Mutation, 1);

  mutation->self = g_object_ref (self);
  mutation->done = done;
  mutation->success = g_strdup (success);
  set_busy (self, TRUE);
  fest_client_request_async (view_client (self), method, path, body, NULL, NULL, mutation_cb,
                             mutation);
}

static void
guests_changed (GtkWidget *widget,
                JsonNode  *data)
{
  FestArtistView *self = FEST_ARTIST_VIEW (widget);

  set_busy (self, FALSE);
  load_artist (self);
}

static void
guest_added (GtkWidget *widget,
             JsonNode  *data)
{
  FestArtistView *self = FEST_ARTIST_VIEW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->guest_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->guest_email_row), "");
  guests_changed (widget, data);
  gtk_widget_grab_focus (GTK_WIDGET (self->guest_name_row));
}

static void
remove_confirmed_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     FestArtistView   *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "guest-id");
  g_autofree char *path = NULL;

  g_return_if_fail (id != NULL);
  path = g_strdup_printf ("/me/artist/guests/%s", id);
  send_mutation (self, "DELETE", path, NULL, _("Guest removed"), guests_changed);
}

static void
export_response_cb (GtkNativeDialog *native,
                    int              response,
                    FestArtistView  *self)
{
  const char *guest_id = g_object_get_data (G_OBJECT (native), "guest-id");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

  if (file != NULL)
    {
      if (fest_artist_view_export_guest_qr (self, guest_id, file, &error))
        fest_page_toast (GTK_WIDGET (self), _("QR code exported"));
      else
        show_refusal (self, error->message);
    }

  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

/* Enter in the name goes on to the email while it is empty; Enter in the email adds. */
static void
guest_name_activated_cb (FestArtistView *self)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->guest_email_row)), "") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->guest_email_row));
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "artist.add-guest", NULL);
}

static void
guest_email_activated_cb (FestArtistView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "artist.add-guest", NULL);
}

static void
map_cb (FestArtistView *self)
{
  fest_page_reload (FEST_PAGE (self));
}

/* Actions */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  fest_page_reload (FEST_PAGE (widget));
}

static void
save_rider_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FestArtistView *self = FEST_ARTIST_VIEW (widget);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *technical = text_view_text (self->technical_view);
  g_autofree char *hospitality = text_view_text (self->hospitality_view);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rider");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "technical");
  json_builder_add_string_value (builder, technical);
  json_builder_set_member_name (builder, "hospitality");
  json_builder_add_string_value (builder, hospitality);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  send_mutation (self, "PATCH", "/me/artist", body, _("Rider saved"), rider_saved);
}

static void
add_guest_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FestArtistView *self = FEST_ARTIST_VIEW (widget);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->guest_name_row))));
  g_autofree char *email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->guest_email_row))));
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  if (name[0] == '\0')
    {
      show_refusal (self, _("Enter the guest’s name"));
      gtk_widget_grab_focus (GTK_WIDGET (self->guest_name_row));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  if (email[0] != '\0')
    {
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, email);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  /* No toast on success: the guest appears in the list and the fields are emptied. */
  send_mutation (self, "POST", "/me/artist/guests", body, NULL, guest_added);
}

static void
remove_guest_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FestArtistView *self = FEST_ARTIST_VIEW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  JsonObject *guest = find_guest (self, id);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (guest == NULL)
    return;

  /* TRANSLATORS: %s is a guest's name */
  body = g_strdup_printf (_("%s’s ticket will be cancelled and will no longer open the gates."),
                          fest_page_json_string (guest, "name"));
  dialog = fest_page_confirm (widget, _("Remove the Guest?"), body, _("_Remove"));
  g_object_set_data_full (G_OBJECT (dialog), "guest-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response::confirm", G_CALLBACK (remove_confirmed_cb), self, 0);
}

static void
show_qr_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FestArtistView *self = FEST_ARTIST_VIEW (widget);
  JsonObject *guest = find_guest (self, g_variant_get_string (parameter, NULL));
  const char *qr_code = fest_page_json_string (guest, "qr_code");
  FestQrDialog *dialog;

  if (guest == NULL || qr_code == NULL)
    return;

  dialog = fest_qr_dialog_new (widget, _("Guest Ticket"), fest_page_json_string (guest, "name"),
                               qr_code);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_qr_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FestArtistView *self = FEST_ARTIST_VIEW (widget);
  JsonObject *guest = find_guest (self, g_variant_get_string (parameter, NULL));
  const char *qr_code = fest_page_json_string (guest, "qr_code");
  g_autofree char *file_name = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *native;

  if (guest == NULL || qr_code == NULL)
    return;

  native = gtk_file_chooser_native_new (_("Export the QR Code"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  file_name = fest_artist_qr_file_name (fest_page_json_string (guest, "name"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), file_name);
  g_object_set_data_full (G_OBJECT (native), "guest-id",
                          g_strdup (g_variant_get_string (parameter, NULL)), g_free);
  /* The dialog holds itself until its answer (export_response_cb drops it). */
  g_signal_connect_object (native, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* Overrides */

static void
fest_artist_view_real_reload (FestPage *page)
{
  FestArtistView *self = FEST_ARTIST_VIEW (page);

  load_artist (self);
}

static void
fest_artist_view_festival_changed (FestPage   *page,
                                   JsonObject *festival)
{
  FestArtistView *self = FEST_ARTIST_VIEW (page);

  /* The time zone may have changed: the slots' times with it. */
  if (self->artist != NULL)
    fill_slots (self);
}

static void
fest_artist_view_dispose (GObject *object)
{
  FestArtistView *self = FEST_ARTIST_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_ARTIST_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (fest_artist_view_parent_class)->dispose (object);
}

static void
fest_artist_view_finalize (GObject *object)
{
  FestArtistView *self = FEST_ARTIST_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->artist, json_object_unref);
  g_clear_pointer (&self->guests, json_array_unref);

  G_OBJECT_CLASS (fest_artist_view_parent_class)->finalize (object);
}

static void
fest_artist_view_class_init (FestArtistViewClass *klass)
{
  FestPageClass *page_class = FEST_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  page_class->reload = fest_artist_view_real_reload;
  page_class->festival_changed = fest_artist_view_festival_changed;
  object_class->dispose = fest_artist_view_dispose;
  object_class->finalize = fest_artist_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/artist/fest-artist-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, stack);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, spinner);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, error_status);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, name_label);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, type_label);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, slots_list);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, save_rider_button);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, technical_view);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, hospitality_view);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, guests_group);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, guests_list);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, guest_name_row);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, guest_email_row);
  gtk_widget_class_bind_template_child (widget_class, FestArtistView, add_guest_button);
  gtk_widget_class_bind_template_callback (widget_class, guest_name_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, guest_email_activated_cb);

  gtk_widget_class_install_action (widget_class, "artist.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "artist.save-rider", NULL, save_rider_action);
  gtk_widget_class_install_action (widget_class, "artist.add-guest", NULL, add_guest_action);
  gtk_widget_class_install_action (widget_class, "artist.remove-guest", "s",
                                   remove_guest_action);
  gtk_widget_class_install_action (widget_class, "artist.show-qr", "s", show_qr_action);
  gtk_widget_class_install_action (widget_class, "artist.export-qr", "s", export_qr_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "artist.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "artist.save-rider", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fest_artist_view_init (FestArtistView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fest_page_set_state_widgets (FEST_PAGE (self), self->stack, self->spinner, self->error_status);
  set_state (self, FEST_PAGE_STATE_LOADING);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
}

static void
load_artist (FestArtistView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (fest_page_get_state (FEST_PAGE (self)) != FEST_PAGE_STATE_CONTENT)
    set_state (self, FEST_PAGE_STATE_LOADING);
  fest_client_request_async (view_client (self), "GET", "/me/artist", NULL, NULL,
                             self->cancellable, artist_loaded_cb, g_object_ref (self));
}

/* Public API */

GtkWidget *
fest_artist_view_new (FestClient *client)
{
  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);

  return g_object_new (FEST_TYPE_ARTIST_VIEW, "client", client, NULL);
}

const char *
fest_artist_view_get_state (FestArtistView *self)
{
  g_return_val_if_fail (FEST_IS_ARTIST_VIEW (self), NULL);

  return fest_page_get_state_name (FEST_PAGE (self));
}

JsonObject *
fest_artist_view_get_artist (FestArtistView *self)
{
  g_return_val_if_fail (FEST_IS_ARTIST_VIEW (self), NULL);

  return self->artist;
}

JsonArray *
fest_artist_view_get_guests (FestArtistView *self)
{
  g_return_val_if_fail (FEST_IS_ARTIST_VIEW (self), NULL);

  return self->guests;
}

gboolean
fest_artist_view_get_busy (FestArtistView *self)
{
  g_return_val_if_fail (FEST_IS_ARTIST_VIEW (self), FALSE);

  return self->busy > 0;
}

gboolean
fest_artist_view_export_guest_qr (FestArtistView  *self,
                                  const char      *guest_id,
                                  GFile           *file,
                                  GError         **error)
{
  const char *qr_code;

  g_return_val_if_fail (FEST_IS_ARTIST_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  qr_code = fest_page_json_string (find_guest (self, guest_id), "qr_code");
  if (qr_code == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("This guest is no longer on your list"));
      return FALSE;
    }
  return fest_artist_qr_write_png (qr_code, file, error);
}
