"""Front Door's core: the queue of people who walk in or call, and the case managers who serve them.

The core imports no web framework. `domain` holds the rules as plain Python, `services` apply
them inside a database transaction they commit, `persistence` maps them to SQL, and `bus`
carries what happened to whoever wants to react (sockets, SMS) once it is committed.
"""
