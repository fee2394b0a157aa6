"""JSON API v1 with OpenAPI schema, per-organisation API tokens, search exports."""
