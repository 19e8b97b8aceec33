"""The import's report: what was imported, what was skipped and why, the tags proposed for
.tags.yml, and what is left for a person, each as ``path:line:col: CODE message``.

Exit codes: 0 when nothing is left for a person, 1 when something is, 2 when the input cannot
be imported at all (and nothing was written).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from socialcouncils.problems import Problem, format_report

EXIT_DONE, EXIT_LEFT, EXIT_BAD_INPUT = 0, 1, 2

WORDPRESS_CODES: dict[str, str] = {
    "WP001": "the file is not a WordPress export that can be read (malformed, truncated, not WXR, or with no posts)",
    "WP002": "the mapping file, council, uploads folder or state file cannot be used",
    "WP003": "a post was edited since it was imported, so it was not overwritten (use --force)",
    "WP004": "a post file of the same name exists that the importer did not write",
    "WP005": "a name (author, response) held markup or hidden characters, which were removed",
    "WP006": "a tag is not in docs/blog/.tags.yml: proposed, not added",
    "WP007": "an old address could not be redirected (no path of its own, or another page has it)",
    "WP008": "the import state file names a file that is not its post's own, or an address not on this site (nothing written)",
    "WP010": "a shortcode that could not be converted, shown in the post as typed",
    "WP020": "markup the hub's allow-list does not allow was removed from a post or response",
    "WP030": "a picture could not be brought across (not in the uploads, not downloadable, not a picture)",
}


@dataclass
class Report:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    proposed_tags: dict[str, list[str]] = field(default_factory=dict)
    new_authors: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Seconds spent reading, converting and writing; and on the hub's check of the posts.
    import_seconds: float = 0.0
    check_seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return EXIT_LEFT if self.problems else EXIT_DONE

    def text(self) -> str:
        imported = len(self.new) + len(self.updated) + len(self.unchanged)
        lines = [
            f"Imported {imported} post(s): {len(self.new)} new, {len(self.updated)} updated,"
            f" {len(self.unchanged)} unchanged."
        ]
        for label, names in (("New", self.new), ("Updated", self.updated)):
            lines += [f"  {label}: {name}" for name in names]
        if self.new_authors:
            lines.append("Authors added to docs/blog/.authors.yml: " + ", ".join(self.new_authors))
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)} item(s):")
            lines += [f"  “{title}”: {reason}" for title, reason in self.skipped]
        if self.proposed_tags:
            lines.append(
                "Proposed tags (not in docs/blog/.tags.yml; add each with a description, or map it"
                " in the mapping file):"
            )
            lines += [
                f"  {tag}: {len(posts)} post(s)"
                for tag, posts in sorted(self.proposed_tags.items())
            ]
        if self.problems:
            lines.append(f"Left for a person ({len(self.problems)}):")
            lines.append(format_report(self.problems))
        else:
            lines.append("Nothing is left for a person.")
        lines.append(
            f"Read, converted and wrote {imported} post(s) in {self.import_seconds:.2f} seconds;"
            f" checked them in {self.check_seconds:.2f} seconds."
        )
        return "\n".join(lines)
