"""The openphm error hierarchy.

Every error openphm raises on purpose derives from :class:`OpenPHMError`. A message names the file
or input, the problem and, where there is one, the fix. Data that is usable but suspect triggers a
:class:`DataQualityWarning` instead of an error.
"""

from __future__ import annotations


class OpenPHMError(Exception):
    """Base class of every error raised on purpose by openphm."""


class DataError(OpenPHMError, ValueError):
    """Input data is unreadable, malformed or physically impossible."""


class UnknownFormatError(DataError):
    """No reader recognises the file's format."""


class ConfigError(OpenPHMError, ValueError):
    """A parameter, setting or catalogue entry is missing or invalid."""


class ModelError(OpenPHMError, RuntimeError):
    """A model cannot be fitted, loaded or applied."""


class DataQualityWarning(UserWarning):
    """Data is usable but suspect (clipping, a constant channel, an odd sampling rate...)."""
