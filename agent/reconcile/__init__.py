"""`tillsync reconcile`: WooCommerce orders against POS sales, for a bookkeeper.

- `pos_sales`: the POS sales list read through its version cursor (many sales per
  request), started from a checkpoint a previous run left when one covers the range;
- `invoices`: which order an invoice number `WC-<number>[-<revision>]` belongs to;
- `compare`: one order against its live sales (total, lines, status);
- `report`: the whole run: missing, duplicated, different, orphaned;
- `fix`: `--fix` queues the missing and different orders for the normal push path;
  duplicates and orphans are left for a human, and nothing is ever deleted in the POS;
- `command`: the click command.
"""
