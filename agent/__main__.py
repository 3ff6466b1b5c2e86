"""`python -m agent …` is `tillsync …`."""

from agent.cli import main

main()
