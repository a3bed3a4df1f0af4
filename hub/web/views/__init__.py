"""The console's routers: one module per page, each with its HTML pages and its JSON endpoints."""
