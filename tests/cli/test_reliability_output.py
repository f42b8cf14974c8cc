"""Hardening of what kg writes: -o on things that are not regular files, terminal escapes (issue 15)."""

from __future__ import annotations

import os
import socket
import stat
import threading

import pytest


# Finding 3: -o replaced devices and FIFOs with regular files ------------------------------------


def _is_char_device(path: str) -> bool:
    return stat.S_ISCHR(os.stat(path).st_mode)


@pytest.mark.parametrize("command", [["query", "-o", "OUT", "ASK {}"], ["export", "nt", "-o", "OUT"]],
                         ids=["query", "export"])
def test_output_to_dev_null_writes_into_it_and_keeps_it_a_device(kg, tmp_path, command):
    if not _is_char_device("/dev/null"):
        pytest.skip("no /dev/null device here")
    link = tmp_path / "answer.txt"
    link.symlink_to("/dev/null")  # through a link, so a regression replaces the link, never /dev/null
    result = kg(*[str(link) if arg == "OUT" else arg for arg in command])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and _is_char_device("/dev/null")
    assert [p.name for p in tmp_path.iterdir()] == ["answer.txt"]


def test_output_to_dev_full_fails_in_one_line_and_keeps_it_a_device(kg, tmp_path):
    if not os.path.exists("/dev/full") or not _is_char_device("/dev/full"):
        pytest.skip("no /dev/full device here")
    link = tmp_path / "answer.csv"
    link.symlink_to("/dev/full")
    for args in (["query", "-o", str(link), "ASK {}"], ["export", "nt", "-o", str(link)]):
        result = kg(*args)
        assert result.exit_code == 2, result.output
        assert "write failed (No space left on device)" in result.output
        assert "wrote" not in result.output and "Traceback" not in result.output
        assert link.is_symlink() and _is_char_device("/dev/full")


def test_output_to_a_fifo_streams_into_it(kg, tmp_path):
    fifo = tmp_path / "answer.csv"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = kg("query", "-o", str(fifo), "SELECT ?x WHERE { VALUES ?x { 1 2 } }")
    reader.join(10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and received[0].split() == [b"x", b"1", b"2"]


def test_output_to_a_socket_is_refused_in_one_line(kg, tmp_path):
    path = tmp_path / "answer.csv"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        result = kg("query", "-o", str(path), "ASK {}")
    finally:
        server.close()
    assert result.exit_code == 2, result.output
    assert f"{path}: is a socket" in result.output
    assert stat.S_ISSOCK(os.stat(path).st_mode)


def test_output_through_a_symlink_replaces_the_file_and_keeps_the_link(kg, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    result = kg("query", "-o", str(link), "SELECT ?x WHERE { VALUES ?x { 1 } }")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and real.read_text().split() == ["x", "1"]
