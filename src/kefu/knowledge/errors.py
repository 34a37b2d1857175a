"""Domain errors of the knowledge base; views and the API map them to HTTP answers."""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base class; ``str()`` is a message for the person who tried."""


class NothingToPublish(KnowledgeError):
    pass


class NotPublished(KnowledgeError):
    pass


class ImpressionNotFound(KnowledgeError):
    pass
