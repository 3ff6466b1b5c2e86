"""`tillsync demo`: the bundled emulators, the sidecar and a day of orders, on loopback.

command.py is the command, session.py one run of it, story.py the story it tells,
children.py the processes it starts and stops, shop.py the store's catalogue and
orders, emulator_admin.py and sidecar.py how it talks to the emulators and the sidecar,
summary.py the figures.
"""
