"""ORM models, one module per aggregate; importing this package registers them all."""

from monitor.models.alert import ALERT_STATUSES, SEVERITIES, Alert, AlertPost, Case
from monitor.models.base import Base, utcnow
from monitor.models.defender import ContactDetail, Defender, DefenderEvent, DefenderName
from monitor.models.mail import NOTIFICATION_STATUSES, Digest, Notification
from monitor.models.post import Match, Post, Score
from monitor.models.request import REQUEST_STATUSES, MonitoringRequest
from monitor.models.source import Source
from monitor.models.user import ROLES, ApiToken, AuditEvent, User

__all__ = [
    "ALERT_STATUSES",
    "NOTIFICATION_STATUSES",
    "REQUEST_STATUSES",
    "ROLES",
    "SEVERITIES",
    "Alert",
    "AlertPost",
    "ApiToken",
    "AuditEvent",
    "Base",
    "Case",
    "ContactDetail",
    "Defender",
    "DefenderEvent",
    "DefenderName",
    "Digest",
    "Match",
    "MonitoringRequest",
    "Notification",
    "Post",
    "Score",
    "Source",
    "User",
    "utcnow",
]
