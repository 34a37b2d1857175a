"""Domain errors of the portal; views map them to messages and status codes."""

from __future__ import annotations


class PortalError(Exception):
    """Base of portal errors."""


class RequestNotFound(PortalError):
    """No request the visitor may see under this number (also: wrong phone)."""


class AttachmentRefused(PortalError):
    """A file too large, of a type not accepted, or whose content does not match its name."""


class BadToken(PortalError):
    """A verification link that is wrong, expired or already used."""
