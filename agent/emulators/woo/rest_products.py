"""REST v3 product and variation routes, as strict as WooCommerce.

- GET /products?sku=A,B matches products AND variations, case-insensitively (and, like
  WooCommerce, also tries the whole string "A,B" as one SKU).
- A variation is readable at /products/{id} but writable only through
  /products/{parent}/variations/{id}.
- Batches take at most 100 items (create + update + delete) — else 413 — and answer
  200 with per-item errors inside; an item's id may be a number or a digit string.
- Listings take `include=1,2,3` and `_fields=id,stock_quantity,manage_stock`, for
  products and for a product's variations alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.emulators.woo.catalog import Product
from agent.emulators.woo.params import (
    Args,
    fields_arg,
    filter_fields,
    paginate,
    rest_integer,
)
from agent.emulators.woo.rest_errors import RestError
from agent.emulators.woo.routing import Reply, Request, Route, route

BATCH_LIMIT = 100
BATCH_ACTIONS = ("create", "update", "delete")
VARIATION_HINT = (
    "To manipulate product variations you should use the "
    "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint."
)


def _invalid(status: int, variation: bool = False) -> RestError:
    kind = "product_variation" if variation else "product"
    return RestError(status, f"woocommerce_rest_{kind}_invalid_id", "Invalid ID.")


def _list(req: Request, source: Callable[[], list[Product]]) -> Reply:
    args = Args(req.query)
    page = args.integer("page", 1, minimum=1)
    per_page = args.integer("per_page", 10, 1, 100)
    orderby = args.choice("orderby", ("date", "id", "title", "modified"), "date")
    direction = args.choice("order", ("asc", "desc"), "desc")
    include = args.id_list("include")
    kind = args.string("type")
    if kind is not None and kind not in ("simple", "variable", "grouped", "external"):
        args.problems["type"] = (
            "type is not one of simple, grouped, external, variable."
        )
    stock = args.string("stock_status")
    fields = fields_arg(args)
    args.check()
    req.require("view")
    products = source()
    if include is not None:
        products = [p for p in products if p.id in set(include)]
    if kind is not None:
        products = [p for p in products if p.type == kind]
    if stock is not None:
        products = [p for p in products if p.stock_status == stock]
    keys = {
        "date": lambda p: (p.date_created, p.id),
        "id": lambda p: p.id,
        "title": lambda p: (p.name.lower(), p.id),
        "modified": lambda p: (p.date_modified, p.id),
    }
    products.sort(key=keys[orderby], reverse=direction == "desc")
    chunk, headers = paginate(products, page, per_page)
    catalog = req.store.catalog
    return Reply(
        200, [filter_fields(catalog.to_json(p), fields) for p in chunk], headers
    )


def list_products(req: Request) -> Reply:
    """GET /products (with sku=, variations are searched too)."""
    catalog = req.store.catalog
    sku = req.query.get("sku")
    if sku:
        skus = sku.split(",")
        if len(skus) > 1:
            skus.append(sku)
        return _list(req, lambda: catalog.by_skus(skus))
    return _list(req, catalog.top_level)


def get_product(req: Request) -> Reply:
    """GET /products/{id} (a variation id is answered too)."""
    args = Args(req.query)
    fields = fields_arg(args)
    args.check()
    product = req.store.catalog.get(req.path_args["id"])
    if product is None:
        raise _invalid(404)
    req.require("view")
    return Reply(200, filter_fields(req.store.catalog.to_json(product), fields))


def _by_id(req: Request, product_id: Any) -> Product | None:
    """The product or variation an id names ("12" too, as PHP's (int) reads it)."""
    number = rest_integer(product_id)
    return req.store.catalog.get(number) if number is not None else None


def _writable_product(req: Request, product_id: Any, status: int) -> Product:
    product = _by_id(req, product_id)
    if product is None:
        raise _invalid(status)
    if product.type == "variation":
        raise RestError(404, "woocommerce_rest_invalid_product_id", VARIATION_HINT)
    return product


def update_product(req: Request) -> Reply:
    """PUT /products/{id}."""
    data = req.json()
    req.require("edit")
    product = _writable_product(req, req.path_args["id"], 400)
    catalog = req.store.catalog
    return Reply(200, catalog.to_json(catalog.update(product, data)))


def create_product(req: Request) -> Reply:
    """POST /products."""
    data = req.json()
    req.require("create")
    catalog = req.store.catalog
    return Reply(201, catalog.to_json(catalog.create(data)))


def _parent(req: Request) -> Product:
    parent = req.store.catalog.get(req.path_args["product_id"])
    if parent is None or parent.type == "variation":
        raise _invalid(404)
    return parent


def _variation(
    req: Request, parent: Product, variation_id: Any, status: int
) -> Product:
    variation = _by_id(req, variation_id)
    if variation is None or variation.parent_id != parent.id:
        raise _invalid(status, variation=True)
    return variation


def list_variations(req: Request) -> Reply:
    """GET /products/{id}/variations."""
    return _list(req, lambda: req.store.catalog.variations_of(_parent(req)))


def get_variation(req: Request) -> Reply:
    """GET /products/{id}/variations/{vid}."""
    req.require("view")
    variation = _variation(req, _parent(req), req.path_args["id"], 404)
    return Reply(200, req.store.catalog.to_json(variation))


def update_variation(req: Request) -> Reply:
    """PUT /products/{id}/variations/{vid}."""
    data = req.json()
    req.require("edit")
    variation = _variation(req, _parent(req), req.path_args["id"], 400)
    catalog = req.store.catalog
    return Reply(200, catalog.to_json(catalog.update(variation, data)))


def _variable_parent(req: Request) -> Product:
    parent = _parent(req)
    if parent.type != "variable":
        raise RestError(
            400,
            "woocommerce_rest_product_variation_invalid_parent",
            "Variations can only be created on a variable product.",
        )
    return parent


def create_variation(req: Request) -> Reply:
    """POST /products/{id}/variations."""
    data = req.json()
    req.require("create")
    parent = _variable_parent(req)
    catalog = req.store.catalog
    return Reply(201, catalog.to_json(catalog.create(data, parent=parent)))


def _item_error(item_id: Any, error: RestError) -> dict[str, Any]:
    safe_id = (
        item_id if isinstance(item_id, int) and not isinstance(item_id, bool) else 0
    )
    return {"id": safe_id, "error": error.body()}


def _batch(req: Request, parent: Product | None) -> Reply:
    """A batch of products (`parent` None) or of one product's variations.

    Items run in order, creates then updates then deletes; each answers its own
    result or error, and the batch answers 200.
    """
    data = _batch_body(req)
    answer: dict[str, list[Any]] = {}
    if "create" in data:
        answer["create"] = [_batch_create(req, parent, item) for item in data["create"]]
    if "update" in data:
        answer["update"] = [_batch_update(req, parent, item) for item in data["update"]]
    if "delete" in data:
        answer["delete"] = [_batch_delete(req, parent, i) for i in data["delete"]]
    return Reply(200, answer)


def _batch_body(req: Request) -> dict[str, Any]:
    """The batch's body once its shape, the permission and its size are checked."""
    data = req.json()
    if not isinstance(data, dict):
        data = {}
    args = Args(data)
    for name in BATCH_ACTIONS:
        if name in data and not isinstance(data[name], list):
            args.problems[name] = f"{name} is not of type array."
    args.check()
    req.require("batch")
    total = sum(len(data.get(name) or []) for name in BATCH_ACTIONS)
    if total > BATCH_LIMIT:
        raise RestError(
            413,
            "woocommerce_rest_request_entity_too_large",
            f"Unable to accept more than {BATCH_LIMIT} items for this request.",
        )
    return data


def _batch_target(
    req: Request, parent: Product | None, item_id: Any, status: int
) -> Product:
    """The product (or `parent`'s variation) a batch item names; `status` if none."""
    if parent is None:
        return _writable_product(req, item_id, status)
    return _variation(req, parent, item_id, status)


def _batch_create(req: Request, parent: Product | None, item: Any) -> dict[str, Any]:
    catalog = req.store.catalog
    try:
        if parent is not None and parent.type != "variable":
            _variable_parent(req)
        return catalog.to_json(catalog.create(item, parent=parent))
    except RestError as err:
        return _item_error(0, err)


def _batch_update(req: Request, parent: Product | None, item: Any) -> dict[str, Any]:
    catalog = req.store.catalog
    item_id = item.get("id") if isinstance(item, dict) else None
    try:
        product = _batch_target(req, parent, item_id, 400)
        return catalog.to_json(catalog.update(product, item))
    except RestError as err:
        return _item_error(item_id, err)


def _batch_delete(req: Request, parent: Product | None, item_id: Any) -> dict[str, Any]:
    catalog = req.store.catalog
    try:
        return catalog.delete(_batch_target(req, parent, item_id, 404))
    except RestError as err:
        return _item_error(item_id, err)


def batch_products(req: Request) -> Reply:
    """POST /products/batch."""
    return _batch(req, None)


def batch_variations(req: Request) -> Reply:
    """POST /products/{id}/variations/batch."""
    return _batch(req, _parent(req))


ROUTES: list[Route] = [
    route("GET", "/products", list_products),
    route("POST", "/products", create_product),
    route("POST PUT PATCH", "/products/batch", batch_products),
    route("GET", "/products/{id}", get_product),
    route("PUT PATCH POST", "/products/{id}", update_product),
    route("GET", "/products/{product_id}/variations", list_variations),
    route("POST", "/products/{product_id}/variations", create_variation),
    route(
        "POST PUT PATCH", "/products/{product_id}/variations/batch", batch_variations
    ),
    route("GET", "/products/{product_id}/variations/{id}", get_variation),
    route("PUT PATCH POST", "/products/{product_id}/variations/{id}", update_variation),
]
