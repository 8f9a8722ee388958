"""News monitoring: the shell around the pure analysis pipeline of :mod:`waspada.nlp`."""
