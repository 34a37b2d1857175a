"""Demo knowledge base: categories and about forty published articles (see knowledge_data).

Idempotent: categories and articles are keyed by their codes; an article already present is
left as it is (an editor may have changed it since). Articles are created and published
through the knowledge actions, so they are indexed for search like any other.
"""

from __future__ import annotations

from kefu.accounts.models import User
from kefu.demo.knowledge_data import ARTICLES, CATEGORIES
from kefu.knowledge.actions import (
    ArticleInput,
    do_create_article,
    do_publish_article,
    do_save_category,
)
from kefu.knowledge.models import Article, Category


def _categories(actor: User | None) -> dict[str, Category]:
    found = {c.code: c for c in Category.objects.all()}
    for order, (code, name, parent) in enumerate(CATEGORIES):
        if code not in found:
            found[code] = do_save_category(
                actor=actor,
                code=code,
                name=name,
                parent=found[parent] if parent else None,
                sort_order=order,
            )
    return found


def _product_ids(codes: tuple[str, ...]) -> tuple[int, ...]:
    from kefu.directory.models import Product

    return tuple(Product.objects.filter(code__in=codes).values_list("pk", flat=True))


def load() -> int:
    """Create what is missing; return the number of articles created."""
    actor = User.objects.filter(username="9001").first()
    categories = _categories(actor)
    existing = set(Article.objects.values_list("code", flat=True))
    created = 0
    for code, category, kind, visibility, products, title, questions, body in ARTICLES:
        if code in existing:
            continue
        article = do_create_article(
            actor=actor,
            data=ArticleInput(
                code=code,
                kind=kind,
                visibility=visibility,
                title=title,
                body=body,
                similar_questions=questions,
                category_ids=(categories[category].pk,),
                product_ids=_product_ids(products),
            ),
        )
        do_publish_article(article, actor=actor)
        created += 1
    return created
