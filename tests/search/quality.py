"""Search-quality evaluation over a fixed corpus: the demo knowledge base plus the distractor
articles in extra_articles.json, queried with queries.tsv (see the header of that file).

recall@5: share of queries with an expected article among the first five hits.
MRR: mean over queries of 1 / rank of the first expected article (0 if not in the top ten).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    expected: frozenset[str]


@dataclass
class Report:
    queries: int = 0
    found_in_5: int = 0
    reciprocal_ranks: float = 0.0
    by_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def recall_at_5(self) -> float:
        return self.found_in_5 / self.queries

    @property
    def mrr(self) -> float:
        return self.reciprocal_ranks / self.queries

    def summary(self) -> str:
        lines = [
            f"search quality: {self.queries} queries, recall@5 = {self.recall_at_5:.3f}, "
            f"MRR = {self.mrr:.3f}"
        ]
        for kind, (found, total) in sorted(self.by_kind.items()):
            lines.append(f"  {kind:<11} recall@5 {found / total:.3f} ({found}/{total})")
        return "\n".join(lines)


def load_queries() -> list[Query]:
    queries = []
    for line in (HERE / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, text, expected = line.split("\t")
        queries.append(Query(kind, text, frozenset(expected.split(","))))
    return queries


def load_corpus() -> dict[str, str]:
    """Create and publish the corpus; return article pk (the index key) → article code."""
    from kefu.demo import knowledge as demo
    from kefu.knowledge.actions import ArticleInput, do_create_article, do_publish_article
    from kefu.knowledge.models import Article, Category

    demo.load()
    general = Category.objects.get(code="general")
    for item in json.loads((HERE / "extra_articles.json").read_text(encoding="utf-8")):
        article = do_create_article(
            actor=None,
            data=ArticleInput(
                code=item["code"],
                title=item["title"],
                body=item["body"],
                visibility="public",
                similar_questions=tuple(item["questions"]),
                category_ids=(general.pk,),
            ),
        )
        do_publish_article(article, actor=None)
    return {str(pk): code for pk, code in Article.objects.values_list("pk", "code")}


def substring_baseline(queries: list[Query]) -> float:
    """recall@5 of what a plain ``LIKE '%query%'`` over title, questions and answer finds
    (newest first), for comparison."""
    from kefu.knowledge.models import Article

    texts = [
        (a.code, "\n".join([v.title, *v.similar_questions, v.body]).lower())
        for a in Article.objects.select_related("published_version").order_by("-pk")
        if (v := a.published_version) is not None
    ]
    found = 0
    for query in queries:
        hits = [code for code, text in texts if query.text.lower() in text][:5]
        found += any(code in query.expected for code in hits)
    return found / len(queries)


def evaluate(codes: dict[str, str], queries: list[Query]) -> Report:
    from kefu.search.index import search

    report = Report()
    for query in queries:
        hits = [codes[h.key] for h in search("article", query.text, limit=10).hits]
        rank = next((i for i, code in enumerate(hits, 1) if code in query.expected), None)
        report.queries += 1
        report.by_kind[query.kind][1] += 1
        if rank is not None:
            report.reciprocal_ranks += 1 / rank
        if rank is not None and rank <= 5:
            report.found_in_5 += 1
            report.by_kind[query.kind][0] += 1
        else:
            report.misses.append((f"{query.text} → {sorted(query.expected)}", hits[:5]))
    return report
