"""The ``harvester`` command. Each subcommand lives in its own module and is thin: it reads
options, calls library functions and prints what they return."""
