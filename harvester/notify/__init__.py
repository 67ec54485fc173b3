"""Telling users what crawls found: notification rules (notify.yaml), messages, delivery
through Apprise, and the Atom feed of the same events."""
