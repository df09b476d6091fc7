/* fest-audit-page.c: the Audit page (read-only audit log, newest first)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /audit a page at a time ("Load More" until meta.total), filtered by entity type on the
 * server. The selected row's old → new values show below the list. Actors are named from the
 * team list and the devices list when this account may read them.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-audit-entry.h"
#include "fest-page-util.h"
#include "fest-audit-page.h"

#define ENTRIES_PER_PAGE 50

struct _FestAuditPage
{
  FestPage            parent_instance;

  GtkLabel           *count_label;
  GtkDropDown        *entity_dropdown;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_status;
  AdwStatusPage      *empty_status;
  GtkColumnView      *entries_view;
  GtkButton          *more_button;
  GtkLabel           *detail_title;
  GtkLabel           *changes_label;

  char               *currency;
  GCancellable       *cancellable;

  GListStore         *entries;
  GtkSingleSelection *selection;
  /* account or device id → display name */
  GHashTable         *names;

  gint64              total;
  guint               page;
  gboolean            loading_more;
};

G_DEFINE_FINAL_TYPE (FestAuditPage, fest_audit_page, FEST_TYPE_PAGE)

static void fest_audit_page_real_reload (FestPage *page);

static inline FestClient *
page_client (FestAuditPage *self)
{
  return fest_page_get_client (FEST_PAGE (self));
}

static inline FestPageState
page_state (FestAuditPage *self)
{
  return fest_page_get_state (FEST_PAGE (self));
}

/* In the order of the entity drop-down; the API's entity_type values. */
static const char * const entity_types[] = {
  NULL, "stand", "product", "ticket_type", "ticket", "member", "device", "festival", "wallet",
  "transaction", "incident",
};

static void load_entries (FestAuditPage *self,
                          gboolean       more);

static void
set_state (FestAuditPage *self,
           FestPageState  state)
{
  fest_page_set_state (FEST_PAGE (self), state);
}

static void
update_detail (FestAuditPage *self)
{
  FestAuditEntry *entry = gtk_single_selection_get_selected_item (self->selection);
  g_autofree char *title = NULL;

  if (entry == NULL)
    {
      gtk_label_set_text (self->detail_title, _("Select a row to see what changed."));
      gtk_label_set_text (self->changes_label, "");
      return;
    }

  if (fest_audit_entry_get_ip_address (entry) != NULL)
    /* Translators: "Product changed by Alice, 14/07/2026 20:30, from 192.0.2.7" */
    title = g_strdup_printf (_("%s by %s, %s, from %s"),
                             fest_audit_entry_get_action_text (entry),
                             fest_audit_entry_get_actor_name (entry),
                             fest_audit_entry_get_created_at_text (entry),
                             fest_audit_entry_get_ip_address (entry));
  else
    /* Translators: "Product changed by Alice, 14/07/2026 20:30" */
    title = g_strdup_printf (_("%s by %s, %s"),
                             fest_audit_entry_get_action_text (entry),
                             fest_audit_entry_get_actor_name (entry),
                             fest_audit_entry_get_created_at_text (entry));
  gtk_label_set_text (self->detail_title, title);
  gtk_label_set_text (self->changes_label, fest_audit_entry_get_changes (entry)[0] != '\0'
                                           ? fest_audit_entry_get_changes (entry)
                                           : _("No details were recorded."));
}

static void
update_footer (FestAuditPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT, self->total);
  g_autofree char *text = NULL;

  /* Translators: "50 of 1200 changes" */
  text = g_strdup_printf (_("%u of %s changes"), n, total);
  gtk_label_set_text (self->count_label, text);

  gtk_widget_set_visible (GTK_WIDGET (self->more_button), self->total > (gint64) n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.load-more",
                                 !self->loading_more && self->total > (gint64) n);
}

static void
show_load_error (FestAuditPage *self,
                 const GError  *error)
{
  fest_page_show_error (FEST_PAGE (self), error);
}

