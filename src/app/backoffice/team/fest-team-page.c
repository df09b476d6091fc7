/* fest-team-page.c: the Team page (members and their roles, station devices)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Members on top, enrolled station devices below. Enrolling a device shows its token once, as
 * text to copy and as a QR code rendered locally (libqrencode), for the station to read.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-role.h"
#include "fest-form-dialog.h"
#include "fest-device.h"
#include "fest-member.h"
#include "fest-page-util.h"
#include "fest-qr-dialog.h"
#include "fest-team-page.h"

struct _FestTeamPage
{
  FestPage            parent_instance;

  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_status;
  GtkColumnView      *members_view;
  GtkColumnView      *devices_view;
  GtkStack           *devices_stack;

  GCancellable       *cancellable;

  GListStore         *members;
  GListStore         *devices;
  /* stand id → name, and the stands in the server's order for the enroll combo */
  GHashTable         *stand_names;
  GPtrArray          *stand_ids;
  GtkFilter          *member_filter;
  GtkFilter          *device_filter;
  GtkSingleSelection *member_selection;
  GtkSingleSelection *device_selection;
  GtkFilterListModel *visible_devices;

  char               *search;
};

G_DEFINE_FINAL_TYPE (FestTeamPage, fest_team_page, FEST_TYPE_PAGE)

static void fest_team_page_real_reload (FestPage *page);

static inline FestClient *
page_client (FestTeamPage *self)
{
  return fest_page_get_client (FEST_PAGE (self));
}

static inline FestPageState
page_state (FestTeamPage *self)
{
  return fest_page_get_state (FEST_PAGE (self));
}

/* The roles a member can be given here (SUPERADMIN cannot). */
static const FestRole assignable_roles[] = {
  FEST_ROLE_ORGANISER, FEST_ROLE_CASHIER, FEST_ROLE_SCANNER, FEST_ROLE_SECURITY,
  FEST_ROLE_SECURITY_LEAD, FEST_ROLE_ARTIST,
};

/* In the order of the mode combo; the API's names. */
static const char * const device_modes[] = { "cashier", "recharge", "scanner", "security", NULL };

static void
set_state (FestTeamPage  *self,
           FestPageState  state)
{
  fest_page_set_state (FEST_PAGE (self), state);
}

static FestMember *
get_selected_member (FestTeamPage *self)
{
  return gtk_single_selection_get_selected_item (self->member_selection);
}

static FestDevice *
get_selected_device (FestTeamPage *self)
{
  return gtk_single_selection_get_selected_item (self->device_selection);
}

static void
update_actions (FestTeamPage *self)
{
  FestPageState state = page_state (self);
  gboolean loaded = state == FEST_PAGE_STATE_CONTENT || state == FEST_PAGE_STATE_EMPTY;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.new-member", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.enroll-device", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.edit-member",
                                 get_selected_member (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.remove-member",
                                 get_selected_member (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.revoke-device",
                                 get_selected_device (self) != NULL
                                 && !fest_device_get_revoked (get_selected_device (self)));
}

static void
update_devices_stack (FestTeamPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->visible_devices));

  gtk_stack_set_visible_child_name (self->devices_stack,
                                    n > 0 || self->search != NULL ? "list" : "empty");
  update_actions (self);
}

static gboolean
matches (const char *haystack,
         const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;

  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
member_filter_func (gpointer item,
                    gpointer user_data)
{
  FestTeamPage *self = user_data;
  FestMember *member = item;

  return self->search == NULL
         || matches (fest_member_get_name (member), self->search)
         || matches (fest_member_get_email (member), self->search)
         || matches (fest_member_get_roles_text (member), self->search);
}

static gboolean
device_filter_func (gpointer item,
                    gpointer user_data)
{
  FestTeamPage *self = user_data;
  FestDevice *device = item;

  return self->search == NULL
         || matches (fest_device_get_name (device), self->search)
         || matches (fest_device_get_stand_name (device), self->search)
         || matches (fest_device_get_mode_label (device), self->search);
}

static void
show_load_error (FestTeamPage *self,
                 const GError *error)
{
  fest_page_show_error (FEST_PAGE (self), error);
  update_actions (self);
}

static void
devices_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FestTeamPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);

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
      FestDevice *device;
      const char *stand_name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      device = fest_device_new_from_json (json_node_get_object (node));
      stand_name = g_hash_table_lookup (self->stand_names,
                                        fest_device_get_stand_id (device) != NULL
                                        ? fest_device_get_stand_id (device) : "");
      fest_device_set_stand_name (device, stand_name != NULL ? stand_name : "—");
      g_ptr_array_add (devices, device);
    }

  g_list_store_splice (self->devices, 0, g_list_model_get_n_items (G_LIST_MODEL (self->devices)),
                       devices->pdata, devices->len);

  set_state (self, g_list_model_get_n_items (G_LIST_MODEL (self->members)) > 0
                   ? FEST_PAGE_STATE_CONTENT : FEST_PAGE_STATE_EMPTY);
  update_devices_stack (self);
}

