"""Webhooks: systems subscribe to the service's events and receive them as HMAC-signed JSON,
delivered by a job (retried with back-off), each delivery visible to the administrator."""
