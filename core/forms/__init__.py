"""Forms of the local network's pages: one module per area."""