static void
stands_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FestTeamPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = NULL;

  items = fest_page_fetch_all_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (items == NULL)
    {
      show_load_error (self, error);
      return;
    }

  g_hash_table_remove_all (self->stand_names);
  g_ptr_array_set_size (self->stand_ids, 0);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      const char *id;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      id = fest_page_json_string (json_node_get_object (node), "id");
      name = fest_page_json_string (json_node_get_object (node), "name");
      if (id == NULL)
        continue;
      g_hash_table_insert (self->stand_names, g_strdup (id), g_strdup (name != NULL ? name : id));
      g_ptr_array_add (self->stand_ids, g_strdup (id));
    }

  fest_page_fetch_all_async (page_client (self), "/devices", self->cancellable, devices_loaded_cb,
                             g_object_ref (self));
}

static void
members_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FestTeamPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (g_object_unref);

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
        g_ptr_array_add (members, fest_member_new_from_json (json_node_get_object (node)));
    }

  g_list_store_splice (self->members, 0, g_list_model_get_n_items (G_LIST_MODEL (self->members)),
                       members->pdata, members->len);

  fest_page_fetch_all_async (page_client (self), "/stands", self->cancellable, stands_loaded_cb,
                             g_object_ref (self));
}

static void
search_changed_cb (FestTeamPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_clear_pointer (&self->search, g_free);
  if (text != NULL && *text != '\0')
    self->search = g_utf8_casefold (text, -1);

  gtk_filter_changed (self->member_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->device_filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_devices_stack (self);
}

static void
saved_cb (FestFormDialog *dialog,
          JsonNode       *data,
          gpointer        user_data)
{
  FestTeamPage *self = user_data;
  const char *message = g_object_get_data (G_OBJECT (dialog), "fest-saved-message");

  if (message != NULL)
    fest_page_toast (GTK_WIDGET (self), message);
  fest_team_page_reload (self);
}

static gboolean
looks_like_email (const char *text)
{
  const char *at = strchr (text, '@');

  return at != NULL && at != text && strchr (at + 1, '.') != NULL && strchr (text, ' ') == NULL
         && strchr (at + 1, '@') == NULL;
}

static char *
role_field (FestRole role)
{
  return g_strdup_printf ("role-%s", fest_role_to_string (role));
}

static gboolean
add_roles (FestFormDialog *dialog,
           JsonBuilder    *builder)
{
  guint n = 0;
  g_autofree char *lead_field = role_field (FEST_ROLE_SECURITY_LEAD);
  g_autofree char *security_field = role_field (FEST_ROLE_SECURITY);

  /* A lead is a security member who also assigns incidents: the role comes with SECURITY. */
  if (fest_form_dialog_get_active (dialog, lead_field))
    fest_form_dialog_set_active (dialog, security_field, TRUE);

  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (assignable_roles); i++)
    {
      g_autofree char *field = role_field (assignable_roles[i]);

      if (fest_form_dialog_get_active (dialog, field))
        {
          json_builder_add_string_value (builder, fest_role_to_string (assignable_roles[i]));
          n++;
        }
    }
  json_builder_end_array (builder);

  return n > 0;
}

