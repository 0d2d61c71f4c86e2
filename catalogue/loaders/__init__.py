"""Loaders for the simple JSON Lines formats: reference lists and NEP announcements."""
