"""The terminal's configuration: kiosk.toml read into frozen, validated models.

What the rest of the project imports: ``load_config`` and friends from :mod:`.loading`, the
section models from :mod:`.models`, and how problems are worded in :mod:`.errors`.
"""

from kiosk.config.loading import (
    DEMO_PIN,
    REPO_CONFIG_PATH,
    SYSTEM_CONFIG_PATH,
    ConfigError,
    config_from_dict,
    config_warnings,
    load_config,
    resolve_config_path,
)
from kiosk.config.models import (
    AVAILABLE_LANGUAGES,
    AccessibilityConfig,
    AdminConfig,
    ApiConfig,
    BookingConfig,
    BrandingConfig,
    CheckinConfig,
    CityConfig,
    DemarchesConfig,
    DisplayConfig,
    IdleConfig,
    KeypadConfig,
    KioskConfig,
    LanguagesConfig,
    LocationConfig,
    PrinterConfig,
    QueueConfig,
    ScannerConfig,
    SpeechConfig,
    SpeechVoicesConfig,
    SyncConfig,
    TerminalConfig,
    TouchConfig,
    TrackingConfig,
    WaitingRoomConfig,
)

__all__ = [
    "AVAILABLE_LANGUAGES", "DEMO_PIN", "REPO_CONFIG_PATH", "SYSTEM_CONFIG_PATH", "AccessibilityConfig", "AdminConfig",
    "ApiConfig", "BookingConfig", "BrandingConfig", "CheckinConfig", "CityConfig",
    "DemarchesConfig", "ConfigError", "DisplayConfig",
    "IdleConfig", "KeypadConfig", "KioskConfig", "LanguagesConfig", "LocationConfig", "PrinterConfig",
    "QueueConfig", "ScannerConfig",
    "SpeechConfig", "SpeechVoicesConfig",
    "SyncConfig", "TerminalConfig", "TouchConfig", "TrackingConfig", "WaitingRoomConfig", "config_from_dict",
    "config_warnings",
    "load_config", "resolve_config_path",
]
