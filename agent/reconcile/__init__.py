"""`tillsync reconcile`: WooCommerce orders against POS sales, for a bookkeeper.

- `pos_sales`: the `WC-` sales (read by agent/sync/pos_sales.py), from a checkpoint a
  previous run left when one covers the range;
- `compare`: one order against its live sale (total, lines, status);
- `report`: the whole run: missing, duplicated, different, orphaned (which order an
  invoice number belongs to: agent/sync/identity.py);
- `fix`: `--fix` queues the missing and different orders for the normal push path;
  duplicates and orphans are left for a human, and nothing is ever deleted in the POS;
- `command`: the click command.
"""
