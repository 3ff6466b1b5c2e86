"""The POS stock's safety net: backups of every POS product and stock level (taken before
an import, or by hand), the snapshot an import plans over, and `restore-stock`, which puts
the stock back after an import (README, "Importing history, backups and putting stock
back")."""
