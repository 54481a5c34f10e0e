"""A process and its living descendants, read from /proc (Linux): what the benchmarks charge to a command."""

from __future__ import annotations

from pathlib import Path


def tree_stat_fields(root: int) -> list[list[str]]:
    """The /proc/PID/stat fields after the command name, for root and every living descendant
    (index 1 is the parent pid, 11 and 12 user and system clock ticks, 21 resident pages)."""
    parents: dict[int, int] = {}
    fields: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(stat[1])
        except (OSError, IndexError, ValueError):
            continue
        fields[int(entry.name)] = stat
    family, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in family]
        family.update(children)
        frontier.extend(children)
    return [fields[pid] for pid in family if pid in fields]
