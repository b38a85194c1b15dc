"""App: the web application (API and page)."""
