"""Speech: what the kiosk says aloud, for people who cannot see the screen (issue 15).

This package holds the feature's rules; the engine and the sound are in :mod:`drivers.audio`.

- :mod:`.verbalise`: text rewritten for the ear (« 9 h 30 » → « 9 heures 30 », dates in
  words, references letter by letter, phone numbers in pairs, « n° », euros), French and English.
- :mod:`.utterance`: what is said, in parts that may be personal.
- :mod:`.privacy`: personal parts are spoken only into a headset.
- :mod:`.personal`: what a screen shows of the person (typed values, references) found in its text.
- :mod:`.speaker`: the service — say (interrupting), stop, repeat, volume, end of visit.
- :mod:`.keys`: the keypad's keys and what each does.
- :mod:`.welcome`: the welcome said when speech starts, and the keys in one paragraph.
- :mod:`.ticket_aloud`: a printed ticket as it is said (« Écouter le ticket »).

Starting speech (held 5, the headset jack, « Guidage vocal ») is the shell's
(:mod:`kiosk.shell.guidance`); the keypad's focus is :mod:`kiosk.shell.focus`. The screens'
spoken text is the widgets' own (``Widget.spoken``), read by :mod:`kiosk.shell.screen_reader`.
"""
