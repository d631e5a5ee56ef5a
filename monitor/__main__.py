"""`python -m monitor` is the `kalkan` command (handy where the console script is not on PATH)."""

from monitor.cli import main

main()
