"""Django's Redis cache, made to degrade: a Redis that is down or hangs costs a page at most a
short socket timeout, never a 500 (issue 14, defect 4).

- Short timeouts (connect and read, `REDIS_TIMEOUT`, 0.3 s by default) and no retries.
- A cache error is a miss: `get` answers the default, `set`/`delete` do nothing. After an
  error the cache is left alone for `RETRY_SECONDS`, so a hung Redis costs one request a
  timeout, not every call of every request.
- With `FALLBACK` (the default cache), the calls go meanwhile to a cache in the process's
  memory: allauth's rate limits (which take a lock with `add`) keep counting, per process,
  and log-in, sign-up and password reset work. Without it (the statistics buffer), `add`
  answers False: a hit is not counted.
- One warning a minute in the log, no traceback per hit.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

ERRORS = (RedisError, OSError)
RETRY_SECONDS = 5.0  # after an error, how long the cache is not asked
WARN_SECONDS = 60.0  # at most one warning a minute per cache

# per location and prefix (Django makes a cache object per thread): when it last failed
_down_since: dict[str, float] = {}
_last_warning: dict[str, float] = {}
_fallbacks: dict[str, LocMemCache] = {}


class SafeRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self.fallback_wanted = bool(options.pop("FALLBACK", False))
        timeout = float(options.pop("TIMEOUT", 0.3))
        options.setdefault("socket_connect_timeout", timeout)
        options.setdefault("socket_timeout", timeout)
        options.setdefault("retry_on_timeout", False)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self.name = f"{server}|{self.key_prefix}"

    # -- the state shared by the threads of a process
    def available(self) -> bool:
        since = _down_since.get(self.name)
        return since is None or time.monotonic() - since > RETRY_SECONDS

    def failed(self, error: BaseException) -> None:
        """Remember a failure (the callers of the raw client, as the statistics' script, too)."""
        now = time.monotonic()
        _down_since[self.name] = now
        if now - _last_warning.get(self.name, -WARN_SECONDS) >= WARN_SECONDS:
            _last_warning[self.name] = now
            logger.warning(
                "cache %s unreachable (%s: %s); working without it for now",
                self.name.split("|")[0].rsplit("@", 1)[-1],
                type(error).__name__,
                error,
            )

    def recovered(self) -> None:
        _down_since.pop(self.name, None)

    def ping(self) -> bool:
        """True if Redis answers now (for /readyz)."""
        try:
            ok = bool(self._cache.get_client(write=True).ping())  # type: ignore[attr-defined]  # the stubs leave out _cache
        except ERRORS as error:
            self.failed(error)
            return False
        self.recovered()
        return ok

    def fallback(self) -> LocMemCache | None:
        if not self.fallback_wanted:
            return None
        if self.name not in _fallbacks:
            _fallbacks[self.name] = LocMemCache(f"fallback-{self.name}", {"TIMEOUT": self.default_timeout})
        return _fallbacks[self.name]

    def _call(self, method: str, miss: Any, *args: Any, **kwargs: Any) -> Any:
        if self.available():
            try:
                result = getattr(super(), method)(*args, **kwargs)
            except ERRORS as error:
                self.failed(error)
            else:
                self.recovered()
                return result
        spare = self.fallback()
        return miss if spare is None else getattr(spare, method)(*args, **kwargs)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return bool(self._call("add", False, key, value, timeout, version))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", default, key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._call("set", None, key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return bool(self._call("touch", False, key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return bool(self._call("delete", False, key, version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return dict(self._call("get_many", {}, keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return bool(self._call("has_key", False, key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return int(self._call("incr", None, key, delta, version))
        except TypeError:  # the miss: None
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).") from None

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        result = self._call("set_many", list(data), data, timeout, version)
        return list(result or [])

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._call("delete_many", None, keys, version)

    def clear(self) -> None:
        self._call("clear", None)
