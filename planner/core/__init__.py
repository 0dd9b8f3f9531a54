"""The rules: services with one short transaction per call, returning frozen dataclasses."""
