"""``python -m harvester.fixtureserver [--port N] [--root DIR]``: same as ``harvester fixtures serve``."""

import sys

from harvester.cli.fixtures_cmd import serve

serve(sys.argv[1:], prog_name="python -m harvester.fixtureserver")
