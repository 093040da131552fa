"""The web console: server-rendered pages for the people who run the office.

Its own routes (outside the API schema), Jinja2 templates and a vendored htmx; the views call
the same service functions as the API, never the API over HTTP, and every route names the
policy action (``service.auth.policy``) it needs, so the route policy stays the single source.
"""