static JsonNode *
build_member_body (FestFormDialog *dialog,
                   gpointer        user_data)
{
  gboolean editing = GPOINTER_TO_INT (user_data);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *name = g_strdup (fest_form_dialog_get_text (dialog, "name"));

  json_builder_begin_object (builder);

  if (!editing)
    {
      g_autofree char *email = g_strdup (fest_form_dialog_get_text (dialog, "email"));
      GtkWidget *password_row = fest_form_dialog_get_row (dialog, "password");
      const char *password = gtk_editable_get_text (GTK_EDITABLE (password_row));

      if (!looks_like_email (email))
        {
          fest_form_dialog_set_error (dialog, "email", _("Enter a valid email address."));
          return NULL;
        }
      if (g_utf8_strlen (password, -1) < 8)
        {
          fest_form_dialog_set_error (dialog, "password",
                                      _("The password needs at least 8 characters."));
          return NULL;
        }
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, email);
      json_builder_set_member_name (builder, "password");
      json_builder_add_string_value (builder, password);
    }

  if (*name == '\0')
    {
      fest_form_dialog_set_error (dialog, "name", _("Enter the member’s name."));
      return NULL;
    }
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);

  if (!add_roles (dialog, builder))
    {
      fest_form_dialog_set_error (dialog, NULL, _("Give the member at least one role."));
      return NULL;
    }

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static GtkWidget *
role_check (FestFormDialog *dialog,
            FestRole        role)
{
  g_autofree char *field = role_field (role);

  return adw_action_row_get_activatable_widget (ADW_ACTION_ROW (fest_form_dialog_get_row (dialog, field)));
}

static void
lead_toggled_cb (GtkCheckButton *lead,
                 GParamSpec     *pspec,
                 GtkCheckButton *security)
{
  if (gtk_check_button_get_active (lead))
    gtk_check_button_set_active (security, TRUE);
}

static void
security_toggled_cb (GtkCheckButton *security,
                     GParamSpec     *pspec,
                     GtkCheckButton *lead)
{
  if (!gtk_check_button_get_active (security))
    gtk_check_button_set_active (lead, FALSE);
}

/* Ticking Security lead ticks Security; unticking Security unticks the lead. */
static void
link_security_checks (FestFormDialog *dialog)
{
  GtkWidget *lead = role_check (dialog, FEST_ROLE_SECURITY_LEAD);
  GtkWidget *security = role_check (dialog, FEST_ROLE_SECURITY);

  g_signal_connect_object (lead, "notify::active", G_CALLBACK (lead_toggled_cb), security, 0);
  g_signal_connect_object (security, "notify::active", G_CALLBACK (security_toggled_cb), lead, 0);
}

static void
open_member_dialog (FestTeamPage *self,
                    FestMember   *member)
{
  FestFormDialog *dialog;
  g_autofree char *path = NULL;
  const char * const role_help[] = {
    _("Sets up the festival, sees everything"),
    _("Sells at a stand, credits wallets"),
    _("Checks tickets at the gates"),
    _("Handles incidents on the site"),
    _("Sees and assigns every incident; includes Security"),
    _("Sees their own slots and guest list"),
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (role_help) == G_N_ELEMENTS (assignable_roles));

  dialog = fest_form_dialog_new (GTK_WIDGET (self),
                                 member != NULL ? _("Edit Member") : _("New Member"),
                                 member != NULL ? _("_Save") : _("_Add"));
  if (member != NULL)
    {
      fest_form_dialog_set_description (dialog, fest_member_get_email (member));
      path = g_strdup_printf ("/members/%s", fest_member_get_id (member));
    }
  else
    {
      fest_form_dialog_set_description (dialog,
                                        _("An existing account with this email joins the festival; otherwise an account is created with this password."));
      fest_form_dialog_add_entry (dialog, "email", _("Email"), NULL);
    }
  fest_form_dialog_add_entry (dialog, "name", _("Name"),
                              member != NULL ? fest_member_get_name (member) : NULL);
  if (member == NULL)
    fest_form_dialog_add_password (dialog, "password", _("Password"));

  for (guint i = 0; i < G_N_ELEMENTS (assignable_roles); i++)
    {
      g_autofree char *field = role_field (assignable_roles[i]);

      fest_form_dialog_add_check (dialog, field, fest_member_role_label (assignable_roles[i]),
                                  role_help[i],
                                  member != NULL
                                  && (fest_member_get_roles (member) & assignable_roles[i]) != 0);
    }
  link_security_checks (dialog);

  fest_form_dialog_set_request (dialog, page_client (self), member != NULL ? "PATCH" : "POST",
                                path != NULL ? path : "/members", build_member_body,
                                GINT_TO_POINTER (member != NULL), NULL);
  g_object_set_data_full (G_OBJECT (dialog), "fest-saved-message",
                          g_strdup (member != NULL ? _("Member saved") : _("Member added")), g_free);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  GPtrArray *stand_ids;   /* index 0 = no stand */
} EnrollData;

