/* fest-tickets-page.c: the Tickets page (ticket types, issued tickets, QR codes)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ticket types on top, issued tickets below. Tickets come a page at a time ("Load More", from
 * meta.total); the status drop-down asks the server (?status=), the search entry filters the
 * loaded tickets by holder. Issuing a ticket shows its QR code as the server renders it
 * (GET /tickets/{id}/qr.png) with the QR text to copy.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-form-dialog.h"
#include "fest-gates-section.h"
#include "fest-ticket-type.h"
#include "fest-ticket.h"
#include "fest-tickets-dialogs.h"
#include "fest-page-util.h"
#include "fest-qr-dialog.h"
#include "fest-tickets-page.h"

#define TICKETS_PER_PAGE 100

struct _FestTicketsPage
{
  FestPage            parent_instance;

  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_status;
  GtkColumnView      *types_view;
  GtkColumnView      *tickets_view;
  GtkLabel           *tickets_title;
  GtkStack           *tickets_stack;
  GtkDropDown        *status_dropdown;
  GtkButton          *more_button;
  FestGatesSection   *gates_section;

  GCancellable       *cancellable;
  char               *currency;
  JsonObject         *festival;

  GListStore         *types;
  GListStore         *tickets;
  GtkFilter          *ticket_filter;
  GtkSingleSelection *type_selection;
  GtkSingleSelection *ticket_selection;
  GtkFilterListModel *visible_tickets;

  char               *search;
  gint64              tickets_total;
  guint               tickets_page;
  gboolean            loading_more;
};

G_DEFINE_FINAL_TYPE (FestTicketsPage, fest_tickets_page, FEST_TYPE_PAGE)

static void fest_tickets_page_real_reload (FestPage *page);
static void fest_tickets_page_real_stream_changed (FestPage        *page,
                                                   FestEventStream *stream);

static inline FestClient *
page_client (FestTicketsPage *self)
{
  return fest_page_get_client (FEST_PAGE (self));
}

static inline FestPageState
page_state (FestTicketsPage *self)
{
  return fest_page_get_state (FEST_PAGE (self));
}

/* In the order of the status drop-down. */
static const char * const statuses[] = { NULL, "VALID", "USED", "CANCELLED" };

static void load_tickets (FestTicketsPage *self,
                          gboolean         more);

static void
set_state (FestTicketsPage *self,
           FestPageState    state)
{
  fest_page_set_state (FEST_PAGE (self), state);
}

static FestTicket *
get_selected_ticket (FestTicketsPage *self)
{
  return gtk_single_selection_get_selected_item (self->ticket_selection);
}

static void
update_actions (FestTicketsPage *self)
{
  FestTicket *ticket = get_selected_ticket (self);
  FestPageState state = page_state (self);
  gboolean loaded = state == FEST_PAGE_STATE_CONTENT || state == FEST_PAGE_STATE_EMPTY;
  guint n_loaded = g_list_model_get_n_items (G_LIST_MODEL (self->tickets));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tickets.new-type", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tickets.issue",
                                 loaded && g_list_model_get_n_items (G_LIST_MODEL (self->types)) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tickets.show-qr", ticket != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tickets.cancel-ticket",
                                 ticket != NULL
                                 && g_strcmp0 (fest_ticket_get_status (ticket), "VALID") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tickets.load-more",
                                 !self->loading_more && self->tickets_total > (gint64) n_loaded);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), self->tickets_total > (gint64) n_loaded);
}

static void
update_tickets_header (FestTicketsPage *self)
{
  guint n_loaded = g_list_model_get_n_items (G_LIST_MODEL (self->tickets));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->visible_tickets));
  g_autofree char *title = NULL;

  if (self->tickets_total > (gint64) n_loaded)
    {
      g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT, self->tickets_total);

      /* Translators: "Tickets (100 of 2500 loaded)" */
      title = g_strdup_printf (_("Tickets (%u of %s loaded)"), n_loaded, total);
    }
  else
    {
      /* Translators: the number of tickets shown */
      title = g_strdup_printf (ngettext ("%u Ticket", "%u Tickets", n_shown), n_shown);
    }

  gtk_label_set_text (self->tickets_title, title);
  gtk_stack_set_visible_child_name (self->tickets_stack, n_shown > 0 ? "list" : "empty");
  update_actions (self);
}

