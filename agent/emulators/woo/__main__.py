"""`python -m agent.emulators.woo`: the same command as `tillsync emulate woo`."""

from agent.emulators.woo.command import woo_command

if __name__ == "__main__":
    woo_command(prog_name="python -m agent.emulators.woo")
