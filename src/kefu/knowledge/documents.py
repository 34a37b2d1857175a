"""How a published article becomes a search document (kind ``article``).

Fields and weights: the standard question/title (A, with pinyin initials), the similar
questions (B: they are the phrasings customers really use), the answer (C), and keywords —
the article code, its category path and product names (D). Labels allow filtering without
ranking: ``public``/``internal``, ``qa``/``knowledge``, ``cat<id>`` for each category and its
ancestors, ``prod<id>`` for each product.
"""

from __future__ import annotations

from kefu.knowledge.models import Article, ArticleVersion, Category
from kefu.search.types import Document, Field, Weight

KIND = "article"


def category_label(category_id: int) -> str:
    return f"cat{category_id}"


def product_label(product_id: int) -> str:
    return f"prod{product_id}"


def _product_names(product_ids: list[int]) -> list[str]:
    from kefu.directory.models import Product

    return [f"{p.code} {p.name}" for p in Product.objects.filter(pk__in=product_ids)]


def document_for(article: Article, version: ArticleVersion) -> Document:
    categories = list(Category.objects.filter(pk__in=version.category_ids).select_related("parent"))
    lineage = {node for category in categories for node in category.lineage()}
    keywords = [article.code, *(c.path for c in categories)]
    keywords += _product_names(version.product_ids)
    labels = {version.visibility, version.kind}
    labels |= {category_label(c.pk) for c in lineage}
    labels |= {product_label(pk) for pk in version.product_ids}
    fields = (
        Field("title", version.title, Weight.A, pinyin=True),
        Field("questions", "\n".join(version.similar_questions), Weight.B),
        Field("body", version.body, Weight.C),
        Field("keywords", "\n".join(keywords), Weight.D),
    )
    return Document(str(article.pk), version.title, fields, frozenset(labels))
