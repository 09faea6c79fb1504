"""Random Gomoku bot: a uniformly random empty cell.

CodeClash interface: get_move(board, color) -> (row, col), where board[row][col]
is 0 (empty), 1 (black) or 2 (white) and color is "black" or "white".
"""

import random


def get_move(board, color):
    empty = [
        (row, col)
        for row, cells in enumerate(board)
        for col, value in enumerate(cells)
        if value == 0
    ]
    return random.choice(empty) if empty else (0, 0)
