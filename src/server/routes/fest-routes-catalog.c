/* fest-routes-catalog.c: stands and products
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DELETE is a soft delete (deleted = 1): ledger rows keep referring to the stand or product, it
 * just disappears from the API. Deleting a stand soft-deletes its products. Every mutation bumps
 * the row's rev (GET /sync/changes) and writes the audit log (old/new JSON) in the same write job.
 */

#include "config.h"

#include <string.h>

#include "fest-catalog-repo.h"
#include "fest-crud-private.h"
#include "fest-router.h"

#define MAX_NAME_CHARS 200
#define MAX_ZONE_CHARS 100
#define MAX_CATEGORY_CHARS 100
#define MAX_STOCK G_GINT64_CONSTANT (1000000000)

static JsonNode *
stand_to_json (gconstpointer row)
{
  const FestStandRow *stand = row;
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "id", stand->id);
  json_object_set_string_member (object, "name", stand->name);
  json_object_set_string_member (object, "type", stand->type);
  if (stand->has_location || stand->zone != NULL)
    {
      JsonObject *location = json_object_new ();

      if (stand->has_location)
        {
          json_object_set_double_member (location, "lat", stand->lat);
          json_object_set_double_member (location, "lng", stand->lng);
        }
      else
        {
          json_object_set_null_member (location, "lat");
          json_object_set_null_member (location, "lng");
        }
      fest_json_set_nullable_string (location, "zone", stand->zone);
      json_object_set_object_member (object, "location", location);
    }
  else
    json_object_set_null_member (object, "location");
  json_object_set_boolean_member (object, "is_active", stand->is_active);
  json_object_set_string_member (object, "created_at", stand->created_at);
  json_object_set_string_member (object, "updated_at", stand->updated_at);
  json_node_take_object (node, object);
  return node;
}

static JsonNode *
product_to_json (gconstpointer row)
{
  const FestProductRow *product = row;
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "id", product->id);
  json_object_set_string_member (object, "stand_id", product->stand_id);
  json_object_set_string_member (object, "name", product->name);
  json_object_set_int_member (object, "price", product->price);
  json_object_set_double_member (object, "vat_rate", fest_vat_rate_to_percent (product->vat_rate_bp));
  fest_json_set_nullable_string (object, "category", product->category);
  if (product->has_stock)
    json_object_set_int_member (object, "stock", product->stock);
  else
    json_object_set_null_member (object, "stock");
  json_object_set_boolean_member (object, "is_active", product->is_active);
  json_object_set_string_member (object, "created_at", product->created_at);
  json_object_set_string_member (object, "updated_at", product->updated_at);
  json_node_take_object (node, object);
  return node;
}

/* Input parsing (main thread) */

static gboolean
valid_stand_type (const char *type)
{
  return g_str_equal (type, "BAR") || g_str_equal (type, "FOOD") || g_str_equal (type, "MERCH")
         || g_str_equal (type, "RECHARGE");
}

typedef struct
{
  FestCrudJobHead head;
  gboolean        set_name, set_type, set_location, set_active;
  FestStandRow    stand;         /* the new values */
} StandJob;

static void
stand_job_free (gpointer data)
{
  StandJob *job = data;

  fest_crud_job_head_clear (&job->head);
  fest_stand_row_clear (&job->stand);
  g_free (job);
}

/* Fills @job from @body; @create requires name and type. */
static gboolean
stand_parse (JsonObject *body,
             gboolean    create,
             gpointer    job_data,
             GError    **error)
{
  StandJob *job = job_data;
  const char *text = NULL;

  if (json_object_has_member (body, "name"))
    {
      if (!fest_json_get_text (body, "name", TRUE, MAX_NAME_CHARS, &text, error))
        return FALSE;
      job->stand.name = g_strstrip (g_strdup (text));
      job->set_name = TRUE;
    }
  else if (create)
    {
      g_propagate_error (error, fest_error_validation ("name", "name is required"));
      return FALSE;
    }

  if (json_object_has_member (body, "type"))
    {
      if (!fest_json_get_string (body, "type", TRUE, &text, error))
        return FALSE;
      if (!valid_stand_type (text))
        {
          g_propagate_error (error, fest_error_validation ("type", "type must be BAR, FOOD, MERCH or RECHARGE"));
          return FALSE;
        }
      job->stand.type = g_strdup (text);
      job->set_type = TRUE;
    }
  else if (create)
    {
      g_propagate_error (error, fest_error_validation ("type", "type is required"));
      return FALSE;
    }

  if (json_object_has_member (body, "location"))
    {
      job->set_location = TRUE;
      if (!fest_crud_member_is_null (body, "location"))
        {
          JsonObject *location = NULL;

          if (!fest_json_get_object (body, "location", TRUE, &location, error)
              || !fest_json_get_location (body, "location", TRUE, &job->stand.lat, &job->stand.lng, error))
            return FALSE;
          job->stand.has_location = TRUE;
          if (json_object_has_member (location, "zone") && !fest_crud_member_is_null (location, "zone"))
            {
              GError *inner = NULL;

              if (!fest_json_get_text (location, "zone", FALSE, MAX_ZONE_CHARS, &text, &inner))
                {
                  g_propagate_error (error, fest_error_validation ("location.zone", "%s", inner->message));
                  g_error_free (inner);
                  return FALSE;
                }
              job->stand.zone = g_strstrip (g_strdup (text));
            }
        }
    }

  job->stand.is_active = TRUE;
  if (json_object_has_member (body, "is_active"))
    {
      if (!fest_json_get_bool (body, "is_active", TRUE, &job->stand.is_active, error))
        return FALSE;
      job->set_active = TRUE;
    }
  return TRUE;
}