static gboolean
ticket_filter_func (gpointer item,
                    gpointer user_data)
{
  FestTicketsPage *self = user_data;
  FestTicket *ticket = item;
  const char *fields[] = {
    fest_ticket_get_holder_name (ticket),
    fest_ticket_get_holder_email (ticket),
  };

  if (self->search == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *folded = NULL;

      if (fields[i] == NULL)
        continue;
      folded = g_utf8_casefold (fields[i], -1);
      if (strstr (folded, self->search) != NULL)
        return TRUE;
    }

  return FALSE;
}

static const char *
type_name_for (FestTicketsPage *self,
               const char      *type_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->types));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FestTicketType) type = g_list_model_get_item (G_LIST_MODEL (self->types), i);

      if (g_strcmp0 (fest_ticket_type_get_id (type), type_id) == 0)
        return fest_ticket_type_get_name (type);
    }

  return NULL;
}

static void
show_load_error (FestTicketsPage *self,
                 const GError    *error)
{
  fest_page_show_error (FEST_PAGE (self), error);
  update_actions (self);
}

static void
tickets_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FestTicketsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean more = self->loading_more;
  gint64 total = -1;
  JsonArray *items;

  node = fest_client_request_finish (FEST_CLIENT (source), result, &total, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading_more = FALSE;
  if (node == NULL)
    {
      if (more)
        {
          fest_page_toast_error (GTK_WIDGET (self), error);
          update_actions (self);
        }
      else
        {
          show_load_error (self, error);
        }
      return;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autoptr(GError) bad = g_error_new (FEST_ERROR, FEST_ERROR_INTERNAL,
                                           _("The server sent an unexpected answer."));
      show_load_error (self, bad);
      return;
    }

  items = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *element = json_array_get_element (items, i);
      FestTicket *ticket;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      ticket = fest_ticket_new_from_json (json_node_get_object (element));
      fest_ticket_set_type_name (ticket, type_name_for (self, fest_ticket_get_ticket_type_id (ticket)));
      g_ptr_array_add (tickets, ticket);
    }

  if (more)
    g_list_store_splice (self->tickets, g_list_model_get_n_items (G_LIST_MODEL (self->tickets)), 0,
                         tickets->pdata, tickets->len);
  else
    g_list_store_splice (self->tickets, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tickets)),
                         tickets->pdata, tickets->len);

  self->tickets_total = total >= 0 ? total : g_list_model_get_n_items (G_LIST_MODEL (self->tickets));

  set_state (self, g_list_model_get_n_items (G_LIST_MODEL (self->types)) > 0
                   || g_list_model_get_n_items (G_LIST_MODEL (self->tickets)) > 0
                   ? FEST_PAGE_STATE_CONTENT : FEST_PAGE_STATE_EMPTY);
  update_tickets_header (self);
}

static void
load_tickets (FestTicketsPage *self,
              gboolean         more)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);
  g_autoptr(GString) path = g_string_new ("/tickets?");

  if (more)
    self->tickets_page++;
  else
    self->tickets_page = 1;
  self->loading_more = more;

  if (selected < G_N_ELEMENTS (statuses) && statuses[selected] != NULL)
    g_string_append_printf (path, "status=%s&", statuses[selected]);
  g_string_append_printf (path, "page=%u&per_page=%u", self->tickets_page, TICKETS_PER_PAGE);

  update_actions (self);
  fest_client_request_async (page_client (self), "GET", path->str, NULL, NULL, self->cancellable,
                             tickets_loaded_cb, g_object_ref (self));
}

static void
types_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FestTicketsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_object_unref);

  items = fest_page_fetch_all_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (items == NULL)
    {
      show_load_error (self, error);
      return;
    }

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (types, fest_ticket_type_new_from_json (json_node_get_object (node),
                                                                self->currency));
    }

  g_list_store_splice (self->types, 0, g_list_model_get_n_items (G_LIST_MODEL (self->types)),
                       types->pdata, types->len);

  load_tickets (self, FALSE);
}

static void
festival_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FestTicketsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fest_page_take_festival (result, &self->festival, &self->currency, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_load_error (self, error);
      return;
    }

  /* Gates are where the tickets are scanned: listed beside them. */
  fest_gates_section_load (self->gates_section, page_client (self), self->festival);
  fest_page_fetch_all_async (page_client (self),
                             "/ticket-types", self->cancellable, types_loaded_cb,
                             g_object_ref (self));
}

