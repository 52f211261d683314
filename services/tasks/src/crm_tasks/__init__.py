"""Tasks service: calls, meetings, e-mails and to-dos with deadlines, outcomes, reminders and overdue control."""

DOMAIN = "tasks"
