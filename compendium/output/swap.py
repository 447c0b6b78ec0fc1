"""Output safety: a build lock, and an atomic exchange of the new output folder with the old one."""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from compendium.errors import UsageError

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


def replace_dir(new: Path, target: Path) -> None:
    """Make `new` the folder at `target`; the old content is removed afterwards.

    On Linux the two folders are exchanged atomically, so a crash at any instant leaves either
    the complete old output or the complete new one at `target`, never a mix or nothing.
    """
    if not target.exists():
        os.replace(new, target)
        return
    if _renameat2_exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old output
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


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


@contextmanager
def build_lock(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock for the build; a second build on the same project fails at once."""
    import fcntl

    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            raise UsageError(
                f"another build of this project is running (pid {holder}); wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)
