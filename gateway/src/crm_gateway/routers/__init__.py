"""REST routers: HTTP <-> gRPC only, no business rules."""
