"""A worker process forked by multiprocessing's fork server that does not import the caller's main module.

multiprocessing starts each fork-server or spawned process by importing the
main module of the process that starts it (as `__mp_main__`), so that
functions defined there can be sent to it.  For a script without an
`if __name__ == "__main__":` guard that means running the script again in
every worker: a script calling `extract(texts, processes=2)` at its top level
would call it again in each worker, which would start workers of its own
(multiprocessing refuses: tracebacks, and every article failed).  A notebook's
workers would import its kernel.  The pool's workers run only the pipeline's
own functions, which they import by module name, so they need nothing from the
main module: the preparation data they start from leaves it out, and
`extract` works from any script, guarded or not, and from a notebook.

multiprocessing offers no option for this: `Popen._launch` is the standard
library's (Python 3.11), with the main module's two keys taken out.
"""

from __future__ import annotations

import io
import os
from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util
from typing import Any

# The keys of spawn's preparation data that make the child import the parent's main module.
_MAIN_MODULE_KEYS = ("init_main_from_name", "init_main_from_path")


class _Popen(popen_forkserver.Popen):
    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        for key in _MAIN_MODULE_KEYS:
            prep_data.pop(key, None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)  # type: ignore[attr-defined]
        # A duplicate of the data pipe's write end: the child's sentinel of this process.
        parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))  # type: ignore[attr-defined]
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class WorkerProcess(context.ForkServerProcess):
    """A fork-server process started without the caller's main module (see the module docstring)."""

    @staticmethod
    def _Popen(process_obj: Any) -> _Popen:
        return _Popen(process_obj)
