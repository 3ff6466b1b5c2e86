"""`python -m agent.emulators.pos --port 0 --token T`: the POS emulator alone."""

from agent.emulators.pos.command import pos_command

if __name__ == "__main__":
    pos_command(prog_name="python -m agent.emulators.pos")
