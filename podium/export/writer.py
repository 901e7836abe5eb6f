"""Writing many small files while the pages go on rendering.

Creating a file or a folder spends most of its time waiting in the kernel (the journal,
the folder's lock), not computing. A thread of the rendering process does the writing,
so the next page renders meanwhile; `flush` waits for the files and raises the first
write error, so a full disk still stops the export.
"""

import os
import queue
import threading

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC


class FileWriter:
    """Writes files under one folder from a background thread of the current process.

    Each process (an export forks its renderers) gets its own thread on first use: a
    thread does not survive a fork.
    """

    def __init__(self, root: str) -> None:
        self.root = root
        self._made: set[str] = set()  # folders known to exist
        self._pid = -1
        self._queue: queue.Queue = queue.Queue()
        self._error: OSError | None = None

    def write(self, relative: str, data: bytes) -> None:
        """Write `data` to `root/relative` soon, creating its folder when needed."""
        if self._pid != os.getpid():
            self._start()
        self._queue.put((relative, data))

    def flush(self) -> None:
        """Wait until every file handed over so far is written; raise the first failure."""
        if self._pid == os.getpid():
            self._queue.join()
        if self._error is not None:
            raise self._error

    def _start(self) -> None:
        self._pid = os.getpid()
        self._queue = queue.Queue()
        self._error = None
        threading.Thread(target=self._run, name="podium-export-writer", daemon=True).start()

    def _run(self) -> None:
        work = self._queue
        while True:
            relative, data = work.get()
            try:
                if self._error is None:  # after a failure, the export is over: skip the rest
                    self._write_now(relative, data)
            except OSError as error:
                self._error = error
            finally:
                work.task_done()

    def _write_now(self, relative: str, data: bytes) -> None:
        # Plain os calls on strings (no buffered file object, no existence checks): a first
        # export writes tens of thousands of files, and each system call counts.
        folder = relative.rpartition("/")[0]
        if folder not in self._made:
            try:
                os.mkdir(os.path.join(self.root, folder))
            except FileNotFoundError:
                os.makedirs(os.path.join(self.root, folder), exist_ok=True)
            except FileExistsError:
                pass
            self._made.add(folder)
        descriptor = os.open(os.path.join(self.root, relative), _FLAGS, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
        finally:
            os.close(descriptor)
