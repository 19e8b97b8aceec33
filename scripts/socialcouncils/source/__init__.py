"""Reading the project's files exactly as the site engine reads them: YAML with line numbers, front matter, mkdocs.yml and the hub's settings."""
