#!/usr/bin/env python3
"""Refuses an upward include: every `#include "<room>/..."` in src/<room>/ must name the
room itself or a room it may use, per the one table in src/layers.txt (CMake links the
per-room libraries from the same table). Also refuses a folder the table does not declare,
and a table that is not closed or not acyclic.

Usage: scripts/check-layers.py [SRC_DIR]      exit 0 clean, 1 violations (listed)
       scripts/check-layers.py --self-test SRC_DIR
         checks SRC_DIR, then plants violations in a temporary copy of the table and
         expects this checker to refuse each one (and to accept an allowed include), so
         the test fails if the checker stops working."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*"([A-Za-z0-9_]+)/')
SOURCE_SUFFIXES = ('.hpp', '.cpp', '.h', '.cc', '.ipp')


def read_table(path):
    table = {}
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            room, sep, uses = line.partition(':')
            if not sep or not room.strip():
                raise SystemExit(f'{path}:{number}: expected "room: rooms it may use"')
            table[room.strip()] = uses.split()
    return table


def table_problems(table, path):
    problems = []
    for room, uses in table.items():
        for used in uses:
            if used not in table:
                problems.append(f'{path}: {room} uses undeclared room {used}')
            elif used == room:
                problems.append(f'{path}: {room} lists itself')
            else:
                for below in table[used]:
                    if below not in uses:
                        problems.append(f'{path}: {room} uses {used}, which uses {below}: '
                                        f'list {below} for {room} too (the table is closed)')
    # acyclic: a room may not (transitively) use itself
    for room in table:
        seen, todo = set(), list(table[room])
        while todo:
            used = todo.pop()
            if used == room:
                problems.append(f'{path}: {room} uses itself through a cycle')
                break
            if used in seen or used not in table:
                continue
            seen.add(used)
            todo.extend(table[used])
    return problems


def check(src):
    table_path = os.path.join(src, 'layers.txt')
    table = read_table(table_path)
    problems = table_problems(table, table_path)
    for room in sorted(os.listdir(src)):
        folder = os.path.join(src, room)
        if not os.path.isdir(folder):
            continue
        if room not in table:
            problems.append(f'{folder}: folder not declared in {table_path}')
            continue
        allowed = set(table[room]) | {room}
        for dirpath, _, files in os.walk(folder):
            for name in sorted(files):
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding='utf-8') as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if m and m.group(1) in table and m.group(1) not in allowed:
                            problems.append(f'{path}:{number}: {room} may not include '
                                            f'{m.group(1)}/ (may use: '
                                            f'{" ".join(table[room]) or "nothing"})')
    return problems


def self_test(src):
    """Plant violations in a copy of the table and expect refusal; plant an allowed
    include and expect acceptance. Runs this script as the test would."""
    table = read_table(os.path.join(src, 'layers.txt'))
    lowest = next(r for r, uses in table.items() if not uses)
    above = next(r for r, uses in table.items() if lowest in uses)
    cases = [  # (name, files {path: text}, expect refusal?, text the refusal must contain)
        ('upward include', {f'{lowest}/planted.cpp': f'#include "{above}/x.hpp"\n'},
         True, f'{lowest} may not include {above}/'),
        ('upward include in a header',
         {f'{lowest}/planted.hpp': f'#pragma once\n  #  include "{above}/x.hpp"\n'},
         True, f'planted.hpp:2: {lowest} may not include {above}/'),
        ('undeclared folder', {'newroom/planted.cpp': '\n'}, True, 'folder not declared'),
        ('downward include', {f'{above}/planted.cpp': f'#include "{lowest}/x.hpp"\n'},
         False, ''),
    ]
    failures = []
    for name, files, refuse, message in cases:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(os.path.join(src, 'layers.txt'), tmp)
            for room in table:
                os.makedirs(os.path.join(tmp, room))
            for rel, text in files.items():
                os.makedirs(os.path.dirname(os.path.join(tmp, rel)), exist_ok=True)
                with open(os.path.join(tmp, rel), 'w', encoding='utf-8') as f:
                    f.write(text)
            run = subprocess.run([sys.executable, os.path.abspath(__file__), tmp],
                                 capture_output=True, text=True)
            refused = run.returncode == 1 and message in run.stdout
            accepted = run.returncode == 0
            ok = refused if refuse else accepted
            print(f'self-test {name}: {"ok" if ok else "FAILED"} (exit {run.returncode})')
            if not ok:
                failures.append(f'{name}: exit {run.returncode}\n{run.stdout}{run.stderr}')
    return failures


def main(argv):
    args = argv[1:]
    selftest = bool(args) and args[0] == '--self-test'
    if selftest:
        args = args[1:]
    src = args[0] if args else os.path.join(os.path.dirname(__file__), '..', 'src')
    problems = check(src)
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f'layering: {src} clean')
    if selftest:
        failures = self_test(src)
        for f in failures:
            print(f)
        return 1 if failures else 0
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
