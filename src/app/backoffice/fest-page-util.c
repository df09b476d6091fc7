/* fest-page-util.c: helpers shared by the back-office pages (toasts, JSON, times, QR codes)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <qrencode.h>

#include "fest-page-util.h"

/* Guards against a server that keeps answering full pages. */
#define MAX_PAGES 200

typedef struct
{
  FestClient *client;
  char       *path;
  JsonArray  *items;
  guint       page;
} FetchAllData;

static void
fetch_all_data_free (FetchAllData *data)
{
  g_clear_object (&data->client);
  g_free (data->path);
  g_clear_pointer (&data->items, json_array_unref);
  g_free (data);
}

static void fetch_all_next_page (GTask *task);

static void
fetch_all_page_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchAllData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 total = -1;
  JsonArray *array;
  guint n;

  node = fest_client_request_finish (FEST_CLIENT (source), result, &total, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_task_return_new_error (task, FEST_ERROR, FEST_ERROR_INTERNAL,
                               _("The server sent an unexpected answer."));
      return;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    json_array_add_element (data->items, json_node_copy (json_array_get_element (array, i)));

  if (n == FEST_PAGE_MAX_PER_PAGE
      && total > (gint64) json_array_get_length (data->items)
      && data->page < MAX_PAGES)
    {
      data->page++;
      fetch_all_next_page (g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, json_array_ref (data->items), (GDestroyNotify) json_array_unref);
}

static void
fetch_all_next_page (GTask *task)
{
  FetchAllData *data = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  path = g_strdup_printf ("%s%cpage=%u&per_page=%u", data->path,
                          strchr (data->path, '?') != NULL ? '&' : '?',
                          data->page, FEST_PAGE_MAX_PER_PAGE);
  fest_client_request_async (data->client, "GET", path, NULL, NULL,
                             g_task_get_cancellable (task), fetch_all_page_cb, task);
}

typedef struct
{
  FestClient *client;
} FestivalData;

static void
festival_data_free (FestivalData *data)
{
  g_clear_object (&data->client);
  g_free (data);
}

static void
festival_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_pointer (task, json_object_new (), (GDestroyNotify) json_object_unref);
      return;
    }

  g_task_return_pointer (task, json_object_ref (json_node_get_object (node)),
                         (GDestroyNotify) json_object_unref);
}

static void
festival_me_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FestivalData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;
  GCancellable *cancellable;
  JsonObject *me;
  JsonObject *festival = NULL;
  const char *festival_id = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_pointer (task, json_object_new (), (GDestroyNotify) json_object_unref);
      return;
    }

  me = json_node_get_object (node);
  if (json_object_has_member (me, "festival")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (me, "festival")))
    festival = json_object_get_object_member (me, "festival");

  /* /me may carry only part of the festival: its own route has every field. */
  if (festival != NULL)
    festival_id = fest_page_json_string (festival, "id");
  if (festival_id == NULL)
    festival_id = fest_page_json_string (me, "festival_id");

  if (festival_id == NULL)
    {
      g_task_return_pointer (task,
                             festival != NULL ? json_object_ref (festival) : json_object_new (),
                             (GDestroyNotify) json_object_unref);
      return;
    }

  path = g_strdup_printf ("/festivals/%s", festival_id);
  cancellable = g_task_get_cancellable (task);
  fest_client_request_async (data->client, "GET", path, NULL, NULL, cancellable, festival_cb,
                             g_steal_pointer (&task));
}

void
fest_page_toast (GtkWidget  *widget,
                 const char *message)
{
  GtkWidget *overlay;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_message ("%s", message);
      return;
    }

  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

char *
fest_page_error_text (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == FEST_ERROR)
    return g_strdup (error->message);

  return g_strdup_printf (_("Cannot reach the server: %s"), error->message);
}

void
fest_page_toast_error (GtkWidget    *widget,
                       const GError *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  text = fest_page_error_text (error);
  fest_page_toast (widget, text);
}

const char *
fest_page_error_field (const GError *error)
{
  JsonNode *details;

  if (error == NULL || error->domain != FEST_ERROR)
    return NULL;

  details = fest_error_get_details (error);
  if (details == NULL || !JSON_NODE_HOLDS_OBJECT (details))
    return NULL;

  return fest_page_json_string (json_node_get_object (details), "field");
}