typedef struct
{
  FestCrudJobHead head;
  gboolean        set_stand, set_name, set_price, set_vat, set_category, set_stock, set_active;
  FestProductRow  product;
} ProductJob;

static void
product_job_free (gpointer data)
{
  ProductJob *job = data;

  fest_crud_job_head_clear (&job->head);
  fest_product_row_clear (&job->product);
  g_free (job);
}

static gboolean
product_parse (JsonObject *body,
               gboolean    create,
               gpointer    job_data,
               GError    **error)
{
  ProductJob *job = job_data;
  const char *text = NULL;

  if (json_object_has_member (body, "stand_id"))
    {
      if (!fest_json_get_uuid (body, "stand_id", TRUE, &text, error))
        return FALSE;
      job->product.stand_id = g_strdup (text);
      job->set_stand = TRUE;
    }
  else if (create)
    {
      g_propagate_error (error, fest_error_validation ("stand_id", "stand_id is required"));
      return FALSE;
    }

  if (json_object_has_member (body, "name"))
    {
      if (!fest_json_get_text (body, "name", TRUE, MAX_NAME_CHARS, &text, error))
        return FALSE;
      job->product.name = g_strstrip (g_strdup (text));
      job->set_name = TRUE;
    }
  else if (create)
    {
      g_propagate_error (error, fest_error_validation ("name", "name is required"));
      return FALSE;
    }

  if (json_object_has_member (body, "price"))
    {
      if (!fest_json_get_int (body, "price", TRUE, 0, FEST_MONEY_MAX_AMOUNT, &job->product.price, error))
        return FALSE;
      job->set_price = TRUE;
    }
  else if (create)
    {
      g_propagate_error (error, fest_error_validation ("price", "price is required"));
      return FALSE;
    }

  job->product.vat_rate_bp = 2000;
  if (json_object_has_member (body, "vat_rate"))
    {
      double percent = 0;

      if (!fest_json_get_double (body, "vat_rate", TRUE, 0, 100, &percent, error))
        return FALSE;
      if (!fest_vat_rate_from_percent (percent, &job->product.vat_rate_bp)
          || !fest_vat_rate_is_valid (job->product.vat_rate_bp))
        {
          g_propagate_error (error, fest_error_validation ("vat_rate",
                                                           "vat_rate must be one of 20, 10, 5.5, 2.1 or 0"));
          return FALSE;
        }
      job->set_vat = TRUE;
    }

  if (json_object_has_member (body, "category"))
    {
      job->set_category = TRUE;
      if (!fest_crud_member_is_null (body, "category"))
        {
          if (!fest_json_get_text (body, "category", TRUE, MAX_CATEGORY_CHARS, &text, error))
            return FALSE;
          job->product.category = g_strstrip (g_strdup (text));
        }
    }

  if (json_object_has_member (body, "stock"))
    {
      job->set_stock = TRUE;
      if (!fest_crud_member_is_null (body, "stock"))
        {
          if (!fest_json_get_int (body, "stock", TRUE, 0, MAX_STOCK, &job->product.stock, error))
            return FALSE;
          job->product.has_stock = TRUE;
        }
    }

  job->product.is_active = TRUE;
  if (json_object_has_member (body, "is_active"))
    {
      if (!fest_json_get_bool (body, "is_active", TRUE, &job->product.is_active, error))
        return FALSE;
      job->set_active = TRUE;
    }
  return TRUE;
}

static const FestCrudKind stand_kind = {
  .name = "stand",
  .table = &fest_catalog_stands,
  .to_json = stand_to_json,
  .job_size = sizeof (StandJob),
  .parse = stand_parse,
  .job_free = stand_job_free,
};

static const FestCrudKind product_kind = {
  .name = "product",
  .table = &fest_catalog_products,
  .filter_params = { "stand_id" },
  .to_json = product_to_json,
  .job_size = sizeof (ProductJob),
  .parse = product_parse,
  .job_free = product_job_free,
};

