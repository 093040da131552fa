"""Who may do what: one declared policy per action, and every route names its action.

The README lists this table; ``tests/service/auth/test_policy.py`` walks every route with every
role and fails on a route that declares no policy.
"""

from __future__ import annotations

from service.auth.models import Role

R = Role
READERS = frozenset({R.clerk, R.system, R.legal, R.leader, R.archivist, R.auditor})
EVERYONE = frozenset(Role)
ARCHIVE_READERS = frozenset({R.archivist, R.leader, R.legal, R.auditor})

POLICY: dict[str, frozenset[Role]] = {
    "templates.read": EVERYONE,
    "templates.upload": frozenset({R.legal}),
    "templates.activate": frozenset({R.legal}),
    "cases.create": frozenset({R.clerk, R.system}),
    "cases.read": READERS,
    "cases.close": frozenset({R.clerk, R.system}),
    "documents.issue": frozenset({R.clerk, R.system}),
    "documents.read": READERS,
    "documents.download": READERS,
    "documents.void": frozenset({R.clerk, R.legal}),
    "acts.record": frozenset({R.clerk, R.system}),
    "warnings.read": READERS,
    "materials.upload": frozenset({R.clerk, R.system}),
    "materials.read": READERS,
    "materials.download": READERS,
    "me.read": EVERYONE,
    "me.password": EVERYONE,
    "users.manage": frozenset({R.admin}),
    "keys.manage": frozenset({R.admin}),
    "archives.create": frozenset({R.archivist, R.clerk}),
    "archives.read": ARCHIVE_READERS,
    "archives.download": ARCHIVE_READERS,
    "archives.retention": frozenset({R.archivist}),
    "archives.due": frozenset({R.archivist, R.leader}),
    "archives.hold": frozenset({R.archivist, R.legal}),
    "destruction.propose": frozenset({R.archivist}),
    "destruction.decide": frozenset({R.leader}),
    "destruction.confirm": frozenset({R.supervisor}),
    "destruction.execute": frozenset({R.archivist}),
    "destruction.read": frozenset({R.archivist, R.leader, R.supervisor, R.auditor}),
    "batches.create": frozenset({R.clerk, R.system}),
    "batches.read": frozenset({R.clerk, R.system}),
    "specimens.render": frozenset({R.clerk, R.system, R.legal}),
    "audit.read": frozenset({R.auditor, R.admin}),
    "calendar.read": READERS | {R.admin},
    "calendar.write": frozenset({R.admin}),
    "jobs.read": READERS | {R.admin},
    "webhooks.manage": frozenset({R.admin}),
    "statistics.read": frozenset({R.leader, R.legal, R.auditor}),
    "reviews.draw": frozenset({R.legal}),
    "reviews.score": frozenset({R.legal}),
    "reviews.read": frozenset({R.legal, R.leader, R.auditor}),
    "reports.sign": frozenset({R.leader}),
}


def allowed(action: str, role: Role) -> bool:
    """True when ``role`` may perform ``action``; unknown actions are denied."""
    return role in POLICY.get(action, frozenset())