const char *
fest_page_json_string (JsonObject *object,
                       const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gint64
fest_page_json_int (JsonObject *object,
                    const char *member,
                    gint64      default_value)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return default_value;

  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return default_value;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    default:
      return default_value;
    }
}

double
fest_page_json_double (JsonObject *object,
                       const char *member,
                       double      default_value)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return default_value;

  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return default_value;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return (double) json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    default:
      return default_value;
    }
}

gboolean
fest_page_json_bool (JsonObject *object,
                     const char *member,
                     gboolean    default_value)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return default_value;

  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return default_value;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node);
    case G_TYPE_INT64:
      return json_node_get_int (node) != 0;
    default:
      return default_value;
    }
}

gboolean
fest_page_json_is_null (JsonObject *object,
                        const char *member)
{
  return object == NULL
         || !json_object_has_member (object, member)
         || JSON_NODE_HOLDS_NULL (json_object_get_member (object, member));
}

char *
fest_page_format_time (const char *rfc3339)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (rfc3339 == NULL || *rfc3339 == '\0')
    return g_strdup ("");

  utc = g_date_time_new_from_iso8601 (rfc3339, NULL);
  if (utc == NULL)
    return g_strdup ("");

  local = g_date_time_to_local (utc);
  /* Translators: a date and time in a list, see the strftime() manual */
  return g_date_time_format (local, _("%x %H:%M"));
}

char *
fest_page_parse_local_time (const char *text)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) utc = NULL;
  int year, month, day, hour = 0, minute = 0, second = 0;
  int consumed = 0;

  if (text == NULL)
    return NULL;

  while (g_ascii_isspace (*text))
    text++;

  /* Date, then optionally " HH:MM" or "THH:MM", then optionally ":SS", then nothing. */
  if (sscanf (text, "%4d-%2d-%2d%n", &year, &month, &day, &consumed) != 3)
    return NULL;
  text += consumed;
  if (*text == ' ' || *text == 'T')
    {
      consumed = 0;
      if (sscanf (text + 1, "%2d:%2d%n", &hour, &minute, &consumed) != 2)
        return NULL;
      text += 1 + consumed;
      if (*text == ':')
        {
          consumed = 0;
          if (sscanf (text + 1, "%2d%n", &second, &consumed) != 1)
            return NULL;
          text += 1 + consumed;
        }
    }
  while (g_ascii_isspace (*text))
    text++;
  if (*text != '\0')
    return NULL;

  local = g_date_time_new (tz, year, month, day, hour, minute, second);
  if (local == NULL)
    return NULL;

  utc = g_date_time_to_utc (local);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

char *
fest_page_format_local_input (const char *rfc3339)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (rfc3339 == NULL)
    return g_strdup ("");

  utc = g_date_time_new_from_iso8601 (rfc3339, NULL);
  if (utc == NULL)
    return g_strdup ("");

  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

void
fest_page_fetch_all_async (FestClient          *client,
                           const char          *path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FetchAllData *data;

  g_return_if_fail (FEST_IS_CLIENT (client));
  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fest_page_fetch_all_async);

  data = g_new0 (FetchAllData, 1);
  data->client = g_object_ref (client);
  data->path = g_strdup (path);
  data->items = json_array_new ();
  data->page = 1;
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_all_data_free);

  fetch_all_next_page (g_steal_pointer (&task));
}

JsonArray *
fest_page_fetch_all_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
fest_page_fetch_festival_async (FestClient          *client,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FestivalData *data;

  g_return_if_fail (FEST_IS_CLIENT (client));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fest_page_fetch_festival_async);

  data = g_new0 (FestivalData, 1);
  data->client = g_object_ref (client);
  g_task_set_task_data (task, data, (GDestroyNotify) festival_data_free);

  fest_client_request_async (client, "GET", "/me", NULL, NULL, cancellable, festival_me_cb,
                             g_steal_pointer (&task));
}

