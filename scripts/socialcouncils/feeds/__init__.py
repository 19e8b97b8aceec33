"""The hub's RSS and JSON feeds, finished from what the feed plugin writes and cut per council and category."""
