"""The waiting-room display (``[terminal] profile = "display"``): the numbers called and where to go.

A screen on the wall, touched by nobody. :mod:`.feed` long-polls the central API for the
agents' calls on its own thread and posts each answer as an event; :mod:`.state` turns the
answers into what the wall shows (the newest call large, the last ones, the people waiting,
or plainly that calls are not arriving); :mod:`.room` rings :mod:`.chime` and hands the call
to the announcer (:mod:`.announce`'s words, said aloud by :mod:`.spoken_calls`). The screen
is ``screens/waiting_room/``. Only queue numbers and counters ever reach it: the contract's
calls carry no name.
"""