/* Writer-thread helpers */

static gboolean
load_stand (FestWriteCtx  *ctx,
            const char    *id,
            const char    *field,
            FestStandRow  *stand,
            GError       **error)
{
  return fest_crud_load_row (ctx, &stand_kind, id, field, stand, error);
}

static gboolean
load_product (FestWriteCtx    *ctx,
              const char      *id,
              FestProductRow  *product,
              GError         **error)
{
  return fest_crud_load_row (ctx, &product_kind, id, NULL, product, error);
}

/* Stand jobs */

static gboolean
stand_create_write (FestWriteCtx   *ctx,
                    gpointer        job_data,
                    gpointer       *result,
                    GDestroyNotify *result_free,
                    GError        **error)
{
  StandJob *job = job_data;
  JsonNode *node;
  gint64 rev;

  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return FALSE;
  g_free (job->stand.id);
  job->stand.id = fest_uuid_new ();
  job->stand.created_at = fest_time_now ();
  job->stand.updated_at = g_strdup (job->stand.created_at);
  if (!fest_catalog_repo_write_stand (ctx, &job->stand, TRUE, rev, error))
    return FALSE;

  node = stand_to_json (&job->stand);
  if (!fest_write_ctx_audit (ctx, job->head.actor, "stand.create", "stand", job->stand.id, NULL, node, error))
    {
      json_node_unref (node);
      return FALSE;
    }
  return fest_crud_take_result (node, result, result_free);
}

static gboolean
stand_update_write (FestWriteCtx   *ctx,
                    gpointer        job_data,
                    gpointer       *result,
                    GDestroyNotify *result_free,
                    GError        **error)
{
  StandJob *job = job_data;
  g_auto(FestStandRow) stand = { 0, };
  g_autoptr(JsonNode) old_node = NULL;
  JsonNode *new_node;
  gint64 rev;

  if (!load_stand (ctx, job->head.id, NULL, &stand, error))
    return FALSE;
  old_node = stand_to_json (&stand);

  if (job->set_name)
    {
      g_free (stand.name);
      stand.name = g_strdup (job->stand.name);
    }
  if (job->set_type)
    {
      g_free (stand.type);
      stand.type = g_strdup (job->stand.type);
    }
  if (job->set_location)
    {
      stand.has_location = job->stand.has_location;
      stand.lat = job->stand.lat;
      stand.lng = job->stand.lng;
      g_free (stand.zone);
      stand.zone = g_strdup (job->stand.zone);
    }
  if (job->set_active)
    stand.is_active = job->stand.is_active;

  if (!job->set_name && !job->set_type && !job->set_location && !job->set_active)
    return fest_crud_take_result (g_steal_pointer (&old_node), result, result_free);

  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return FALSE;
  g_free (stand.updated_at);
  stand.updated_at = fest_time_now ();
  if (!fest_catalog_repo_write_stand (ctx, &stand, FALSE, rev, error))
    return FALSE;

  new_node = stand_to_json (&stand);
  if (!fest_write_ctx_audit (ctx, job->head.actor, "stand.update", "stand", stand.id, old_node, new_node, error))
    {
      json_node_unref (new_node);
      return FALSE;
    }
  return fest_crud_take_result (new_node, result, result_free);
}

/* Product jobs */

static gboolean
product_create_write (FestWriteCtx   *ctx,
                      gpointer        job_data,
                      gpointer       *result,
                      GDestroyNotify *result_free,
                      GError        **error)
{
  ProductJob *job = job_data;
  g_auto(FestStandRow) stand = { 0, };
  JsonNode *node;
  gint64 rev;

  if (!load_stand (ctx, job->product.stand_id, "stand_id", &stand, error))
    return FALSE;
  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return FALSE;
  g_free (job->product.id);
  job->product.id = fest_uuid_new ();
  job->product.created_at = fest_time_now ();
  job->product.updated_at = g_strdup (job->product.created_at);
  if (!fest_catalog_repo_write_product (ctx, &job->product, TRUE, TRUE, rev, error))
    return FALSE;

  node = product_to_json (&job->product);
  if (!fest_write_ctx_audit (ctx, job->head.actor, "product.create", "product", job->product.id, NULL, node, error))
    {
      json_node_unref (node);
      return FALSE;
    }
  return fest_crud_take_result (node, result, result_free);
}

