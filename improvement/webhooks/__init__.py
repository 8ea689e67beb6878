"""Outgoing webhooks without Django: message formats and signatures (formats), and an HTTP client
that refuses private networks (transport). Services in improvement.services.webhooks use both."""
