"""Related posts: the ranking, on synthetic posts, and the section at the end of each real post."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from socialcouncils.content.posts import Post
from socialcouncils.content.schema import PostMeta
from socialcouncils.pages.related import RelatedPosts
from socialcouncils.source.front_matter import PostSource

from conftest import post_pages, published_posts


def post(
    name: str,
    council: str,
    tags: list[str],
    date: dt.date = dt.date(2012, 1, 1),
    draft: bool = False,
) -> Post:
    meta = PostMeta(
        title=f"Post {name}",
        description="A synthetic post for testing which posts are related to which.",
        date=date,
        authors=["someone"],
        council=council,
        categories=["Guest posts"],
        tags=tags,
        draft=draft,
    )
    return Post(source=PostSource(path=Path(f"{name}.md"), shown=f"{name}.md"), meta=meta)


def titles(subject: Post, candidates: list[Post], limit: int = 3) -> list[str]:
    return [r.post.meta.title for r in RelatedPosts(candidates).of(subject, limit) if r.post.meta]


def test_same_council_ranks_above_more_shared_tags() -> None:
    subject = post("a", "leeds", ["policy", "twitter", "facebook"])
    same_council = post("b", "leeds", ["yammer"])
    many_tags = post("c", "coventry", ["policy", "twitter", "facebook"])
    assert titles(subject, [subject, many_tags, same_council]) == ["Post b", "Post c"]


def test_more_shared_tags_rank_higher() -> None:
    subject = post("a", "leeds", ["policy", "twitter", "facebook"])
    one = post("b", "coventry", ["policy"])
    three = post("c", "shropshire", ["policy", "twitter", "facebook"])
    two = post("d", "coventry", ["twitter", "facebook", "yammer"])
    assert titles(subject, [one, two, three]) == ["Post c", "Post d", "Post b"]


def test_ties_go_to_the_newest() -> None:
    subject = post("a", "leeds", ["policy"])
    older = post("b", "coventry", ["policy"], dt.date(2011, 1, 1))
    newer = post("c", "coventry", ["policy"], dt.date(2012, 6, 1))
    newest_with_time = post("d", "coventry", ["policy"], dt.datetime(2012, 6, 1, 9, 30))
    assert titles(subject, [older, newer, newest_with_time]) == ["Post d", "Post c", "Post b"]


def test_unrelated_posts_drafts_and_the_post_itself_are_left_out() -> None:
    subject = post("a", "leeds", ["policy"])
    unrelated = post("b", "coventry", ["twitter"])
    draft = post("c", "leeds", ["policy"], draft=True)
    same_file = post("a", "leeds", ["policy"])
    assert titles(subject, [subject, unrelated, draft, same_file]) == []


def test_at_most_the_limit() -> None:
    subject = post("a", "leeds", ["policy"])
    others = [post(str(n), "leeds", ["policy"], dt.date(2012, 1, n)) for n in range(1, 8)]
    assert titles(subject, others) == ["Post 7", "Post 6", "Post 5"]
    assert titles(subject, others, limit=1) == ["Post 7"]
    assert titles(subject, others, limit=0) == []


COUNCILS = st.sampled_from(["leeds", "coventry", "shropshire"])
TAGS = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=5, unique=True)
DATES = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2020, 12, 31))


@given(
    subject=st.tuples(COUNCILS, TAGS),
    others=st.lists(st.tuples(COUNCILS, TAGS, DATES), max_size=12),
    limit=st.integers(min_value=0, max_value=5),
)
def test_ranking_properties(
    subject: tuple[str, list[str]], others: list[tuple[str, list[str], dt.date]], limit: int
) -> None:
    """Whatever the posts: the chosen ones are related, best first, and none left out beats them."""
    me = post("me", subject[0], subject[1])
    candidates = [post(f"p{i}", c, t, d) for i, (c, t, d) in enumerate(others)]
    chosen = RelatedPosts(candidates).of(me, limit)
    assert len(chosen) <= limit

    def key(p: Post) -> tuple[bool, int, dt.date]:
        assert p.meta is not None and me.meta is not None
        shared = len(set(p.meta.tags) & set(me.meta.tags))
        return (p.meta.council == me.meta.council, shared, p.meta.date)

    keys = [key(r.post) for r in chosen]
    assert keys == sorted(keys, reverse=True)
    assert all(k[0] or k[1] for k in keys)
    left_out = [p for p in candidates if p not in [r.post for r in chosen]]
    related_left_out = [key(p) for p in left_out if key(p)[0] or key(p)[1]]
    if len(chosen) < limit:
        assert related_left_out == []
    elif keys:
        assert all(k <= keys[-1] for k in related_left_out)


@given(
    subject=st.tuples(COUNCILS, TAGS),
    others=st.lists(st.tuples(COUNCILS, TAGS, DATES, st.booleans()), max_size=12),
    limit=st.integers(min_value=0, max_value=5),
)
def test_the_index_chooses_as_comparing_with_every_post(
    subject: tuple[str, list[str]], others: list[tuple[str, list[str], dt.date, bool]], limit: int
) -> None:
    """The same posts, in the same order (equal ones as the candidates come), as ranking every
    candidate: the subject itself, drafts and repeated candidates included."""
    me = post("me", subject[0], subject[1])
    candidates = [post(f"p{i}", c, t, d, draft) for i, (c, t, d, draft) in enumerate(others)]
    candidates += [me, *candidates[:2]]

    def every_post() -> list[tuple[Post, bool, tuple[str, ...]]]:
        assert me.meta is not None
        found = []
        for other in candidates:
            if other.source.path == me.source.path or not other.published or other.meta is None:
                continue
            same = other.meta.council == me.meta.council
            shared = tuple(t for t in other.meta.tags if t in me.meta.tags)
            if same or shared:
                found.append((other, same, shared))
        found.sort(key=lambda f: (f[1], len(f[2]), f[0].when), reverse=True)
        return found[:limit] if limit > 0 else []

    chosen = [
        (r.post, r.same_council, r.shared_tags) for r in RelatedPosts(candidates).of(me, limit)
    ]
    assert chosen == every_post()


# -- The built site -------------------------------------------------------------------------------

POSTS = published_posts()


def related_candidates(title: str) -> list[str]:
    """The other posts a post may list: those that share its council or a tag."""
    me = POSTS[title]
    return [
        other
        for other, theirs in POSTS.items()
        if other != title
        and (theirs["council"] == me["council"] or set(theirs["tags"]) & set(me["tags"]))
    ]


def test_each_post_ends_with_its_related_posts(built_site: Path) -> None:
    pages = post_pages(built_site)
    assert set(pages) == set(POSTS)
    for title, doc in pages.items():
        me = POSTS[title]
        heading = doc.xpath("//article//h2[@id='related-posts']")
        expected = min(3, len(related_candidates(title)))
        if not expected:
            assert not heading, f"{title}: related posts, though no post shares its council or tags"
            continue
        assert heading, f"{title}: no related posts"
        after = [e.get("class") for e in heading[0].xpath("following-sibling::*")]
        assert after[:2] == ["hub-cards", "hub-comments"], (
            f"{title}: related posts are not the end of the post, before its comments"
        )
        cards = heading[0].xpath("following-sibling::div[@class='hub-cards']/article")
        listed = [c.xpath("string(.//h3/a)").strip() for c in cards]
        assert len(listed) == expected and title not in listed, (title, listed)
        for other in listed:
            theirs = POSTS[other]
            assert theirs["council"] == me["council"] or set(theirs["tags"]) & set(me["tags"])
        # Each card shows the council, the date and the one-line description.
        for card, other in zip(cards, listed, strict=True):
            text = card.text_content()
            assert POSTS[other]["description"] in " ".join(text.split())
            assert card.xpath(".//time/@datetime") == [POSTS[other]["date"].isoformat()]


def test_a_post_of_the_same_council_comes_first(built_site: Path) -> None:
    pages = post_pages(built_site)
    for title, doc in pages.items():
        council = POSTS[title]["council"]
        same = [t for t in related_candidates(title) if POSTS[t]["council"] == council]
        if not same:
            continue
        first = doc.xpath("string((//h2[@id='related-posts']/following::h3)[1]/a)").strip()
        assert POSTS[first]["council"] == council, (title, first)
