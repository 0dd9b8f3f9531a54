"""Networking Planner: plan and keep a professional network."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "Networking Planner"
APP_ID = "networking-planner"
ORG_NAME = "NetworkingPlanner"
