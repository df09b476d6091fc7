/* fest-stands-page.c: the Stands & products page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stands on top, the selected stand's products below. Both lists are GListStore → filter (the
 * search entry) → sort (the column headers) → GtkColumnView. Creating and editing go through a
 * FestFormDialog that validates before sending; deleting asks first.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-form-dialog.h"
#include "fest-product.h"
#include "fest-stand.h"
#include "fest-stands-dialogs.h"
#include "fest-page-util.h"
#include "fest-stands-page.h"

struct _FestStandsPage
{
  FestPage            parent_instance;

  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_status;
  GtkColumnView      *stands_view;
  GtkColumnView      *products_view;
  GtkLabel           *products_title;
  GtkStack           *products_stack;

  GCancellable       *cancellable;
  char               *currency;
  JsonObject         *festival;

  GListStore         *stands;
  GListStore         *products;
  GtkFilter          *stand_filter;
  GtkFilter          *product_filter;
  GtkSingleSelection *stand_selection;
  GtkSingleSelection *product_selection;
  GtkFilterListModel *visible_products;

  char               *search;
  char               *selected_stand_id;
};

G_DEFINE_FINAL_TYPE (FestStandsPage, fest_stands_page, FEST_TYPE_PAGE)

static void fest_stands_page_real_reload (FestPage *page);

static inline FestClient *
page_client (FestStandsPage *self)
{
  return fest_page_get_client (FEST_PAGE (self));
}

static inline FestPageState
page_state (FestStandsPage *self)
{
  return fest_page_get_state (FEST_PAGE (self));
}

static void
set_state (FestStandsPage *self,
           FestPageState   state)
{
  fest_page_set_state (FEST_PAGE (self), state);
}

static FestStand *
find_stand (FestStandsPage *self,
            const char     *id,
            guint          *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->stands));

  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(FestStand) stand = g_list_model_get_item (G_LIST_MODEL (self->stands), i);

      if (g_strcmp0 (fest_stand_get_id (stand), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return stand;
        }
    }

  return NULL;
}

static gboolean
text_matches (const char *haystack,
              const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;

  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
product_matches_search (FestStandsPage *self,
                        FestProduct    *product)
{
  if (self->search == NULL)
    return TRUE;

  return text_matches (fest_product_get_name (product), self->search)
         || text_matches (fest_product_get_category (product), self->search);
}

static gboolean
stand_filter_func (gpointer item,
                   gpointer user_data)
{
  FestStandsPage *self = user_data;
  FestStand *stand = item;
  guint n;

  if (self->search == NULL
      || text_matches (fest_stand_get_name (stand), self->search)
      || text_matches (fest_stand_get_type_label (stand), self->search)
      || text_matches (fest_stand_get_zone (stand), self->search))
    return TRUE;

  /* A stand also shows when one of its products matches. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->products));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FestProduct) product = g_list_model_get_item (G_LIST_MODEL (self->products), i);

      if (g_strcmp0 (fest_product_get_stand_id (product), fest_stand_get_id (stand)) == 0
          && product_matches_search (self, product))
        return TRUE;
    }

  return FALSE;
}

static gboolean
product_filter_func (gpointer item,
                     gpointer user_data)
{
  FestStandsPage *self = user_data;
  FestProduct *product = item;

  if (self->selected_stand_id == NULL
      || g_strcmp0 (fest_product_get_stand_id (product), self->selected_stand_id) != 0)
    return FALSE;

  /* When the stand itself matches the search, show all its products. */
  if (self->search != NULL)
    {
      FestStand *stand = find_stand (self, self->selected_stand_id, NULL);

      if (stand != NULL
          && (text_matches (fest_stand_get_name (stand), self->search)
              || text_matches (fest_stand_get_type_label (stand), self->search)
              || text_matches (fest_stand_get_zone (stand), self->search)))
        return TRUE;
    }

  return product_matches_search (self, product);
}

