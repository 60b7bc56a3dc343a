"""http(s) URLs: fetched when a network is there, a clear error when not."""
from __future__ import annotations

import time
import urllib.error
import urllib.request

from ..errors import QuotewireError

USER_AGENT = "quotewire/0.1 (+https://pypi.org/project/quotewire)"


def fetch(url: str, max_bytes: int, timeout: float = 20.0, deadline: float = 60.0) -> tuple[bytes, str]:
    """(body, content type) of a URL, at most max_bytes, in at most ``deadline`` seconds in all:
    ``timeout`` bounds each read, and a body that trickles in a byte at a time never hits it."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    until = time.monotonic() + deadline
    try:
        with urllib.request.urlopen(req, timeout=min(timeout, deadline)) as resp:
            parts: list[bytes] = []
            got = 0
            while got <= max_bytes:
                if time.monotonic() > until:
                    raise QuotewireError("Q055", url=url, reason=f"no whole answer within {deadline:g} s")
                part = resp.read1(min(1 << 16, max_bytes + 1 - got)) if hasattr(resp, "read1") else resp.read(1 << 16)
                if not part:
                    break
                parts.append(part)
                got += len(part)
            data = b"".join(parts)
            ctype = resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise QuotewireError("Q055", url=url, reason=f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise QuotewireError("Q055", url=url, reason=str(reason)) from None
    if len(data) > max_bytes:
        raise QuotewireError("Q051", where=url, size=len(data), limit=max_bytes)
    return data, ctype
