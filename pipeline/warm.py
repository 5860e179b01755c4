"""Loads the models into the local pool's fork server, once, before it forks any worker.

The fork server (`pool.WorkerPool`) imports this module by name: that is the
only preloading a fork server offers, so which models to load comes in an
environment variable the pool sets for the server's start.  Every worker
forked afterwards finds spaCy, each configured pipeline and the language
detector already loaded (`recognise.load_recogniser` and `langid._factory` are
cached per process) and the country-adjective tables read, and shares their
memory copy-on-write: spaCy's models are read-only at inference.  A
replacement for a worker that died starts without loading anything.

A model that fails to load here is loaded again by each worker on first
use, which records the failure on every article of that language, as a run
in one process does; the server lives on.

Ctrl-C is the run's own process's to handle (it stops the pool, which kills
this server): the server starts with SIGINT blocked (the pool's thread that
starts it blocks it, and a new process inherits that), ignores it here, and
only then unblocks it, so a Ctrl-C during the seconds of loading never breaks
an import with a traceback.  Its workers inherit the ignoring.  SIGTERM keeps
its default: the server ends at once, silently.

Once loaded, the fork server is set to leave at once when the pool stops it
(`os._exit` as an exit handler): freeing a few hundred megabytes of models one
Python object at a time took half a second, during which the run's process
waited.  The server writes nothing, so the exit handlers this skips lose nothing.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
from contextlib import suppress

from .knowledge.jurisdiction import preload_demonyms
from .pool import MODELS_ENV
from .stages.langid import _factory
from .stages.ner.recognise import load_recogniser

signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
_factory()
for _lang, _model in sorted(json.loads(os.environ.get(MODELS_ENV) or "{}").items()):
    with suppress(Exception):  # the workers meet the failure again and record it per article
        load_recogniser(_lang, _model)
preload_demonyms()
atexit.register(os._exit, 0)  # after loading: a server that failed to load exits as usual