static void
enroll_data_free (EnrollData *data)
{
  g_clear_pointer (&data->stand_ids, g_ptr_array_unref);
  g_free (data);
}

static JsonNode *
build_device_body (FestFormDialog *dialog,
                   gpointer        user_data)
{
  EnrollData *data = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *name = g_strdup (fest_form_dialog_get_text (dialog, "name"));
  guint stand = fest_form_dialog_get_selected (dialog, "stand_id");
  guint mode = fest_form_dialog_get_selected (dialog, "mode");
  const char *stand_id;

  if (*name == '\0')
    {
      fest_form_dialog_set_error (dialog, "name", _("Name the device, for example “Main bar till 1”."));
      return NULL;
    }
  if (mode >= G_N_ELEMENTS (device_modes) - 1)
    {
      fest_form_dialog_set_error (dialog, "mode", _("Choose what the station does."));
      return NULL;
    }
  stand_id = stand < data->stand_ids->len ? g_ptr_array_index (data->stand_ids, stand) : NULL;
  if (stand_id == NULL && (g_str_equal (device_modes[mode], "cashier")
                           || g_str_equal (device_modes[mode], "recharge")))
    {
      fest_form_dialog_set_error (dialog, "stand_id", _("A till or recharge desk belongs to a stand."));
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "stand_id");
  if (stand_id != NULL)
    json_builder_add_string_value (builder, stand_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, device_modes[mode]);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
enrolled_cb (FestFormDialog *dialog,
             JsonNode       *data,
             gpointer        user_data)
{
  FestTeamPage *self = user_data;
  const char *token = NULL;
  const char *name = NULL;

  if (JSON_NODE_HOLDS_OBJECT (data))
    {
      token = fest_page_json_string (json_node_get_object (data), "token");
      name = fest_page_json_string (json_node_get_object (data), "name");
    }

  fest_page_toast (GTK_WIDGET (self), _("Device enrolled"));
  if (token != NULL)
    {
      g_autofree char *description = NULL;
      g_autoptr(GString) grouped = g_string_new (NULL);
      FestQrDialog *qr;

      description = g_strdup_printf (_("Scan or paste this token on “%s” to connect it. It is shown only this once: keep it secret."),
                                     name != NULL ? name : "");
      qr = fest_qr_dialog_new (GTK_WIDGET (self), _("Device Token"), description, token);
      /* Groups of 8 split by spaces, which the station's token field strips: what is read is
       * what works when typed. */
      for (const char *p = token; *p != '\0'; p++)
        {
          if (p != token && (p - token) % 8 == 0)
            g_string_append_c (grouped, ' ');
          g_string_append_c (grouped, *p);
        }
      fest_qr_dialog_set_display_text (qr, grouped->str);
      gtk_window_present (GTK_WINDOW (qr));
    }

  fest_team_page_reload (self);
}

static void
enroll_device_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FestTeamPage *self = FEST_TEAM_PAGE (widget);
  FestFormDialog *dialog;
  EnrollData *data;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  const char * const mode_labels[] = {
    _("Cashier (sells at the stand)"), _("Recharge desk"), _("Gate scanner"), _("Security"), NULL
  };

  data = g_new0 (EnrollData, 1);
  data->stand_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (data->stand_ids, NULL);
  g_ptr_array_add (labels, (gpointer) _("No stand"));
  for (guint i = 0; i < self->stand_ids->len; i++)
    {
      const char *id = g_ptr_array_index (self->stand_ids, i);

      g_ptr_array_add (data->stand_ids, g_strdup (id));
      g_ptr_array_add (labels, g_hash_table_lookup (self->stand_names, id));
    }
  g_ptr_array_add (labels, NULL);

  dialog = fest_form_dialog_new (GTK_WIDGET (self), _("Enroll Device"), _("_Enroll"));
  fest_form_dialog_set_description (dialog,
                                    _("The device gets its own long-lived token, shown once after enrolling."));
  fest_form_dialog_add_entry (dialog, "name", _("Name"), NULL);
  fest_form_dialog_add_combo (dialog, "mode", _("Mode"), mode_labels, 0);
  fest_form_dialog_add_combo (dialog, "stand_id", _("Stand"), (const char * const *) labels->pdata,
                              self->stand_ids->len > 0 ? 1 : 0);
  fest_form_dialog_set_request (dialog, page_client (self),
                                "POST", "/devices", build_device_body, data,
                                (GDestroyNotify) enroll_data_free);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (enrolled_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
changed_cb (GtkWidget *page,
            JsonNode  *data)
{
  fest_team_page_reload (FEST_TEAM_PAGE (page));
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  FestTeamPage *self = user_data;

  fest_page_send (GTK_WIDGET (self), page_client (self), NULL, "DELETE",
                  g_object_get_data (G_OBJECT (dialog), "fest-path"), NULL,
                  g_object_get_data (G_OBJECT (dialog), "fest-message"), changed_cb);
}

static void
confirm (FestTeamPage *self,
         const char   *heading,
         const char   *body,
         const char   *confirm_label,
         char         *path,
         const char   *done_message)
{
  AdwMessageDialog *dialog;

  dialog = fest_page_confirm (GTK_WIDGET (self), heading, body, confirm_label);
  g_object_set_data_full (G_OBJECT (dialog), "fest-path", path, g_free);
  g_object_set_data_full (G_OBJECT (dialog), "fest-message", g_strdup (done_message), g_free);
  g_signal_connect_object (dialog, "response::confirm", G_CALLBACK (confirm_response_cb), self, 0);
}

static void
new_member_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  open_member_dialog (FEST_TEAM_PAGE (widget), NULL);
}

static void
edit_member_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FestTeamPage *self = FEST_TEAM_PAGE (widget);
  FestMember *member = get_selected_member (self);

  if (member != NULL)
    open_member_dialog (self, member);
}

