"""Food-seeker: a Battlesnake that heads for the nearest food by breadth-first
search, avoiding walls, bodies, and cells next to the heads of snakes at
least as long as itself. Falls back to the move with the most open space.

Standard library only. Speaks the Battlesnake HTTP API on $PORT
(GET /, POST /start, /move, /end), as the official starters do.
"""

import json
import os
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MOVES = {"up": (0, 1), "down": (0, -1), "left": (-1, 0), "right": (1, 0)}


def info():
    return {"apiversion": "1", "author": "arena examples", "color": "#d9822b",
            "head": "default", "tail": "default", "version": "1.0"}


def obstacles(state):
    board, you = state["board"], state["you"]
    blocked = set()
    for snake in board["snakes"]:
        for part in snake["body"][:-1]:
            blocked.add((part["x"], part["y"]))
        # A head-to-head against an equal or longer snake loses: avoid the
        # cells it can reach next.
        if snake["id"] != you["id"] and snake["length"] >= you["length"]:
            hx, hy = snake["head"]["x"], snake["head"]["y"]
            for dx, dy in MOVES.values():
                blocked.add((hx + dx, hy + dy))
    return blocked


def inside(board, x, y):
    return 0 <= x < board["width"] and 0 <= y < board["height"]


def open_space(board, blocked, start, limit=64):
    seen, todo = {start}, deque([start])
    while todo and len(seen) < limit:
        x, y = todo.popleft()
        for dx, dy in MOVES.values():
            nxt = (x + dx, y + dy)
            if inside(board, *nxt) and nxt not in blocked and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return len(seen)


def move(state):
    board, head = state["board"], state["you"]["head"]
    blocked = obstacles(state)
    start = (head["x"], head["y"])
    food = {(f["x"], f["y"]) for f in board["food"]}
    # Breadth-first search from each first step; the first to reach food wins.
    first, todo, seen = {}, deque(), {start}
    for name, (dx, dy) in MOVES.items():
        cell = (start[0] + dx, start[1] + dy)
        if inside(board, *cell) and cell not in blocked:
            first[cell] = name
            seen.add(cell)
            todo.append(cell)
    while todo:
        cell = todo.popleft()
        if cell in food:
            return {"move": first[cell]}
        for dx, dy in MOVES.values():
            nxt = (cell[0] + dx, cell[1] + dy)
            if inside(board, *nxt) and nxt not in blocked and nxt not in seen:
                seen.add(nxt)
                first[nxt] = first[cell]
                todo.append(nxt)
    best, space = "up", -1
    for name, (dx, dy) in MOVES.items():
        cell = (start[0] + dx, start[1] + dy)
        if inside(board, *cell) and cell not in blocked:
            room = open_space(board, blocked, cell)
            if room > space:
                best, space = name, room
    return {"move": best}


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1, as real bot servers speak it (Flask, Go, Node): the arena
    # keeps the connection for the next request instead of opening one per
    # move. The standard library's default is HTTP/1.0, one per request.
    protocol_version = "HTTP/1.1"

    def _reply(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._reply(info())

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        state = json.loads(self.rfile.read(length) or b"{}")
        self._reply(move(state) if self.path == "/move" else {})

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    # The arena plays several games at once against one server: a listen
    # queue of 5 (the standard library's default) drops connections.
    ThreadingHTTPServer.request_queue_size = 128
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
