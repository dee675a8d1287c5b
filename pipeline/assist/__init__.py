"""Assistance engines: machine proposals that people confirm (plain Python, no Django).

``events``: candidate sound events inside an interval of a video's audio (onsets and offsets against an adaptive
noise floor); ``clap``: optional scoring of candidates against the sound a question names, with a CLAP model from a
local folder; ``audio``: reading an interval of a proxy's audio with PyAV.
"""
