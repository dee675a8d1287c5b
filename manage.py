#!/usr/bin/env python
import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["evaluate"]:
        # Scoring files needs no Django, database or Redis: hand the command to the plain scorer before
        # settings (which would start the embedded PostgreSQL and Redis) are read.
        from benchmark.metrics.__main__ import main as evaluate

        sys.exit(evaluate(sys.argv[2:], prog="manage.py evaluate"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
