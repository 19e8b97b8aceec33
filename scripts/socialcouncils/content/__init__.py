"""The posts and data files: their schema, their rules, their rendered bodies and pictures, all checked at once."""
