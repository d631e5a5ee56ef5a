"""E-mail to officers: alert notifications, threat-to-life escalation, the SMTP transport.

How a notification travels (the outbox pattern):

1. `queue.queue_alert_notifications` finds open alerts whose severity is above the one last
   notified (`alerts.notified_severity`) and at least KALKAN_NOTIFY_MIN_SEVERITY, writes one
   `notifications` row per recipient and raises `notified_severity` — in one transaction.
   Either both are committed or neither, so a crash never loses nor doubles a notification;
   a unique (alert, kind, severity, user) constraint refuses a duplicate row outright.
2. `escalation.escalate_overdue` marks critical alerts left unacknowledged past
   KALKAN_ACK_DEADLINE_MINUTES (`alerts.escalated_at`, once per alert), writes an audit event
   and queues an "escalation" row for every officer and admin — again in one transaction.
3. `sender.send_due` takes each due row with a conditional UPDATE (a lease on
   `next_attempt_at`), commits, hands the message to the SMTP server, and commits it sent.
   A failure keeps the row pending with an exponential backoff (1 min doubling to 1 h,
   forever: nothing is dropped), logs the error class only, and shows on /sources.

Delivery is **at least once**. The one window for a duplicate is a crash (or a lost
connection) after the SMTP server accepted a message and before `sent_at` is committed:
that message is sent once more when its lease runs out. Every resend carries the same
`Message-ID`, which lets mail systems and clients that de-duplicate drop it.

What the messages hold, and why: the defender's name, the category, severity, reason,
post count and a link to the alert. Never post text (attacker-written, and e-mail is copied
to servers and phones we do not control) and never a contact detail.
"""
