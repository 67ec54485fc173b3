"""Telling users what crawls found: notification rules (notify.yaml), messages, delivery
through Apprise, and the Atom feed of the same events."""

# Here rather than in config, so a crawl can tell whether notifications are set up without
# importing what sending them needs.
ENV_VAR = "HARVESTER_NOTIFY"
