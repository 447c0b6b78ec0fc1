"""Output safety: a build lock, and an atomic exchange of the new output folder with the old one."""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from compendium.errors import UsageError


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def replace_dir(new: Path, target: Path, discard: Callable[[Path], None] = _remove) -> None:
    """Make the folder `new` the folder at `target`; the old content goes to `discard` afterwards.

    new, target: folders on the same file system (`target` may not exist yet). discard(path): what
    to do with the folder that now holds the old output (default: delete it; the build moves it aside
    to delete it in the background, `discard_later`). Returns nothing; `new` no longer exists
    afterwards. Raises OSError when a rename fails (then `target` is unchanged).

    On Linux the two folders are exchanged atomically (renameat2 RENAME_EXCHANGE), so a crash at
    any instant leaves either the complete old output or the complete new one at `target`, never
    a mix or nothing. Elsewhere two renames: a crash between them leaves the old output beside
    `target` as .<name>.old-<pid>.
    """
    if not target.exists():
        os.replace(new, target)
        return
    if _renameat2_exchange(new, target):
        discard(new)  # `new` now holds the old output
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.replace(target, old)
    os.replace(new, target)
    discard(old)


def discard_later(folders: list[Path]) -> threading.Thread:
    """Delete `folders` in a background thread, so that nobody waits for it (a 1,000-entry site's old
    output takes seconds to unlink); returns the thread (join it to wait).

    The thread is a daemon: the process never waits for it at exit, and no process is left behind.
    What it had not deleted by then stays under its name (a build's `.staging-<project>-*` folder),
    and the next build of the project deletes it the same way.
    """
    thread = threading.Thread(target=lambda: [_remove(f) for f in folders], name="compendium-discard", daemon=True)
    thread.start()
    _DISCARDING[:] = [t for t in _DISCARDING if t.is_alive()] + [thread]
    return thread


_DISCARDING: list[threading.Thread] = []


def wait_discarded(timeout: float | None = None) -> None:
    """Wait until the folders this process set aside (discard_later) are deleted (for tests, and a
    caller that wants the disk space back at once); `timeout` in seconds, None for no limit."""
    for thread in list(_DISCARDING):
        thread.join(timeout)


def link_tree(src: Path, dst: Path, skip: set[str]) -> None:
    """Copy `src` into `dst` with hard links (cheap), leaving out the top-level names in `skip`.

    Everything else is kept, dot files included (`.git`, `.nojekyll`, `.htaccess` of a deployed site).
    """
    dst.mkdir(parents=True, exist_ok=True)
    if not src.is_dir():
        return
    for item in sorted(src.iterdir()):
        if item.name in skip:
            continue
        if item.is_dir() and not item.is_symlink():
            shutil.copytree(item, dst / item.name, copy_function=_link_or_copy, symlinks=True)
        else:
            _link_or_copy(str(item), str(dst / item.name))


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


# Locks this process holds: lock file (real path) → its descriptor. A POSIX record lock belongs
# to a process, so two threads of one process would both get it: this registry refuses the second.
_HELD: dict[str, int] = {}
_HELD_GUARD = threading.Lock()


def _forget_locks_in_child() -> None:
    """After fork, in the child: close the lock descriptors it inherited (the lock itself is the
    parent's and is not inherited; this only keeps children from holding the file open)."""
    global _HELD_GUARD
    for fd in _HELD.values():
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()
    _HELD_GUARD = threading.Lock()  # another thread may have held it at the fork


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_in_child)


@contextmanager
def build_lock(lock_file: Path) -> Iterator[None]:
    """Hold the project's build lock for the duration of the block; a second build fails at once.

    lock_file: the lock file (created if missing; it holds the pid of the build that holds it).
    Raises UsageError naming the pid of the running build when another build of the project holds
    the lock, in this process or another one; OSError when the lock file cannot be created.

    The lock is a POSIX record lock (fcntl(2) F_SETLK, via fcntl.lockf): it belongs to this process
    alone, is never inherited by children (workers, pandoc, font instancers), and the kernel drops
    it the moment the process ends, however it ends. So a lock is only ever held by a live build,
    and a killed build never blocks the next one. (It used to be a flock(2) lock, which belongs to
    the open file and so lived on in every forked worker that outlived its build.) Its descriptor
    is close-on-exec and closed in forked children too. Locks work on local file systems and NFS.
    """
    import fcntl

    lock_file.parent.mkdir(parents=True, exist_ok=True)
    key = os.path.realpath(lock_file)
    with _HELD_GUARD:
        if key in _HELD:
            raise UsageError(f"another build of this project is running (pid {os.getpid()}, this process); "
                             "wait for it to finish")
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)  # this process holds no lock on the file: closing it releases nothing
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            raise UsageError(f"another build of this project is running ({_describe(holder)}); "
                             "wait for it to finish") from None
        _HELD[key] = fd
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        with _HELD_GUARD:
            _HELD.pop(key, None)
        os.close(fd)  # releases the lock


def _describe(holder: str) -> str:
    """'pid N' for the process holding the lock, saying so when it is suspended (Ctrl-Z)."""
    if not holder.isdigit():
        return "another process"
    try:
        state = Path(f"/proc/{holder}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        state = ""
    if state in ("T", "t"):
        return f"pid {holder}, suspended: resume it with `fg` or end it with `kill {holder}`"
    return f"pid {holder}"
