"""The shared lead definition (``smarketing.yml``): stages, channels, segments, offers, reasons."""

from __future__ import annotations

from smarketing.config.loading import (
    CONFIG_ENV,
    ConfigError,
    default_config_path,
    load_config,
)
from smarketing.config.models import REASON_CATEGORIES, SmarketingConfig

__all__ = [
    "CONFIG_ENV",
    "REASON_CATEGORIES",
    "ConfigError",
    "SmarketingConfig",
    "default_config_path",
    "load_config",
]
