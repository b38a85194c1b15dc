"""The web app (``instc serve``): the corridor map and a JSON API on localhost.

Needs the ``app`` extra (fastapi, uvicorn).
"""

from instc.app.server import AppSettings, create_app

__all__ = ["AppSettings", "create_app"]