static FestStand *
get_selected_stand (FestStandsPage *self)
{
  return gtk_single_selection_get_selected_item (self->stand_selection);
}

static FestProduct *
get_selected_product (FestStandsPage *self)
{
  return gtk_single_selection_get_selected_item (self->product_selection);
}

static void
update_actions (FestStandsPage *self)
{
  gboolean have_stand = get_selected_stand (self) != NULL;
  gboolean have_product = get_selected_product (self) != NULL;
  FestPageState state = page_state (self);
  gboolean loaded = state == FEST_PAGE_STATE_CONTENT || state == FEST_PAGE_STATE_EMPTY;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stands.new-stand", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stands.edit-stand", have_stand);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stands.delete-stand", have_stand);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stands.new-product",
                                 loaded && g_list_model_get_n_items (G_LIST_MODEL (self->stands)) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stands.edit-product", have_product);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stands.delete-product", have_product);
}

static void
update_products_header (FestStandsPage *self)
{
  FestStand *stand = get_selected_stand (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->visible_products));

  if (stand != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Products at %s"), fest_stand_get_name (stand));

      gtk_label_set_text (self->products_title, title);
    }
  else
    {
      gtk_label_set_text (self->products_title, _("Products"));
    }

  gtk_stack_set_visible_child_name (self->products_stack, n > 0 || stand == NULL ? "list" : "empty");
  update_actions (self);
}

static void
update_product_counts (FestStandsPage *self)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->products));
  guint n_stands = g_list_model_get_n_items (G_LIST_MODEL (self->stands));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FestProduct) product = g_list_model_get_item (G_LIST_MODEL (self->products), i);
      const char *stand_id = fest_product_get_stand_id (product);

      if (stand_id != NULL)
        g_hash_table_insert (counts, (gpointer) stand_id,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, stand_id)) + 1));
    }

  for (guint i = 0; i < n_stands; i++)
    {
      g_autoptr(FestStand) stand = g_list_model_get_item (G_LIST_MODEL (self->stands), i);

      fest_stand_set_product_count (stand,
                                    GPOINTER_TO_UINT (g_hash_table_lookup (counts, fest_stand_get_id (stand))));
    }
}

static void load_stands (FestStandsPage *self);

static void
show_load_error (FestStandsPage *self,
                 const GError   *error)
{
  fest_page_show_error (FEST_PAGE (self), error);
  update_actions (self);
}

static void
products_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(FestStandsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *keep_product = NULL;
  FestProduct *selected_product;

  items = fest_page_fetch_all_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (items == NULL)
    {
      show_load_error (self, error);
      return;
    }

  selected_product = get_selected_product (self);
  if (selected_product != NULL)
    keep_product = g_strdup (fest_product_get_id (selected_product));

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (products, fest_product_new_from_json (json_node_get_object (node),
                                                               self->currency));
    }

  g_list_store_splice (self->products, 0, g_list_model_get_n_items (G_LIST_MODEL (self->products)),
                       products->pdata, products->len);
  update_product_counts (self);
  gtk_filter_changed (self->stand_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->product_filter, GTK_FILTER_CHANGE_DIFFERENT);

  if (self->selected_stand_id != NULL)
    fest_page_select_id (self->stand_selection, self->selected_stand_id);
  if (keep_product != NULL)
    fest_page_select_id (self->product_selection, keep_product);

  set_state (self, g_list_model_get_n_items (G_LIST_MODEL (self->stands)) > 0
                   ? FEST_PAGE_STATE_CONTENT : FEST_PAGE_STATE_EMPTY);
  update_products_header (self);
}

static void
stands_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FestStandsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GPtrArray) stands = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *keep = g_strdup (self->selected_stand_id);

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
        g_ptr_array_add (stands, fest_stand_new_from_json (json_node_get_object (node)));
    }

  g_list_store_splice (self->stands, 0, g_list_model_get_n_items (G_LIST_MODEL (self->stands)),
                       stands->pdata, stands->len);
  if (keep != NULL)
    fest_page_select_id (self->stand_selection, keep);

  fest_page_fetch_all_async (page_client (self), "/products", self->cancellable, products_loaded_cb,
                             g_object_ref (self));
}