static void
entries_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FestAuditPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean more = self->loading_more;
  gint64 total = -1;
  JsonArray *items;

  node = fest_client_request_finish (FEST_CLIENT (source), result, &total, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading_more = FALSE;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autoptr(GError) bad = NULL;

      if (error == NULL)
        bad = g_error_new (FEST_ERROR, FEST_ERROR_INTERNAL,
                           _("The server sent an unexpected answer."));
      if (more)
        {
          fest_page_toast_error (GTK_WIDGET (self), error != NULL ? error : bad);
          update_footer (self);
        }
      else
        {
          show_load_error (self, error != NULL ? error : bad);
        }
      return;
    }

  items = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *element = json_array_get_element (items, i);
      FestAuditEntry *entry;
      const char *name = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      entry = fest_audit_entry_new_from_json (json_node_get_object (element), self->currency);
      if (fest_audit_entry_get_actor_id (entry) != NULL)
        name = g_hash_table_lookup (self->names, fest_audit_entry_get_actor_id (entry));
      if (name == NULL && fest_audit_entry_get_device_id (entry) != NULL)
        name = g_hash_table_lookup (self->names, fest_audit_entry_get_device_id (entry));
      if (name != NULL)
        fest_audit_entry_set_actor_name (entry, name);
      g_ptr_array_add (entries, entry);
    }

  if (more)
    g_list_store_splice (self->entries, g_list_model_get_n_items (G_LIST_MODEL (self->entries)), 0,
                         entries->pdata, entries->len);
  else
    g_list_store_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                         entries->pdata, entries->len);

  self->total = total >= 0 ? total : g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  set_state (self, g_list_model_get_n_items (G_LIST_MODEL (self->entries)) > 0
                   ? FEST_PAGE_STATE_CONTENT : FEST_PAGE_STATE_EMPTY);
  update_footer (self);
  update_detail (self);
}

static void
load_entries (FestAuditPage *self,
              gboolean       more)
{
  guint selected = gtk_drop_down_get_selected (self->entity_dropdown);
  g_autoptr(GString) path = g_string_new ("/audit?");

  self->page = more ? self->page + 1 : 1;
  self->loading_more = more;

  if (selected < G_N_ELEMENTS (entity_types) && entity_types[selected] != NULL)
    g_string_append_printf (path, "entity_type=%s&", entity_types[selected]);
  g_string_append_printf (path, "page=%u&per_page=%u", self->page, ENTRIES_PER_PAGE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.load-more", FALSE);
  fest_client_request_async (page_client (self), "GET", path->str, NULL, NULL, self->cancellable,
                             entries_loaded_cb, g_object_ref (self));
}

static void
add_names (FestAuditPage *self,
           JsonArray     *items)
{
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *object;
      const char *id;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      id = fest_page_json_string (object, "id");
      name = fest_page_json_string (object, "name");
      if (name == NULL)
        name = fest_page_json_string (object, "email");
      if (id != NULL && name != NULL)
        g_hash_table_insert (self->names, g_strdup (id), g_strdup (name));
    }
}

static void
devices_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FestAuditPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = NULL;

  /* Names are a nicety: without them the ids show. */
  items = fest_page_fetch_all_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  add_names (self, items);

  load_entries (self, FALSE);
}

static void
members_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FestAuditPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = NULL;

  items = fest_page_fetch_all_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (items == NULL && error->domain != FEST_ERROR)
    {
      /* The server is unreachable: no point asking for the log. */
      show_load_error (self, error);
      return;
    }
  add_names (self, items);

  fest_page_fetch_all_async (page_client (self), "/devices", self->cancellable, devices_loaded_cb,
                             g_object_ref (self));
}

static void
entity_changed_cb (FestAuditPage *self)
{
  if (page_client (self) == NULL || page_state (self) == FEST_PAGE_STATE_LOADING)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  load_entries (self, FALSE);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  fest_audit_page_reload (FEST_AUDIT_PAGE (widget));
}

static void
load_more_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FestAuditPage *self = FEST_AUDIT_PAGE (widget);

  if (!self->loading_more)
    load_entries (self, TRUE);
}

static void
filter_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (FEST_AUDIT_PAGE (widget)->entity_dropdown));
}

static void
fest_audit_page_dispose (GObject *object)
{
  FestAuditPage *self = FEST_AUDIT_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_AUDIT_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->entries);

  G_OBJECT_CLASS (fest_audit_page_parent_class)->dispose (object);
}

static void
fest_audit_page_finalize (GObject *object)
{
  FestAuditPage *self = FEST_AUDIT_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->names, g_hash_table_unref);

  g_free (self->currency);
  G_OBJECT_CLASS (fest_audit_page_parent_class)->finalize (object);
}

