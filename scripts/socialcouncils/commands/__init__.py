"""The commands officers and maintainers run: check, preview, scaffold, guide, benchmark."""
