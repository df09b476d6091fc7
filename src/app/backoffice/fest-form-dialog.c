/* fest-form-dialog.c: a small create/edit dialog that validates its fields and sends them to the API
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-page-util.h"
#include "fest-form-dialog.h"

struct _FestFormDialog
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkButton            *save_button;
  GtkSpinner           *spinner;
  AdwPreferencesGroup  *group;
  GtkLabel             *error_label;

  /* field name → row (owned by the group) */
  GHashTable           *rows;
  /* row → its GtkCheckButton, for check rows */
  GHashTable           *checks;
  char                 *text;

  FestClient           *client;
  char                 *method;
  char                 *path;
  FestFormBuildFunc     build;
  gpointer              build_data;
  GDestroyNotify        build_data_free;

  GCancellable         *cancellable;
  gboolean              busy;
};

G_DEFINE_FINAL_TYPE (FestFormDialog, fest_form_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_errors (FestFormDialog *self)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");

  gtk_label_set_text (self->error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
set_busy (FestFormDialog *self,
          gboolean        busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->group), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.save", !busy);
}

static void
add_row (FestFormDialog *self,
         const char     *field,
         GtkWidget      *row)
{
  g_return_if_fail (!g_hash_table_contains (self->rows, field));

  g_hash_table_insert (self->rows, g_strdup (field), row);
  adw_preferences_group_add (self->group, row);
}

static void
entry_changed_cb (GtkEditable *editable,
                  gpointer     user_data)
{
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

static void
request_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(FestFormDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autofree char *text = NULL;

  data = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (data == NULL)
    {
      text = fest_page_error_text (error);
      fest_form_dialog_set_error (self, fest_page_error_field (error), text);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, data);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  fest_form_dialog_save (FEST_FORM_DIALOG (widget));
}

static void
fest_form_dialog_dispose (GObject *object)
{
  FestFormDialog *self = FEST_FORM_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_FORM_DIALOG);

  G_OBJECT_CLASS (fest_form_dialog_parent_class)->dispose (object);
}

static void
fest_form_dialog_finalize (GObject *object)
{
  FestFormDialog *self = FEST_FORM_DIALOG (object);

  if (self->build_data_free != NULL)
    g_clear_pointer (&self->build_data, self->build_data_free);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->checks, g_hash_table_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_free (self->method);
  g_free (self->path);
  g_free (self->text);

  G_OBJECT_CLASS (fest_form_dialog_parent_class)->finalize (object);
}

static void
fest_form_dialog_class_init (FestFormDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_form_dialog_dispose;
  object_class->finalize = fest_form_dialog_finalize;

  /**
   * FestFormDialog::saved:
   * @data: the server's answer (a JsonNode)
   *
   * The server accepted the request; the dialog closes right after.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/fest-form-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FestFormDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FestFormDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, FestFormDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, FestFormDialog, group);
  gtk_widget_class_bind_template_child (widget_class, FestFormDialog, error_label);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "form.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fest_form_dialog_init (FestFormDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->checks = g_hash_table_new (NULL, NULL);
  self->cancellable = g_cancellable_new ();
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
}

FestFormDialog *
fest_form_dialog_new (GtkWidget  *parent,
                      const char *title,
                      const char *save_label)
{
  FestFormDialog *self;
  GtkRoot *root = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WIDGET (parent), NULL);

  self = g_object_new (FEST_TYPE_FORM_DIALOG, "title", title, NULL);
  gtk_button_set_label (self->save_button, save_label != NULL ? save_label : _("_Save"));

  if (parent != NULL)
    root = gtk_widget_get_root (parent);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));

  return self;
}

void
fest_form_dialog_set_description (FestFormDialog *self,
                                  const char     *description)
{
  g_return_if_fail (FEST_IS_FORM_DIALOG (self));

  adw_preferences_group_set_description (self->group, description);
}

void
fest_form_dialog_set_request (FestFormDialog    *self,
                              FestClient        *client,
                              const char        *method,
                              const char        *path,
                              FestFormBuildFunc  build,
                              gpointer           user_data,
                              GDestroyNotify     user_data_free)
{
  g_return_if_fail (FEST_IS_FORM_DIALOG (self));
  g_return_if_fail (FEST_IS_CLIENT (client));
  g_return_if_fail (method != NULL && path != NULL && build != NULL);

  g_set_object (&self->client, client);
  g_free (self->method);
  self->method = g_strdup (method);
  g_free (self->path);
  self->path = g_strdup (path);
  if (self->build_data_free != NULL)
    g_clear_pointer (&self->build_data, self->build_data_free);
  self->build = build;
  self->build_data = user_data;
  self->build_data_free = user_data_free;
}

GtkWidget *
fest_form_dialog_add_entry (FestFormDialog *self,
                            const char     *field,
                            const char     *title,
                            const char     *text)
{
  GtkWidget *row;

  g_return_val_if_fail (FEST_IS_FORM_DIALOG (self), NULL);

  row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  g_signal_connect (row, "changed", G_CALLBACK (entry_changed_cb), NULL);
  add_row (self, field, row);

  return row;
}

GtkWidget *
fest_form_dialog_add_password (FestFormDialog *self,
                               const char     *field,
                               const char     *title)
{
  GtkWidget *row;

  g_return_val_if_fail (FEST_IS_FORM_DIALOG (self), NULL);

  row = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  g_signal_connect (row, "changed", G_CALLBACK (entry_changed_cb), NULL);
  add_row (self, field, row);

  return row;
}

/* The drop-down's list: the default labels stop at about twenty characters and cut the rest;
 * these wrap, with the check mark of the chosen one. */
static void
update_choice_check (GtkListItem *item,
                     GParamSpec  *pspec,
                     AdwComboRow *row)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  gtk_widget_set_opacity (gtk_widget_get_last_child (box),
                          gtk_list_item_get_position (item) == adw_combo_row_get_selected (row)
                          ? 1 : 0);
}

static void
selected_changed_cb (AdwComboRow *row,
                     GParamSpec  *pspec,
                     GtkListItem *item)
{
  update_choice_check (item, NULL, row);
}

static void
choice_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 AdwComboRow              *row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (selected_changed_cb), item, 0);
  g_signal_connect (item, "notify::position", G_CALLBACK (update_choice_check), row);
}

