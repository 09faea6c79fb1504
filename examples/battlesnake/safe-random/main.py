"""Safe-random: a Battlesnake that picks a random move among those that do
not hit a wall, its own body or another snake's body (seeded by the game's
id, the turn and the snake, so a game replays the same way).

Standard library only. Speaks the Battlesnake HTTP API on $PORT
(GET /, POST /start, /move, /end), as the official starters do.
"""

import json
import os
import random
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MOVES = {"up": (0, 1), "down": (0, -1), "left": (-1, 0), "right": (1, 0)}


def info():
    return {"apiversion": "1", "author": "arena examples", "color": "#4c9a2a",
            "head": "default", "tail": "default", "version": "1.0"}


def safe_moves(state):
    board, you = state["board"], state["you"]
    head = you["head"]
    # Tails move away this turn (unless the snake just ate), so they are safe.
    blocked = set()
    for snake in board["snakes"]:
        for part in snake["body"][:-1]:
            blocked.add((part["x"], part["y"]))
    safe = []
    for name, (dx, dy) in MOVES.items():
        x, y = head["x"] + dx, head["y"] + dy
        if 0 <= x < board["width"] and 0 <= y < board["height"] and (x, y) not in blocked:
            safe.append(name)
    return safe


def move(state):
    safe = safe_moves(state)
    # Random, but a function of the game, the turn and the snake: the same
    # game plays the same way however many games this process serves.
    rng = random.Random(f"{state['game']['id']}/{state['turn']}/{state['you']['id']}")
    return {"move": rng.choice(safe) if safe else "up"}


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