static gboolean
product_update_write (FestWriteCtx   *ctx,
                      gpointer        job_data,
                      gpointer       *result,
                      GDestroyNotify *result_free,
                      GError        **error)
{
  ProductJob *job = job_data;
  g_auto(FestProductRow) product = { 0, };
  g_autoptr(JsonNode) old_node = NULL;
  JsonNode *new_node;
  gint64 rev;

  if (!load_product (ctx, job->head.id, &product, error))
    return FALSE;
  old_node = product_to_json (&product);

  if (job->set_stand && g_strcmp0 (job->product.stand_id, product.stand_id) != 0)
    {
      g_auto(FestStandRow) stand = { 0, };

      if (!load_stand (ctx, job->product.stand_id, "stand_id", &stand, error))
        return FALSE;
      g_free (product.stand_id);
      product.stand_id = g_strdup (job->product.stand_id);
    }
  if (job->set_name)
    {
      g_free (product.name);
      product.name = g_strdup (job->product.name);
    }
  if (job->set_price)
    product.price = job->product.price;
  if (job->set_vat)
    product.vat_rate_bp = job->product.vat_rate_bp;
  if (job->set_category)
    {
      g_free (product.category);
      product.category = g_strdup (job->product.category);
    }
  if (job->set_stock)
    {
      product.has_stock = job->product.has_stock;
      product.stock = job->product.stock;
    }
  if (job->set_active)
    product.is_active = job->product.is_active;

  if (!job->set_stand && !job->set_name && !job->set_price && !job->set_vat && !job->set_category
      && !job->set_stock && !job->set_active)
    return fest_crud_take_result (g_steal_pointer (&old_node), result, result_free);

  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return FALSE;
  g_free (product.updated_at);
  product.updated_at = fest_time_now ();
  if (!fest_catalog_repo_write_product (ctx, &product, FALSE, job->set_stock, rev, error))
    return FALSE;

  new_node = product_to_json (&product);
  if (!fest_write_ctx_audit (ctx, job->head.actor, "product.update", "product", product.id, old_node, new_node,
                             error))
    {
      json_node_unref (new_node);
      return FALSE;
    }
  return fest_crud_take_result (new_node, result, result_free);
}

static gboolean
stand_delete_write (FestWriteCtx   *ctx,
                    gpointer        job_data,
                    gpointer       *result,
                    GDestroyNotify *result_free,
                    GError        **error)
{
  return fest_crud_delete_write (ctx, &stand_kind, job_data, result, result_free, error);
}

static gboolean
product_delete_write (FestWriteCtx   *ctx,
                      gpointer        job_data,
                      gpointer       *result,
                      GDestroyNotify *result_free,
                      GError        **error)
{
  return fest_crud_delete_write (ctx, &product_kind, job_data, result, result_free, error);
}

/* Handlers */

static void
stands_create (FestRequest *req)
{
  fest_crud_queue_write (req, &stand_kind, 201, stand_create_write, FALSE, TRUE);
}

static void
stands_update (FestRequest *req)
{
  fest_crud_queue_write (req, &stand_kind, 200, stand_update_write, TRUE, TRUE);
}

static void
stands_delete (FestRequest *req)
{
  fest_crud_queue_write (req, &stand_kind, 200, stand_delete_write, TRUE, FALSE);
}

static void
stands_get (FestRequest *req)
{
  fest_crud_reply_one (req, &stand_kind);
}

static void
stands_list (FestRequest *req)
{
  fest_crud_reply_list (req, &stand_kind);
}

static void
products_create (FestRequest *req)
{
  fest_crud_queue_write (req, &product_kind, 201, product_create_write, FALSE, TRUE);
}

static void
products_update (FestRequest *req)
{
  fest_crud_queue_write (req, &product_kind, 200, product_update_write, TRUE, TRUE);
}

static void
products_delete (FestRequest *req)
{
  fest_crud_queue_write (req, &product_kind, 200, product_delete_write, TRUE, FALSE);
}

static void
products_get (FestRequest *req)
{
  fest_crud_reply_one (req, &product_kind);
}

static void
products_list (FestRequest *req)
{
  fest_crud_reply_list (req, &product_kind);
}

void
fest_routes_catalog_register (FestRouter *router)
{
  fest_router_add (router, "GET", "/stands", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_READ, stands_list);
  fest_router_add (router, "POST", "/stands", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_MANAGE, stands_create);
  fest_router_add (router, "GET", "/stands/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_READ, stands_get);
  fest_router_add (router, "PATCH", "/stands/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_MANAGE, stands_update);
  fest_router_add (router, "DELETE", "/stands/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_MANAGE,
                   stands_delete);
  fest_router_add (router, "GET", "/products", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_READ, products_list);
  fest_router_add (router, "POST", "/products", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_MANAGE, products_create);
  fest_router_add (router, "GET", "/products/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_READ, products_get);
  fest_router_add (router, "PATCH", "/products/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_MANAGE,
                   products_update);
  fest_router_add (router, "DELETE", "/products/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_MANAGE,
                   products_delete);
}
