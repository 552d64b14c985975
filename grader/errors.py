"""Errors a user can act on. The CLI prints them as one line and exits 2."""


class UserError(Exception):
    """Base for problems with the user's input or environment (never a bug)."""


class ApplicationError(UserError):
    """The application file itself cannot be read or understood."""


class ConfigError(UserError):
    """Settings are inconsistent, e.g. the LLM judge chosen without a model."""
