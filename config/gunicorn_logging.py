"""gunicorn's access log without what could identify a woman or let someone in.

Every request line is logged in production: it keeps the path alone, with invitation tokens
masked (config/log_redaction.py), and no referrer or other request header.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from config.log_redaction import redacted_path


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        path = redacted_path(environ.get("PATH_INFO"))
        atoms.update(
            U=path,
            q="",
            f="-",
            r=f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}",
        )
        # Request headers are atoms too ({referer}i and the like): none of them is kept.
        return {key: value for key, value in atoms.items() if not key.endswith("}i")}