static void
fest_audit_page_festival_changed (FestPage   *page,
                                  JsonObject *festival)
{
  fest_audit_page_set_currency (FEST_AUDIT_PAGE (page),
                                fest_page_json_string (festival, "currency_name"));
}

static void
fest_audit_page_class_init (FestAuditPageClass *klass)
{
  FestPageClass *page_class = FEST_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  page_class->reload = fest_audit_page_real_reload;
  page_class->festival_changed = fest_audit_page_festival_changed;
  object_class->dispose = fest_audit_page_dispose;
  object_class->finalize = fest_audit_page_finalize;

  g_type_ensure (FEST_TYPE_AUDIT_ENTRY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/audit/fest-audit-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestAuditPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, FestAuditPage, entity_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FestAuditPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FestAuditPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FestAuditPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, FestAuditPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, FestAuditPage, entries_view);
  gtk_widget_class_bind_template_child (widget_class, FestAuditPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, FestAuditPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, FestAuditPage, changes_label);

  gtk_widget_class_install_action (widget_class, "audit.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "audit.load-more", NULL, load_more_action);
  gtk_widget_class_install_action (widget_class, "audit.filter", NULL, filter_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "audit.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "audit.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "audit.filter", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK,
                                       "audit.load-more", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fest_audit_page_init (FestAuditPage *self)
{
  GtkSortListModel *sorted;

  gtk_widget_init_template (GTK_WIDGET (self));
  fest_page_set_state_widgets (FEST_PAGE (self), self->stack, self->spinner, self->error_status);

  self->cancellable = g_cancellable_new ();
  self->entries = g_list_store_new (FEST_TYPE_AUDIT_ENTRY);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* No filter model here: the server filters (the log can be long). */
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->entries)),
                                    g_object_ref (gtk_column_view_get_sorter (self->entries_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->entries_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (update_detail), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->entity_dropdown, "notify::selected",
                           G_CALLBACK (entity_changed_cb), self, G_CONNECT_SWAPPED);

  set_state (self, FEST_PAGE_STATE_LOADING);
  update_footer (self);
  update_detail (self);
}

GtkWidget *
fest_audit_page_new (FestClient *client)
{
  FestAuditPage *self;

  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);

  self = g_object_new (FEST_TYPE_AUDIT_PAGE, "client", client, NULL);

  return GTK_WIDGET (self);
}

static void
fest_audit_page_real_reload (FestPage *page)
{
  FestAuditPage *self = FEST_AUDIT_PAGE (page);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading_more = FALSE;

  if (page_state (self) != FEST_PAGE_STATE_CONTENT)
    set_state (self, FEST_PAGE_STATE_LOADING);

  fest_page_fetch_all_async (page_client (self), "/members", self->cancellable, members_loaded_cb,
                             g_object_ref (self));
}

void
fest_audit_page_reload (FestAuditPage *self)
{
  g_return_if_fail (FEST_IS_AUDIT_PAGE (self));

  fest_page_reload (FEST_PAGE (self));
}

const char *
fest_audit_page_get_state (FestAuditPage *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_PAGE (self), NULL);

  return fest_page_get_state_name (FEST_PAGE (self));
}

GListModel *
fest_audit_page_get_entries (FestAuditPage *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_PAGE (self), NULL);

  return G_LIST_MODEL (self->entries);
}

gint64
fest_audit_page_get_total (FestAuditPage *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_PAGE (self), 0);

  return self->total;
}

void
fest_audit_page_set_entity_filter (FestAuditPage *self,
                                   const char    *entity_type)
{
  g_return_if_fail (FEST_IS_AUDIT_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (entity_types); i++)
    if (g_strcmp0 (entity_types[i], entity_type) == 0)
      gtk_drop_down_set_selected (self->entity_dropdown, i);
}

void
fest_audit_page_set_currency (FestAuditPage *self,
                              const char    *currency)
{
  g_return_if_fail (FEST_IS_AUDIT_PAGE (self));

  if (g_strcmp0 (self->currency, currency) == 0)
    return;
  g_free (self->currency);
  self->currency = g_strdup (currency);
  /* The amounts of the rows shown were formatted with the old name. */
  if (page_state (self) == FEST_PAGE_STATE_CONTENT)
    load_entries (self, FALSE);
}
