"""API gateway: REST + OpenAPI for web and mobile clients, authentication, gRPC clients."""
