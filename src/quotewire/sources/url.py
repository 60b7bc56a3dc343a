"""http(s) URLs: fetched when a network is there, a clear error when not."""
from __future__ import annotations

import urllib.error
import urllib.request

from ..errors import QuotewireError

USER_AGENT = "quotewire/0.1 (+https://pypi.org/project/quotewire)"


def fetch(url: str, max_bytes: int, timeout: float = 20.0) -> tuple[bytes, str]:
    """(body, content type) of a URL, at most max_bytes."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data = resp.read(max_bytes + 1)
            ctype = resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise QuotewireError("Q055", url=url, reason=f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise QuotewireError("Q055", url=url, reason=str(reason)) from None
    if len(data) > max_bytes:
        raise QuotewireError("Q051", where=url, size=len(data), limit=max_bytes)
    return data, ctype
