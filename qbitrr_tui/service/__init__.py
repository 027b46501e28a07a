"""The engine as a service: an HTTP status API, Prometheus /metrics and notifications.

Optional and off by default ([WebAPI], [Notifications]). Like the dashboard, the service
only reads the engine's events (a copy of them, see ``engine/fanout.py``) and sends it
commands through its command queue; it never calls the engine's objects.
"""