static void
choice_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                AdwComboRow              *row)
{
  GtkStringObject *choice = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)),
                      gtk_string_object_get_string (choice));
  update_choice_check (item, NULL, row);
}

GtkWidget *
fest_form_dialog_add_combo (FestFormDialog     *self,
                            const char         *field,
                            const char         *title,
                            const char * const *labels,
                            guint               selected)
{
  g_autoptr(GtkStringList) model = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkWidget *row;

  g_return_val_if_fail (FEST_IS_FORM_DIALOG (self), NULL);
  g_return_val_if_fail (labels != NULL, NULL);

  model = gtk_string_list_new (labels);
  row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  /* The choice goes under the title, where it wraps: beside it, a ticket type's or a stand's
   * name was cut to a few words. */
  adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (row), TRUE);
  factory = gtk_signal_list_item_factory_new ();
  /* The row owns the factory: no reference back to it. */
  g_signal_connect (factory, "setup", G_CALLBACK (choice_setup_cb), row);
  g_signal_connect (factory, "bind", G_CALLBACK (choice_bind_cb), row);
  adw_combo_row_set_list_factory (ADW_COMBO_ROW (row), factory);
  add_row (self, field, row);

  return row;
}

GtkWidget *
fest_form_dialog_add_check (FestFormDialog *self,
                            const char     *field,
                            const char     *title,
                            const char     *subtitle,
                            gboolean        active)
{
  GtkWidget *row;
  GtkWidget *check;

  g_return_val_if_fail (FEST_IS_FORM_DIALOG (self), NULL);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  check = gtk_check_button_new ();
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  g_hash_table_insert (self->checks, row, check);
  add_row (self, field, row);

  return row;
}

GtkWidget *
fest_form_dialog_add_widget (FestFormDialog *self,
                             const char     *field,
                             const char     *title,
                             GtkWidget      *child)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *label;

  g_return_val_if_fail (FEST_IS_FORM_DIALOG (self), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (child), NULL);

  /* A preferences row: inside the group's boxed list, with the other fields. */
  row = adw_preferences_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new (title);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), child);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  add_row (self, field, row);

  return row;
}