static void
search_changed_cb (FestTicketsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_clear_pointer (&self->search, g_free);
  if (text != NULL && *text != '\0')
    self->search = g_utf8_casefold (text, -1);

  gtk_filter_changed (self->ticket_filter, GTK_FILTER_CHANGE_DIFFERENT);
  if (page_state (self) == FEST_PAGE_STATE_CONTENT)
    update_tickets_header (self);
}

static void
status_changed_cb (FestTicketsPage *self)
{
  if (page_client (self) != NULL && page_state (self) == FEST_PAGE_STATE_CONTENT)
    load_tickets (self, FALSE);
}

static void
show_ticket_qr (FestTicketsPage *self,
                const char      *ticket_id,
                const char      *qr_code,
                const char      *holder);

static void
qr_png_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FestQrDialog) dialog = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  bytes = fest_client_get_bytes_finish (FEST_CLIENT (source), result, NULL, &error);
  if (bytes != NULL)
    texture = gdk_texture_new_from_bytes (bytes, &error);

  if (texture == NULL)
    {
      g_autofree char *text = fest_page_error_text (error);

      fest_qr_dialog_set_error (dialog, text);
      return;
    }

  fest_qr_dialog_set_texture (dialog, texture);
}

static void
show_ticket_qr (FestTicketsPage *self,
                const char      *ticket_id,
                const char      *qr_code,
                const char      *holder)
{
  FestQrDialog *dialog;
  g_autofree char *path = g_strdup_printf ("/tickets/%s/qr.png", ticket_id);
  g_autofree char *description = NULL;

  if (holder != NULL && *holder != '\0')
    description = g_strdup_printf (_("Ticket for %s. Send this code to the attendee: the gates scan it."),
                                   holder);
  else
    description = g_strdup (_("Send this code to the attendee: the gates scan it."));

  dialog = fest_qr_dialog_new (GTK_WIDGET (self), _("Ticket"), description,
                               qr_code != NULL ? qr_code : "");
  /* The server's rendering is the reference: show it, not our local one. */
  fest_qr_dialog_set_loading (dialog);
  fest_client_get_bytes_async (page_client (self), path, NULL, qr_png_cb, g_object_ref (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
issued_cb (FestFormDialog *dialog,
           JsonNode       *data,
           gpointer        user_data)
{
  FestTicketsPage *self = user_data;

  fest_page_toast (GTK_WIDGET (self), _("Ticket issued"));
  if (JSON_NODE_HOLDS_OBJECT (data))
    {
      JsonObject *ticket = json_node_get_object (data);
      const char *id = fest_page_json_string (ticket, "id");

      if (id != NULL)
        show_ticket_qr (self, id, fest_page_json_string (ticket, "qr_code"),
                        fest_page_json_string (ticket, "holder_name"));
    }

  fest_tickets_page_reload (self);
}

static void
type_saved_cb (FestFormDialog *dialog,
               JsonNode       *data,
               gpointer        user_data)
{
  FestTicketsPage *self = user_data;

  fest_page_toast (GTK_WIDGET (self), _("Ticket type added"));
  fest_tickets_page_reload (self);
}

static void
new_type_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FestTicketsPage *self = FEST_TICKETS_PAGE (widget);
  FestFormDialog *dialog = fest_ticket_type_dialog_new (GTK_WIDGET (self), page_client (self),
                                                        self->festival, self->currency);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (type_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
issue_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FestTicketsPage *self = FEST_TICKETS_PAGE (widget);
  FestTicketType *selected = gtk_single_selection_get_selected_item (self->type_selection);
  FestFormDialog *dialog = fest_issue_ticket_dialog_new (GTK_WIDGET (self), page_client (self),
                                                         G_LIST_MODEL (self->types), selected);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (issued_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_qr_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FestTicketsPage *self = FEST_TICKETS_PAGE (widget);
  FestTicket *ticket = get_selected_ticket (self);

  if (ticket != NULL)
    show_ticket_qr (self, fest_ticket_get_id (ticket), fest_ticket_get_qr_code (ticket),
                    fest_ticket_get_holder_name (ticket));
}

static void
cancelled_cb (GtkWidget *page,
              JsonNode  *data)
{
  fest_tickets_page_reload (FEST_TICKETS_PAGE (page));
}

static void
cancel_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  FestTicketsPage *self = user_data;
  const char *path = g_object_get_data (G_OBJECT (dialog), "fest-path");

  fest_page_send (GTK_WIDGET (self), page_client (self), NULL, "POST", path, NULL,
                  _("Ticket cancelled"), cancelled_cb);
}

static void
cancel_ticket_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FestTicketsPage *self = FEST_TICKETS_PAGE (widget);
  FestTicket *ticket = get_selected_ticket (self);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (ticket == NULL)
    return;

  heading = g_strdup_printf (_("Cancel the ticket of %s?"),
                             fest_ticket_get_holder_name (ticket) != NULL
                             ? fest_ticket_get_holder_name (ticket) : _("this holder"));
  dialog = fest_page_confirm (GTK_WIDGET (self), heading,
                              _("The gates will refuse it, online and offline once synced. This cannot be undone."),
                              _("Cancel _Ticket"));
  adw_message_dialog_set_response_label (dialog, "cancel", _("_Keep"));
  g_object_set_data_full (G_OBJECT (dialog), "fest-path",
                          g_strdup_printf ("/tickets/%s/cancel", fest_ticket_get_id (ticket)), g_free);
  g_signal_connect_object (dialog, "response::confirm", G_CALLBACK (cancel_response_cb), self, 0);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  fest_tickets_page_reload (FEST_TICKETS_PAGE (widget));
}

static void
load_more_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FestTicketsPage *self = FEST_TICKETS_PAGE (widget);

  if (!self->loading_more)
    load_tickets (self, TRUE);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (FEST_TICKETS_PAGE (widget)->search_entry));
}

