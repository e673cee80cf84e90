"""Web UI and JSON API over the indexer's search (see `create_app`)."""
