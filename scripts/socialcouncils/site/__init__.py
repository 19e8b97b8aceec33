"""The built site: checks on every page and feed, and lighter pages."""
