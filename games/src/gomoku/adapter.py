#!/usr/bin/env python3
"""Runs a CodeClash Gomoku bot (``main.py`` defining ``get_move(board, color)``)
behind the arena's JSON-lines protocol. Standard library only.

Run as ``python3 adapter.py`` in the bot's folder. Each stdin line is one
request; each gets exactly one stdout line back:

    {"type": "start", "color": "black", "board_size": 15}  -> {}
    {"type": "move", "board": [[0, 1, 2, ...], ...], "color": "black"}
                                                       -> {"move": [row, col]}
    {"type": "end"}                                    -> {}

Failures are answers too, ``{"error": {"kind": KIND, "message": ...}}``:

    import            main.py failed to load (syntax error, import error,
                      exception at load): answered to every start and move
    missing_function  main.py has no callable get_move: likewise
    exception         get_move raised: "<type>: <message> (at file:line in fn)"
    bad_return        get_move returned something that is not a list/tuple of
                      two values int() accepts (engine.py also takes 3.0, "3")
    malformed         the request line itself was unreadable

The bot's own output cannot corrupt the protocol: the protocol keeps private
duplicates of the real stdin and stdout, and before main.py is imported fd 1
(and sys.stdout) points at stderr and fd 0 (and sys.stdin) at /dev/null.
``SystemExit`` and ``KeyboardInterrupt`` are not caught (engine.py's
``except Exception`` does not catch them either): the process ends and the
arena sees a crash.
"""

import importlib.util
import json
import os
import sys
import traceback

MESSAGE_LIMIT = 2000


def open_protocol():
    """Keeps the real stdin/stdout for the protocol; gives the bot stderr and /dev/null."""
    proto_in = os.fdopen(os.dup(0), "r", encoding="utf-8", errors="replace")
    proto_out = os.fdopen(os.dup(1), "w", encoding="utf-8", newline="\n")
    sys.stdout.flush()
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdout = sys.stderr
    sys.stdin = open(os.devnull, encoding="utf-8")
    return proto_in, proto_out


def clip(text):
    """Keeps messages to a sane length."""
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + "..."


def error(kind, message):
    return {"error": {"kind": kind, "message": clip(message)}}


def describe(exc):
    """'<type>: <message> (at file:line in function)', the innermost frame."""
    text = f"{type(exc).__name__}: {exc}"
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        last = frames[-1]
        text += f" (at {os.path.basename(last.filename)}:{last.lineno} in {last.name})"
    elif isinstance(exc, SyntaxError) and exc.lineno is not None:
        text += f" (at {os.path.basename(exc.filename or 'main.py')}:{exc.lineno})"
    return text


def load_bot(folder):
    """Returns (get_move, None) or (None, error answer)."""
    path = os.path.join(folder, "main.py")
    try:
        spec = importlib.util.spec_from_file_location("main", path)
        if spec is None or spec.loader is None:
            return None, error("import", f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules["main"] = module
        spec.loader.exec_module(module)
    except Exception as exc:
        return None, error("import", describe(exc))
    get_move = getattr(module, "get_move", None)
    if not callable(get_move):
        return None, error(
            "missing_function", "main.py must define a get_move(board, color) function"
        )
    return get_move, None


def to_move(value):
    """engine.py's check: a list or tuple of length 2, then int() of each."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None, error("bad_return", f"get_move returned {value!r:.200}, not (row, col)")
    try:
        return [int(value[0]), int(value[1])], None
    except Exception as exc:
        return None, error("bad_return", f"get_move returned {value!r:.200}: {describe(exc)}")


def answer(request, get_move, failure):
    if not isinstance(request, dict):
        return error("malformed", "request is not a JSON object")
    kind = request.get("type")
    if kind == "start":
        return failure or {}
    if kind != "move":
        return {}
    if failure:
        return failure
    try:
        move = get_move(request.get("board"), request.get("color"))
    except Exception as exc:
        return error("exception", describe(exc))
    cell, bad = to_move(move)
    return bad or {"move": cell}


def main():
    proto_in, proto_out = open_protocol()
    folder = os.path.dirname(os.path.abspath(__file__))
    if folder not in sys.path:
        sys.path.insert(0, folder)
    get_move, failure = load_bot(folder)
    for line in proto_in:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError as exc:
            reply = error("malformed", f"unreadable request: {exc}")
        else:
            reply = answer(request, get_move, failure)
        sys.stderr.flush()
        proto_out.write(json.dumps(reply) + "\n")
        proto_out.flush()


if __name__ == "__main__":
    main()
