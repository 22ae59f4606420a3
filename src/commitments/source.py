"""Evidence: where a pledge or a status update comes from."""

from __future__ import annotations

import datetime as dt
import re

import attrs

from commitments.exceptions import ValidationError, check_text

_SPACE = re.compile(r"\s")
_WEB = ("https://", "http://")


def web_url(url: str | None) -> str | None:
    """`url` if it is an http(s) address (the scheme in any case), else None.

    The one rule for what a report, a feed or a calendar shows as a link.
    """
    return url if url is not None and url.strip().lower().startswith(_WEB) else None


@attrs.frozen
class Source:
    """A document that shows a pledge or an update: at least one field is set."""

    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published_on: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        # Blank text counts as absent and surrounding space is dropped. Done here rather
        # than with attrs converters: sources are built a million times on a big load.
        for name, value in (
            ("url", self.url),
            ("title", self.title),
            ("publisher", self.publisher),
        ):
            if value is None:
                continue
            if type(value) is not str:
                raise ValidationError(f"source {name} must be a string, got {value!r}")
            check_text(f"source {name}", value)
            stripped = value.strip()
            if not stripped or len(stripped) != len(value):
                object.__setattr__(self, name, stripped or None)
        if (
            self.url is None
            and self.title is None
            and self.publisher is None
            and (self.published_on is None)
        ):
            raise ValidationError(
                "a source needs at least one of url, title, publisher, published_on"
            )
        if self.url is not None and _SPACE.search(self.url):
            raise ValidationError(f"source url {self.url!r} contains white space")
        if self.published_on is not None and type(self.published_on) is not dt.date:
            raise ValidationError(
                f"source published_on must be a date, not {type(self.published_on).__name__}"
            )

    @property
    def web_url(self) -> str | None:
        """The url if it is an http(s) address, else None (see `web_url`)."""
        return web_url(self.url)

    @classmethod
    def coerce(cls, value: Source | str) -> Source:
        """Take a `Source` as it is, or a URL string as a source with only a url."""
        if isinstance(value, Source):
            return value
        if isinstance(value, str):
            return cls(url=value)
        raise ValidationError(
            f"a source must be a URL string or a Source, not {type(value).__name__}"
        )

    def __str__(self) -> str:
        parts = [p for p in (self.publisher, self.title) if p]
        if self.published_on is not None:
            parts.append(self.published_on.isoformat())
        if self.url:
            parts.append(self.url)
        return ", ".join(parts)
