"""The demo: a generator of realistic landing files, mail and truth, and the example configuration.
Imports only core."""
