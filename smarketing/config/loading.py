"""Read and validate ``smarketing.yml``, with errors that name the file and the key."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from smarketing.config.models import SmarketingConfig

CONFIG_ENV = "SMARKETING_CONFIG"
DEFAULT_CONFIG = Path("smarketing.yml")


class ConfigError(ValueError):
    """The shared lead definition cannot be read, or a key or value in it is wrong."""


def default_config_path() -> Path:
    """``$SMARKETING_CONFIG``, else ``./smarketing.yml``."""
    return Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key written twice (YAML would keep the last silently)."""


def _mapping_without_duplicates(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"key {key!r} is written twice",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def _key_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _problem(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key (misspelt, or not part of the definition)"
    if kind == "missing":
        return "missing key"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind in ("value_error", "assertion_error"):
        return message
    return f"{message} (got {error['input']!r})"


def _describe_errors(path: Path, error: ValidationError, what: str) -> str:
    lines = [f"{path}: {what}"]
    for item in error.errors():
        key = _key_path(tuple(item["loc"]))
        # a check across keys names its keys in its message
        lines.append(f"  {key}: {_problem(dict(item))}" if key else f"  {_problem(dict(item))}")
    return "\n".join(lines)


def read_yaml(path: Path, what: str) -> dict[str, Any]:
    """The top-level mapping of the YAML file PATH (WHAT it is, for errors)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what}: {exc}") from exc
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    return data


def load_config(path: Path | str | None = None) -> SmarketingConfig:
    """Read and validate the shared lead definition at PATH (default: see default_config_path).

    Raises ConfigError naming the file, the key path and the problem.
    """
    config_path = Path(path) if path is not None else default_config_path()
    data = read_yaml(config_path, what="shared lead definition")
    try:
        return SmarketingConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            _describe_errors(config_path, exc, "invalid shared lead definition")
        ) from exc
