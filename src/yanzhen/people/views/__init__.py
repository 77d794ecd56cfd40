"""Pages of the person archive: `list` (search, filters, export) and `archive` (one person's file)."""
