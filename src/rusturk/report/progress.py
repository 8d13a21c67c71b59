"""Build progress: one live line on a terminal, plain lines in logs and CI."""

from __future__ import annotations

import sys
import threading


class Progress:
    """Per notebook and cell: one live line on a terminal, plain lines in logs and CI."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.state: dict[str, str] = {}
        self.lock = threading.Lock()

    def _emit(self, line: str) -> None:
        with self.lock:
            if self.tty:
                self.stream.write("\r\x1b[K" + line + "\n")
                self._status()
            else:
                self.stream.write(line + "\n")
            self.stream.flush()

    def _status(self) -> None:
        if self.state:
            self.stream.write("\r\x1b[K" + " · ".join(f"{k} {v}" for k, v in
                                                     sorted(self.state.items()))[:200])

    def info(self, message: str) -> None:
        self._emit(message)

    def cell(self, label: str, index: int, total: int, cell_id: str) -> None:
        text = f"cell {index + 1}/{total}"
        with self.lock:
            self.state[label] = text
            if self.tty:
                self._status()
                self.stream.flush()
                return
        self._emit(f"[{label}] {text} ({cell_id})")

    def done(self, label: str, message: str) -> None:
        with self.lock:
            self.state.pop(label, None)
        self._emit(f"[{label}] {message}")