static void
load_stands (FestStandsPage *self)
{
  fest_page_fetch_all_async (page_client (self), "/stands", self->cancellable, stands_loaded_cb,
                             g_object_ref (self));
}

static void
festival_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FestStandsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fest_page_take_festival (result, &self->festival, &self->currency, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_load_error (self, error);
      return;
    }
  load_stands (self);
}

static void
stand_selection_changed_cb (FestStandsPage *self)
{
  FestStand *stand = get_selected_stand (self);

  /* While the list is refilled the selection passes through "none": keep the id until the
   * new list says otherwise. */
  if (stand != NULL)
    {
      g_free (self->selected_stand_id);
      self->selected_stand_id = g_strdup (fest_stand_get_id (stand));
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->stand_selection)) == 0)
    {
      g_clear_pointer (&self->selected_stand_id, g_free);
    }

  gtk_filter_changed (self->product_filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_products_header (self);
}

static void
product_selection_changed_cb (FestStandsPage *self)
{
  update_actions (self);
}

static void
search_changed_cb (FestStandsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_clear_pointer (&self->search, g_free);
  if (text != NULL && *text != '\0')
    self->search = g_utf8_casefold (text, -1);

  gtk_filter_changed (self->stand_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->product_filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_products_header (self);
}

static void
saved_cb (FestFormDialog *dialog,
          JsonNode       *data,
          gpointer        user_data)
{
  FestStandsPage *self = user_data;
  const char *message = g_object_get_data (G_OBJECT (dialog), "fest-saved-message");
  const char *select_stand = NULL;

  if (JSON_NODE_HOLDS_OBJECT (data) && g_object_get_data (G_OBJECT (dialog), "fest-is-stand"))
    select_stand = fest_page_json_string (json_node_get_object (data), "id");
  if (select_stand != NULL)
    {
      g_free (self->selected_stand_id);
      self->selected_stand_id = g_strdup (select_stand);
    }

  if (message != NULL)
    fest_page_toast (GTK_WIDGET (self), message);
  fest_stands_page_reload (self);
}

static void
open_stand_dialog (FestStandsPage *self,
                   FestStand      *stand)
{
  FestFormDialog *dialog = fest_stand_dialog_new (GTK_WIDGET (self), page_client (self), stand,
                                                  self->festival);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_product_dialog (FestStandsPage *self,
                     FestProduct    *product)
{
  FestFormDialog *dialog = fest_product_dialog_new (GTK_WIDGET (self), page_client (self),
                                                    product, G_LIST_MODEL (self->stands),
                                                    self->selected_stand_id, self->currency);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
deleted_cb (GtkWidget *page,
            JsonNode  *data)
{
  fest_stands_page_reload (FEST_STANDS_PAGE (page));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  FestStandsPage *self = user_data;
  const char *path = g_object_get_data (G_OBJECT (dialog), "fest-path");

  fest_page_send (GTK_WIDGET (self), page_client (self), NULL, "DELETE", path, NULL,
                  _("Deleted"), deleted_cb);
}

static void
confirm_delete (FestStandsPage *self,
                const char     *heading,
                const char     *body,
                const char     *path)
{
  AdwMessageDialog *dialog;

  dialog = fest_page_confirm (GTK_WIDGET (self), heading, body, _("_Delete"));
  g_object_set_data_full (G_OBJECT (dialog), "fest-path", g_strdup (path), g_free);
  g_signal_connect_object (dialog, "response::confirm", G_CALLBACK (delete_response_cb), self, 0);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  fest_stands_page_reload (FEST_STANDS_PAGE (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FestStandsPage *self = FEST_STANDS_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
new_stand_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  open_stand_dialog (FEST_STANDS_PAGE (widget), NULL);
}

static void
edit_stand_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FestStandsPage *self = FEST_STANDS_PAGE (widget);
  FestStand *stand = get_selected_stand (self);

  if (stand != NULL)
    open_stand_dialog (self, stand);
}

static void
delete_stand_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FestStandsPage *self = FEST_STANDS_PAGE (widget);
  FestStand *stand = get_selected_stand (self);
  g_autofree char *heading = NULL;
  g_autofree char *path = NULL;

  if (stand == NULL)
    return;

  heading = g_strdup_printf (_("Delete “%s”?"), fest_stand_get_name (stand));
  path = g_strdup_printf ("/stands/%s", fest_stand_get_id (stand));
  confirm_delete (self, heading,
                  _("The stand and its products leave the stations. Past sales stay in the ledger."),
                  path);
}

static void
new_product_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_product_dialog (FEST_STANDS_PAGE (widget), NULL);
}

static void
edit_product_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FestStandsPage *self = FEST_STANDS_PAGE (widget);
  FestProduct *product = get_selected_product (self);

  if (product != NULL)
    open_product_dialog (self, product);
}

static void
delete_product_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  FestStandsPage *self = FEST_STANDS_PAGE (widget);
  FestProduct *product = get_selected_product (self);
  g_autofree char *heading = NULL;
  g_autofree char *path = NULL;

  if (product == NULL)
    return;

  heading = g_strdup_printf (_("Delete “%s”?"), fest_product_get_name (product));
  path = g_strdup_printf ("/products/%s", fest_product_get_id (product));
  confirm_delete (self, heading, _("Past sales of this product stay in the ledger."), path);
}