static void
remove_member_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FestTeamPage *self = FEST_TEAM_PAGE (widget);
  FestMember *member = get_selected_member (self);
  g_autofree char *heading = NULL;

  if (member == NULL)
    return;

  heading = g_strdup_printf (_("Remove %s from the team?"), fest_member_get_name (member));
  confirm (self, heading,
           _("They lose access to this festival at once. Their account and past actions stay."),
           _("_Remove"), g_strdup_printf ("/members/%s", fest_member_get_id (member)),
           _("Member removed"));
}

static void
revoke_device_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FestTeamPage *self = FEST_TEAM_PAGE (widget);
  FestDevice *device = get_selected_device (self);
  g_autofree char *heading = NULL;

  if (device == NULL || fest_device_get_revoked (device))
    return;

  heading = g_strdup_printf (_("Revoke “%s”?"), fest_device_get_name (device));
  confirm (self, heading,
           _("Its token stops working at once. Operations it has not synced yet are refused."),
           _("_Revoke"), g_strdup_printf ("/devices/%s", fest_device_get_id (device)),
           _("Device revoked"));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  fest_team_page_reload (FEST_TEAM_PAGE (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (FEST_TEAM_PAGE (widget)->search_entry));
}

static void
member_activate_cb (FestTeamPage *self,
                    guint         position)
{
  gtk_single_selection_set_selected (self->member_selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "team.edit-member", NULL);
}

static void
fest_team_page_dispose (GObject *object)
{
  FestTeamPage *self = FEST_TEAM_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_TEAM_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->member_selection);
  g_clear_object (&self->device_selection);
  g_clear_object (&self->member_filter);
  g_clear_object (&self->device_filter);
  g_clear_object (&self->members);
  g_clear_object (&self->devices);

  G_OBJECT_CLASS (fest_team_page_parent_class)->dispose (object);
}

static void
fest_team_page_finalize (GObject *object)
{
  FestTeamPage *self = FEST_TEAM_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->stand_names, g_hash_table_unref);
  g_clear_pointer (&self->stand_ids, g_ptr_array_unref);
  g_free (self->search);

  G_OBJECT_CLASS (fest_team_page_parent_class)->finalize (object);
}

