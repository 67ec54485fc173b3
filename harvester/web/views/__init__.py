"""One module per page of the web interface; each handler returns a ``harvester.web.pages.Page``."""