JsonObject *
fest_page_fetch_festival_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
fest_page_festival_currency (JsonObject *festival)
{
  const char *currency = fest_page_json_string (festival, "currency_name");

  return g_strdup (currency != NULL ? currency : "");
}

GdkTexture *
fest_page_qr_texture_new (const char *text,
                          guint       scale)
{
  QRcode *code;
  g_autoptr(GBytes) bytes = NULL;
  guint8 *pixels;
  const guint quiet = 4;
  gsize size, stride;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (scale > 0 && scale <= 64, NULL);

  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == NULL)
    return NULL;

  size = ((gsize) code->width + 2 * quiet) * scale;
  stride = size * 3;
  pixels = g_malloc (stride * size);
  memset (pixels, 0xff, stride * size);

  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      {
        if ((code->data[y * code->width + x] & 1) == 0)
          continue;

        for (guint dy = 0; dy < scale; dy++)
          {
            guint8 *row = pixels + ((y + quiet) * scale + dy) * stride + (x + quiet) * scale * 3;

            memset (row, 0, scale * 3);
          }
      }

  QRcode_free (code);

  bytes = g_bytes_new_take (pixels, stride * size);
  return gdk_memory_texture_new (size, size, GDK_MEMORY_R8G8B8, bytes, stride);
}

void
fest_page_copy_text (GtkWidget  *widget,
                     const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (text != NULL);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  fest_page_toast (widget, _("Copied to the clipboard"));
}

AdwMessageDialog *
fest_page_confirm (GtkWidget  *page,
                   const char *heading,
                   const char *body,
                   const char *confirm_label)
{
  GtkRoot *root = gtk_widget_get_root (page);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_present (GTK_WINDOW (dialog));

  return ADW_MESSAGE_DIALOG (dialog);
}

typedef struct
{
  GtkWidget        *page;
  char             *message;
  FestPageDoneFunc  done;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->page);
  g_free (data->message);
  g_free (data);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (node == NULL)
    {
      fest_page_toast_error (data->page, error);
    }
  else
    {
      if (data->message != NULL)
        fest_page_toast (data->page, data->message);
      if (data->done != NULL)
        data->done (data->page, node);
    }

  send_data_free (data);
}

void
fest_page_send (GtkWidget        *page,
                FestClient       *client,
                GCancellable     *cancellable,
                const char       *method,
                const char       *path,
                JsonNode         *body,
                const char       *success_message,
                FestPageDoneFunc  done)
{
  SendData *data;

  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (FEST_IS_CLIENT (client));

  data = g_new0 (SendData, 1);
  data->page = g_object_ref (page);
  data->message = g_strdup (success_message);
  data->done = done;

  fest_client_request_async (client, method, path, body, NULL, cancellable, send_cb, data);
}

GtkSingleSelection *
fest_page_make_selection (GListModel          *store,
                          GtkFilter           *filter,
                          GtkColumnView       *view,
                          GtkFilterListModel **filtered_out)
{
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;
  GtkSingleSelection *selection;

  filtered = gtk_filter_list_model_new (g_object_ref (store), g_object_ref (filter));
  if (filtered_out != NULL)
    *filtered_out = filtered;
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                    g_object_ref (gtk_column_view_get_sorter (view)));
  selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));

  return selection;
}

gboolean
fest_page_take_festival (GAsyncResult  *result,
                         JsonObject   **festival,
                         char         **currency,
                         GError       **error)
{
  g_autoptr(JsonObject) fetched = fest_page_fetch_festival_finish (result, error);

  if (fetched == NULL)
    return FALSE;
  g_free (*currency);
  *currency = fest_page_festival_currency (fetched);
  g_clear_pointer (festival, json_object_unref);
  *festival = g_steal_pointer (&fetched);
  return TRUE;
}

gboolean
fest_page_select_id (GtkSingleSelection *selection,
                     const char         *id)
{
  GListModel *model = G_LIST_MODEL (selection);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autofree char *item_id = NULL;

      g_object_get (item, "id", &item_id, NULL);
      if (g_strcmp0 (item_id, id) == 0)
        {
          gtk_single_selection_set_selected (selection, i);
          return TRUE;
        }
    }

  return FALSE;
}