static void
fest_team_page_class_init (FestTeamPageClass *klass)
{
  FestPageClass *page_class = FEST_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  page_class->reload = fest_team_page_real_reload;
  object_class->dispose = fest_team_page_dispose;
  object_class->finalize = fest_team_page_finalize;

  g_type_ensure (FEST_TYPE_MEMBER);
  g_type_ensure (FEST_TYPE_DEVICE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/team/fest-team-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestTeamPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FestTeamPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FestTeamPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FestTeamPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, FestTeamPage, members_view);
  gtk_widget_class_bind_template_child (widget_class, FestTeamPage, devices_view);
  gtk_widget_class_bind_template_child (widget_class, FestTeamPage, devices_stack);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "team.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "team.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "team.new-member", NULL, new_member_action);
  gtk_widget_class_install_action (widget_class, "team.edit-member", NULL, edit_member_action);
  gtk_widget_class_install_action (widget_class, "team.remove-member", NULL, remove_member_action);
  gtk_widget_class_install_action (widget_class, "team.enroll-device", NULL, enroll_device_action);
  gtk_widget_class_install_action (widget_class, "team.revoke-device", NULL, revoke_device_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "team.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "team.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "team.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "team.new-member", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "team.edit-member", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "team.enroll-device", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "team.remove-member", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_SHIFT_MASK,
                                       "team.revoke-device", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fest_team_page_init (FestTeamPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fest_page_set_state_widgets (FEST_PAGE (self), self->stack, self->spinner, self->error_status);

  self->cancellable = g_cancellable_new ();
  self->members = g_list_store_new (FEST_TYPE_MEMBER);
  self->devices = g_list_store_new (FEST_TYPE_DEVICE);
  self->stand_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->stand_ids = g_ptr_array_new_with_free_func (g_free);
  self->member_filter = GTK_FILTER (gtk_custom_filter_new (member_filter_func, self, NULL));
  self->device_filter = GTK_FILTER (gtk_custom_filter_new (device_filter_func, self, NULL));

  self->member_selection = fest_page_make_selection (G_LIST_MODEL (self->members), self->member_filter,
                                                     self->members_view, NULL);
  self->device_selection = fest_page_make_selection (G_LIST_MODEL (self->devices), self->device_filter,
                                                     self->devices_view, &self->visible_devices);

  g_signal_connect_object (self->member_selection, "notify::selected-item",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->device_selection, "notify::selected-item",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->members_view, "activate",
                           G_CALLBACK (member_activate_cb), self, G_CONNECT_SWAPPED);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  set_state (self, FEST_PAGE_STATE_LOADING);
  update_actions (self);
}

GtkWidget *
fest_team_page_new (FestClient *client)
{
  FestTeamPage *self;

  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);

  self = g_object_new (FEST_TYPE_TEAM_PAGE, "client", client, NULL);

  return GTK_WIDGET (self);
}

static void
fest_team_page_real_reload (FestPage *page)
{
  FestTeamPage *self = FEST_TEAM_PAGE (page);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (page_state (self) != FEST_PAGE_STATE_CONTENT)
    set_state (self, FEST_PAGE_STATE_LOADING);

  fest_page_fetch_all_async (page_client (self), "/members", self->cancellable, members_loaded_cb,
                             g_object_ref (self));
}

void
fest_team_page_reload (FestTeamPage *self)
{
  g_return_if_fail (FEST_IS_TEAM_PAGE (self));

  fest_page_reload (FEST_PAGE (self));
}

const char *
fest_team_page_get_state (FestTeamPage *self)
{
  g_return_val_if_fail (FEST_IS_TEAM_PAGE (self), NULL);

  return fest_page_get_state_name (FEST_PAGE (self));
}

GListModel *
fest_team_page_get_members (FestTeamPage *self)
{
  g_return_val_if_fail (FEST_IS_TEAM_PAGE (self), NULL);

  return G_LIST_MODEL (self->members);
}

GListModel *
fest_team_page_get_devices (FestTeamPage *self)
{
  g_return_val_if_fail (FEST_IS_TEAM_PAGE (self), NULL);

  return G_LIST_MODEL (self->devices);
}

gboolean
fest_team_page_select_member (FestTeamPage *self,
                              const char   *member_id)
{
  g_return_val_if_fail (FEST_IS_TEAM_PAGE (self), FALSE);

  return fest_page_select_id (self->member_selection, member_id);
}

gboolean
fest_team_page_select_device (FestTeamPage *self,
                              const char   *device_id)
{
  g_return_val_if_fail (FEST_IS_TEAM_PAGE (self), FALSE);

  return fest_page_select_id (self->device_selection, device_id);
}