GtkWidget *
fest_form_dialog_get_row (FestFormDialog *self,
                          const char     *field)
{
  g_return_val_if_fail (FEST_IS_FORM_DIALOG (self), NULL);

  return g_hash_table_lookup (self->rows, field);
}

const char *
fest_form_dialog_get_text (FestFormDialog *self,
                           const char     *field)
{
  GtkWidget *row;

  g_return_val_if_fail (FEST_IS_FORM_DIALOG (self), NULL);

  row = g_hash_table_lookup (self->rows, field);
  g_return_val_if_fail (GTK_IS_EDITABLE (row), NULL);

  g_free (self->text);
  self->text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  return self->text;
}

void
fest_form_dialog_set_text (FestFormDialog *self,
                           const char     *field,
                           const char     *text)
{
  GtkWidget *row;

  g_return_if_fail (FEST_IS_FORM_DIALOG (self));

  row = g_hash_table_lookup (self->rows, field);
  g_return_if_fail (GTK_IS_EDITABLE (row));

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

guint
fest_form_dialog_get_selected (FestFormDialog *self,
                               const char     *field)
{
  GtkWidget *row;

  g_return_val_if_fail (FEST_IS_FORM_DIALOG (self), 0);

  row = g_hash_table_lookup (self->rows, field);
  g_return_val_if_fail (ADW_IS_COMBO_ROW (row), 0);

  return adw_combo_row_get_selected (ADW_COMBO_ROW (row));
}

void
fest_form_dialog_set_selected (FestFormDialog *self,
                               const char     *field,
                               guint           selected)
{
  GtkWidget *row;

  g_return_if_fail (FEST_IS_FORM_DIALOG (self));

  row = g_hash_table_lookup (self->rows, field);
  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
}

gboolean
fest_form_dialog_get_active (FestFormDialog *self,
                             const char     *field)
{
  GtkWidget *row;
  GtkWidget *check;

  g_return_val_if_fail (FEST_IS_FORM_DIALOG (self), FALSE);

  row = g_hash_table_lookup (self->rows, field);
  check = row != NULL ? g_hash_table_lookup (self->checks, row) : NULL;
  g_return_val_if_fail (GTK_IS_CHECK_BUTTON (check), FALSE);

  return gtk_check_button_get_active (GTK_CHECK_BUTTON (check));
}

void
fest_form_dialog_set_active (FestFormDialog *self,
                             const char     *field,
                             gboolean        active)
{
  GtkWidget *row;
  GtkWidget *check;

  g_return_if_fail (FEST_IS_FORM_DIALOG (self));

  row = g_hash_table_lookup (self->rows, field);
  check = row != NULL ? g_hash_table_lookup (self->checks, row) : NULL;
  g_return_if_fail (GTK_IS_CHECK_BUTTON (check));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
}

void
fest_form_dialog_set_error (FestFormDialog *self,
                            const char     *field,
                            const char     *message)
{
  GtkWidget *row = NULL;

  g_return_if_fail (FEST_IS_FORM_DIALOG (self));
  g_return_if_fail (message != NULL);

  if (field != NULL)
    {
      /* "location.lat" names the row "location" */
      g_autofree char *base = g_strndup (field, strcspn (field, ".["));

      row = g_hash_table_lookup (self->rows, field);
      if (row == NULL)
        row = g_hash_table_lookup (self->rows, base);
    }

  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_grab_focus (row);
    }

  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

const char *
fest_form_dialog_get_error (FestFormDialog *self)
{
  g_return_val_if_fail (FEST_IS_FORM_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_text (self->error_label);
}

gboolean
fest_form_dialog_get_busy (FestFormDialog *self)
{
  g_return_val_if_fail (FEST_IS_FORM_DIALOG (self), FALSE);

  return self->busy;
}

void
fest_form_dialog_save (FestFormDialog *self)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (FEST_IS_FORM_DIALOG (self));
  g_return_if_fail (self->build != NULL);

  if (self->busy)
    return;

  clear_errors (self);
  body = self->build (self, self->build_data);
  if (body == NULL)
    {
      if (fest_form_dialog_get_error (self) == NULL)
        fest_form_dialog_set_error (self, NULL, _("Check the form."));
      return;
    }

  set_busy (self, TRUE);
  fest_client_request_async (self->client, self->method, self->path, body, NULL,
                             self->cancellable, request_cb, g_object_ref (self));
}
