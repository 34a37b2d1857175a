"""``kefu manage reindex_articles``: rebuild the article search index from the published
versions (after upgrading the tokenizer, restoring a backup, or renaming products)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kefu.knowledge.actions import do_reindex_articles


class Command(BaseCommand):
    help = "Rebuild the knowledge article search index from the published versions."

    def handle(self, *args: Any, **options: Any) -> None:
        count = do_reindex_articles()
        self.stdout.write(f"indexed {count} published articles")