static void
stand_activate_cb (FestStandsPage *self,
                   guint           position)
{
  gtk_single_selection_set_selected (self->stand_selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "stands.edit-stand", NULL);
}

static void
product_activate_cb (FestStandsPage *self,
                     guint           position)
{
  gtk_single_selection_set_selected (self->product_selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "stands.edit-product", NULL);
}

static void
fest_stands_page_dispose (GObject *object)
{
  FestStandsPage *self = FEST_STANDS_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_STANDS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->stand_selection);
  g_clear_object (&self->product_selection);
  g_clear_object (&self->stand_filter);
  g_clear_object (&self->product_filter);
  g_clear_object (&self->stands);
  g_clear_object (&self->products);
  g_clear_pointer (&self->festival, json_object_unref);

  G_OBJECT_CLASS (fest_stands_page_parent_class)->dispose (object);
}

static void
fest_stands_page_finalize (GObject *object)
{
  FestStandsPage *self = FEST_STANDS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->currency);
  g_free (self->search);
  g_free (self->selected_stand_id);

  G_OBJECT_CLASS (fest_stands_page_parent_class)->finalize (object);
}

static void
fest_stands_page_class_init (FestStandsPageClass *klass)
{
  FestPageClass *page_class = FEST_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  page_class->reload = fest_stands_page_real_reload;
  object_class->dispose = fest_stands_page_dispose;
  object_class->finalize = fest_stands_page_finalize;

  g_type_ensure (FEST_TYPE_STAND);
  g_type_ensure (FEST_TYPE_PRODUCT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/stands/fest-stands-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestStandsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FestStandsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FestStandsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FestStandsPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, FestStandsPage, stands_view);
  gtk_widget_class_bind_template_child (widget_class, FestStandsPage, products_view);
  gtk_widget_class_bind_template_child (widget_class, FestStandsPage, products_title);
  gtk_widget_class_bind_template_child (widget_class, FestStandsPage, products_stack);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "stands.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "stands.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "stands.new-stand", NULL, new_stand_action);
  gtk_widget_class_install_action (widget_class, "stands.edit-stand", NULL, edit_stand_action);
  gtk_widget_class_install_action (widget_class, "stands.delete-stand", NULL, delete_stand_action);
  gtk_widget_class_install_action (widget_class, "stands.new-product", NULL, new_product_action);
  gtk_widget_class_install_action (widget_class, "stands.edit-product", NULL, edit_product_action);
  gtk_widget_class_install_action (widget_class, "stands.delete-product", NULL,
                                   delete_product_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "stands.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "stands.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "stands.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "stands.new-stand", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "stands.edit-stand", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "stands.new-product", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_E, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "stands.edit-product", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "stands.delete-product", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fest_stands_page_init (FestStandsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fest_page_set_state_widgets (FEST_PAGE (self), self->stack, self->spinner, self->error_status);

  self->cancellable = g_cancellable_new ();
  self->stands = g_list_store_new (FEST_TYPE_STAND);
  self->products = g_list_store_new (FEST_TYPE_PRODUCT);
  self->stand_filter = GTK_FILTER (gtk_custom_filter_new (stand_filter_func, self, NULL));
  self->product_filter = GTK_FILTER (gtk_custom_filter_new (product_filter_func, self, NULL));

  self->stand_selection = fest_page_make_selection (G_LIST_MODEL (self->stands), self->stand_filter,
                                                    self->stands_view, NULL);
  self->product_selection = fest_page_make_selection (G_LIST_MODEL (self->products), self->product_filter,
                                                      self->products_view, &self->visible_products);

  g_signal_connect_object (self->stand_selection, "notify::selected-item",
                           G_CALLBACK (stand_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->product_selection, "notify::selected-item",
                           G_CALLBACK (product_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stands_view, "activate",
                           G_CALLBACK (stand_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->products_view, "activate",
                           G_CALLBACK (product_activate_cb), self, G_CONNECT_SWAPPED);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  set_state (self, FEST_PAGE_STATE_LOADING);
  update_actions (self);
}

GtkWidget *
fest_stands_page_new (FestClient *client)
{
  FestStandsPage *self;

  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);

  self = g_object_new (FEST_TYPE_STANDS_PAGE, "client", client, NULL);

  return GTK_WIDGET (self);
}

static void
fest_stands_page_real_reload (FestPage *page)
{
  FestStandsPage *self = FEST_STANDS_PAGE (page);

  /* A new load replaces one in flight. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (page_state (self) != FEST_PAGE_STATE_CONTENT)
    set_state (self, FEST_PAGE_STATE_LOADING);

  fest_page_fetch_festival_async (page_client (self), self->cancellable, festival_cb,
                                  g_object_ref (self));
}

void
fest_stands_page_reload (FestStandsPage *self)
{
  g_return_if_fail (FEST_IS_STANDS_PAGE (self));

  fest_page_reload (FEST_PAGE (self));
}

const char *
fest_stands_page_get_state (FestStandsPage *self)
{
  g_return_val_if_fail (FEST_IS_STANDS_PAGE (self), NULL);

  return fest_page_get_state_name (FEST_PAGE (self));
}

GListModel *
fest_stands_page_get_stands (FestStandsPage *self)
{
  g_return_val_if_fail (FEST_IS_STANDS_PAGE (self), NULL);

  return G_LIST_MODEL (self->stands);
}

GListModel *
fest_stands_page_get_products (FestStandsPage *self)
{
  g_return_val_if_fail (FEST_IS_STANDS_PAGE (self), NULL);

  return G_LIST_MODEL (self->products);
}

gboolean
fest_stands_page_select_stand (FestStandsPage *self,
                               const char     *stand_id)
{
  g_return_val_if_fail (FEST_IS_STANDS_PAGE (self), FALSE);

  return fest_page_select_id (self->stand_selection, stand_id);
}

gboolean
fest_stands_page_select_product (FestStandsPage *self,
                                 const char     *product_id)
{
  g_return_val_if_fail (FEST_IS_STANDS_PAGE (self), FALSE);

  return fest_page_select_id (self->product_selection, product_id);
}