static void
ticket_activate_cb (FestTicketsPage *self,
                    guint            position)
{
  gtk_single_selection_set_selected (self->ticket_selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "tickets.show-qr", NULL);
}

static void
fest_tickets_page_dispose (GObject *object)
{
  FestTicketsPage *self = FEST_TICKETS_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_TICKETS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->type_selection);
  g_clear_object (&self->ticket_selection);
  g_clear_object (&self->ticket_filter);
  g_clear_object (&self->types);
  g_clear_object (&self->tickets);
  g_clear_pointer (&self->festival, json_object_unref);

  G_OBJECT_CLASS (fest_tickets_page_parent_class)->dispose (object);
}

static void
fest_tickets_page_finalize (GObject *object)
{
  FestTicketsPage *self = FEST_TICKETS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->currency);
  g_free (self->search);

  G_OBJECT_CLASS (fest_tickets_page_parent_class)->finalize (object);
}

static void
fest_tickets_page_class_init (FestTicketsPageClass *klass)
{
  FestPageClass *page_class = FEST_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  page_class->reload = fest_tickets_page_real_reload;
  page_class->stream_changed = fest_tickets_page_real_stream_changed;
  object_class->dispose = fest_tickets_page_dispose;
  object_class->finalize = fest_tickets_page_finalize;

  g_type_ensure (FEST_TYPE_TICKET_TYPE);
  g_type_ensure (FEST_TYPE_TICKET);
  g_type_ensure (FEST_TYPE_GATES_SECTION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/tickets/fest-tickets-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestTicketsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FestTicketsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FestTicketsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FestTicketsPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, FestTicketsPage, types_view);
  gtk_widget_class_bind_template_child (widget_class, FestTicketsPage, tickets_view);
  gtk_widget_class_bind_template_child (widget_class, FestTicketsPage, tickets_title);
  gtk_widget_class_bind_template_child (widget_class, FestTicketsPage, tickets_stack);
  gtk_widget_class_bind_template_child (widget_class, FestTicketsPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FestTicketsPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, FestTicketsPage, gates_section);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "tickets.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "tickets.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "tickets.new-type", NULL, new_type_action);
  gtk_widget_class_install_action (widget_class, "tickets.issue", NULL, issue_action);
  gtk_widget_class_install_action (widget_class, "tickets.show-qr", NULL, show_qr_action);
  gtk_widget_class_install_action (widget_class, "tickets.cancel-ticket", NULL,
                                   cancel_ticket_action);
  gtk_widget_class_install_action (widget_class, "tickets.load-more", NULL, load_more_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "tickets.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "tickets.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "tickets.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "tickets.issue", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "tickets.new-type", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "tickets.show-qr", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "tickets.cancel-ticket", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fest_tickets_page_init (FestTicketsPage *self)
{
  GtkSortListModel *sorted;
  GtkFilterListModel *filtered;

  gtk_widget_init_template (GTK_WIDGET (self));
  fest_page_set_state_widgets (FEST_PAGE (self), self->stack, self->spinner, self->error_status);

  self->cancellable = g_cancellable_new ();
  self->types = g_list_store_new (FEST_TYPE_TICKET_TYPE);
  self->tickets = g_list_store_new (FEST_TYPE_TICKET);
  self->ticket_filter = GTK_FILTER (gtk_custom_filter_new (ticket_filter_func, self, NULL));

  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->types)),
                                    g_object_ref (gtk_column_view_get_sorter (self->types_view)));
  self->type_selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->types_view, GTK_SELECTION_MODEL (self->type_selection));

  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->tickets)),
                                        g_object_ref (self->ticket_filter));
  self->visible_tickets = filtered;
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                    g_object_ref (gtk_column_view_get_sorter (self->tickets_view)));
  self->ticket_selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->tickets_view, GTK_SELECTION_MODEL (self->ticket_selection));

  g_signal_connect_object (self->ticket_selection, "notify::selected-item",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tickets_view, "activate",
                           G_CALLBACK (ticket_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->status_dropdown, "notify::selected",
                           G_CALLBACK (status_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  set_state (self, FEST_PAGE_STATE_LOADING);
  update_actions (self);
}

GtkWidget *
fest_tickets_page_new (FestClient *client)
{
  FestTicketsPage *self;

  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);

  self = g_object_new (FEST_TYPE_TICKETS_PAGE, "client", client, NULL);

  return GTK_WIDGET (self);
}

static void
fest_tickets_page_real_reload (FestPage *page)
{
  FestTicketsPage *self = FEST_TICKETS_PAGE (page);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading_more = FALSE;

  if (page_state (self) != FEST_PAGE_STATE_CONTENT)
    set_state (self, FEST_PAGE_STATE_LOADING);

  fest_page_fetch_festival_async (page_client (self), self->cancellable, festival_cb,
                                  g_object_ref (self));
}

static void
fest_tickets_page_real_stream_changed (FestPage        *page,
                                       FestEventStream *stream)
{
  FestTicketsPage *self = FEST_TICKETS_PAGE (page);

  fest_gates_section_set_event_stream (self->gates_section, stream);
}

void
fest_tickets_page_reload (FestTicketsPage *self)
{
  g_return_if_fail (FEST_IS_TICKETS_PAGE (self));

  fest_page_reload (FEST_PAGE (self));
}

const char *
fest_tickets_page_get_state (FestTicketsPage *self)
{
  g_return_val_if_fail (FEST_IS_TICKETS_PAGE (self), NULL);

  return fest_page_get_state_name (FEST_PAGE (self));
}

GListModel *
fest_tickets_page_get_types (FestTicketsPage *self)
{
  g_return_val_if_fail (FEST_IS_TICKETS_PAGE (self), NULL);

  return G_LIST_MODEL (self->types);
}

GListModel *
fest_tickets_page_get_tickets (FestTicketsPage *self)
{
  g_return_val_if_fail (FEST_IS_TICKETS_PAGE (self), NULL);

  return G_LIST_MODEL (self->tickets);
}

gboolean
fest_tickets_page_select_ticket (FestTicketsPage *self,
                                 const char      *ticket_id)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (FEST_IS_TICKETS_PAGE (self), FALSE);

  model = G_LIST_MODEL (self->ticket_selection);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FestTicket) ticket = g_list_model_get_item (model, i);

      if (g_strcmp0 (fest_ticket_get_id (ticket), ticket_id) == 0)
        {
          gtk_single_selection_set_selected (self->ticket_selection, i);
          return TRUE;
        }
    }

  return FALSE;
}

void
fest_tickets_page_set_status_filter (FestTicketsPage *self,
                                     const char      *status)
{
  g_return_if_fail (FEST_IS_TICKETS_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_strcmp0 (statuses[i], status) == 0)
      gtk_drop_down_set_selected (self->status_dropdown, i);
}

FestGatesSection *
fest_tickets_page_get_gates_section (FestTicketsPage *self)
{
  g_return_val_if_fail (FEST_IS_TICKETS_PAGE (self), NULL);

  return self->gates_section;
}
