"""The engine: the scheduler process and everything that moves an order to the POS.

- `scheduler`, `runner`: APScheduler passes, woken at once when a hook lands;
- `pusher`: one push pass (claim a batch, read it from WooCommerce, push, settle);
- `order_push`: one order (decide from the status map, write ahead, create, void or
  replace its sale) — `mapping` turns a WooCommerce order into a sale draft,
  `sale_payload` into the POS body, `identity` names each revision;
- `products`, `catalogue`: which POS product a line sells (link, SKU, create);
- `overwrite_queue`, `woo_alignment`, `woo_values`: linked WooCommerce products take the
  POS name, price and stock;
- `pos_sales`: the one reader of the POS sales list (reconcile, lost-ledger recovery);
- `poll`: the safety net for lost hooks; `counters`: metrics of the pushes;
- `commands`: `serve`, `worker`, `sync`, `status`, `orders`, `retry`.
"""
