"""Cut the local query's child process off from the network, whatever the query says.

kg query refuses SERVICE unless ``--allow-service``, but that refusal reads
the query with kg's own tokenizer, and Oxigraph's parser is the one that
decides what runs (issue 15: an escape inside an IRI hid a SERVICE from the
tokenizer and Oxigraph sent the request). So the child that answers a local
query also loses the means to connect: a seccomp filter makes every
``socket()`` call fail with EACCES, for the child and any thread Oxigraph
starts. Oxigraph reaches other servers only through sockets (SERVICE; FROM
never fetches, and a ``file:`` service is refused without opening a file),
so a query that slips past the tokenizer ends in an error, not a request.

Python's standard library has no seccomp binding, so the filter is built
here with ctypes; it needs Linux on x86-64 or AArch64. Elsewhere
``deny_network`` returns False and the caller refuses any query that
mentions SERVICE at all (see ``kg.sparql.runner.answer_query``).
"""

from __future__ import annotations

import ctypes
import errno
import platform
import sys

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_PR_SET_PDEATHSIG = 1
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000

# BPF opcodes: load a word at an absolute offset of seccomp_data, jump if equal / greater or equal, return.
_LD_ABS = 0x20
_JEQ = 0x15
_JGE = 0x35
_RET = 0x06

# (audit architecture, socket syscall, io_uring_setup syscall) per machine. io_uring can open
# sockets without the socket() call, so it is refused too.
_ARCHITECTURES = {
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
_X32_SYSCALL_BIT = 0x40000000


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _program(arch: int, socket_call: int, io_uring_call: int, x86: bool) -> list[tuple[int, int, int, int]]:
    deny = _RET_ERRNO | errno.EACCES
    program = [
        (_LD_ABS, 0, 0, 4),  # seccomp_data.arch
        (_JEQ, 1, 0, arch),
        (_RET, 0, 0, deny),  # another ABI (32-bit calls on a 64-bit kernel): nothing goes through
        (_LD_ABS, 0, 0, 0),  # seccomp_data.nr
    ]
    if x86:
        program += [(_JGE, 0, 1, _X32_SYSCALL_BIT), (_RET, 0, 0, deny)]
    program += [
        (_JEQ, 2, 0, socket_call),
        (_JEQ, 1, 0, io_uring_call),
        (_RET, 0, 0, _RET_ALLOW),
        (_RET, 0, 0, deny),
    ]
    return program


def deny_network() -> bool:
    """Make every later ``socket()`` of this process fail; True if that is now guaranteed.

    Irreversible: call it only in a child process that needs no network.
    """
    machine = platform.machine().lower()
    if not sys.platform.startswith("linux") or machine not in _ARCHITECTURES:
        return False
    arch, socket_call, io_uring_call = _ARCHITECTURES[machine]
    program = _program(arch, socket_call, io_uring_call, machine == "x86_64")
    filters = (_SockFilter * len(program))(*[_SockFilter(*instruction) for instruction in program])
    fprog = _SockFprog(len(program), filters)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere nothing).

    The parent kills its query child on a timeout or a signal it can catch;
    this covers SIGKILL, which it cannot.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0)  # 9: SIGKILL
    except (OSError, AttributeError):
        pass

