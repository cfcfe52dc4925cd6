"""Exceptions the core raises for problems a user can fix (bad files, bad settings)."""


class DigitLabError(Exception):
    """Base class: a problem with a clear, one-line explanation for the user."""


class ConfigError(DigitLabError, ValueError):
    """An impossible or inconsistent setting (negative learning rate, unknown layer type...)."""


class DataError(DigitLabError):
    """A data file is missing, truncated, corrupt or not what it claims to be."""


class ModelFileError(DigitLabError):
    """A model file is corrupt, truncated, foreign or from a newer DigitLab."""


class DownloadError(DigitLabError):
    """Downloading data failed (no network, every mirror failed, checksum mismatch)."""


class Cancelled(Exception):
    """The caller asked a long computation to stop (not an error: nothing is wrong)."""
