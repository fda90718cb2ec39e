"""Pages of the portal (`/saya/`) and staff's side of it, one module per subject."""
