"""Every error `commitments` raises, in one tree.

Each exception subclasses `CommitmentsError` and the fitting builtin, so callers can
catch either. Messages name the commitment, field or path, what was wrong and what is
allowed.
"""

from __future__ import annotations

from collections.abc import Iterable


class CommitmentsError(Exception):
    """Base class of every error raised by `commitments`.

    `Tracker.extend` sets `index` (the refused event's position) and, where one field
    is at fault, `field` (its name), so a catalog can name the JSON path.
    """

    index: int | None = None
    field: str | None = None

    def at(self, field: str) -> CommitmentsError:
        """This error, naming the field at fault; returns self for `raise`."""
        self.field = field
        return self


class ValidationError(CommitmentsError, ValueError):
    """A value given to the model is not allowed (bad id, empty title, ...)."""


class DeadlineError(ValidationError):
    """A deadline cannot be built or parsed from what was given."""


class RecurrenceError(ValidationError):
    """A recurrence cannot be built or parsed from what was given."""


class WorkflowError(ValidationError):
    """A workflow definition is inconsistent."""


class UnknownCommitmentError(CommitmentsError, KeyError):
    """No commitment with that id is tracked."""

    def __init__(self, commitment_id: str, known: Iterable[str] = ()) -> None:
        import difflib  # noqa: PLC0415 - only an error message needs it

        self.commitment_id = commitment_id
        ids = list(known)
        # Case is ignored when looking for a near miss: CJK-FTA finds cjk-fta.
        folded = {i.casefold(): i for i in ids}
        wanted = str(commitment_id).casefold()
        close = [folded[m] for m in difflib.get_close_matches(wanted, list(folded), n=3)]
        if close:
            hint = f"; did you mean {', '.join(close)}?"
        elif ids:
            hint = f"; known ids include {', '.join(sorted(ids)[:5])}"
        else:
            hint = "; none are tracked"
        super().__init__(f"unknown commitment {commitment_id!r}{hint}")

    def __str__(self) -> str:
        # KeyError's own __str__ would wrap the message in quotes.
        return str(self.args[0])


class NotYetKnownError(UnknownCommitmentError):
    """A question known on a moment before the commitment was first recorded."""

    def __init__(self, commitment_id: str, known_from: str, known_on: str) -> None:
        self.commitment_id = commitment_id
        KeyError.__init__(
            self,
            f"{commitment_id} was first recorded at {known_from}; as known on {known_on} "
            "it is not tracked yet",
        )


class UnknownEventError(CommitmentsError, KeyError):
    """No event with that id is recorded."""

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        super().__init__(
            f"unknown event {event_id!r}; an event's id is COMMITMENT_ID:N, such as "
            "cjk-fta-negotiations:2 (`commitments show COMMITMENT_ID` lists them)"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class DuplicateError(CommitmentsError, ValueError):
    """An id is already taken by a commitment or an event."""


class UpdateError(CommitmentsError, ValueError):
    """A status update or retraction was refused; nothing was recorded."""


class TransitionError(UpdateError):
    """The workflow does not allow the transition an update would make."""

    def __init__(
        self,
        *,
        commitment_id: str,
        on: object,
        from_status: str,
        to_status: str,
        allowed: Iterable[str],
        party: str | None = None,
        detail: str = "",
    ) -> None:
        self.commitment_id = commitment_id
        self.on = on
        self.from_status = from_status
        self.to_status = to_status
        self.allowed = tuple(allowed)
        self.party = party
        who = f" for party {party}" if party else ""
        allowed_text = ", ".join(self.allowed) if self.allowed else "nothing (terminal)"
        message = (
            f"{commitment_id}{who} on {on}: cannot go from {from_status} to {to_status}; "
            f"allowed from {from_status}: {allowed_text}"
        )
        if detail:
            message = f"{message} ({detail})"
        super().__init__(message)


class NotYetMadeError(CommitmentsError, ValueError):
    """A question was asked about a commitment for a date before it was made."""


class CatalogError(CommitmentsError, ValueError):
    """A catalog document is malformed; the message names the JSON path."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.problem = message
        super().__init__(f"{path}: {message}")


class MissingExtraError(CommitmentsError, ImportError):
    """A feature needs an optional dependency (an extra) that is not installed."""


class StoreError(CommitmentsError, OSError):
    """A store file cannot be opened, read or written."""


class ConflictError(CommitmentsError):
    """A commitment changed between reading it and appending to it (another writer)."""


class CatalogFileError(CommitmentsError, OSError):
    """A catalog file cannot be read or written (missing, a directory, no permission)."""


def check_text(where: str, value: str) -> None:
    """Refuse text that cannot be written out: lone surrogates (undecodable input)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(
            f"{where}: text {value[: exc.start + 1]!r}... holds an undecodable character at "
            f"{exc.start}; give valid UTF-8 text"
        ) from None
