"""Greedy Gomoku bot, one move deep.

CodeClash interface: get_move(board, color) -> (row, col), where board[row][col]
is 0 (empty), 1 (black) or 2 (white) and color is "black" or "white".

In order: complete its own five; block the opponent's five; make an open four
(four with both ends empty: unstoppable); block the opponent's open four in
the making (their open three); else extend its best line, preferring cells near
the centre. Only exactly five wins (six in a row does not), so "five" below
means exactly five.
"""

DIRECTIONS = ((1, 0), (0, 1), (1, 1), (1, -1))


def get_move(board, color):
    size = len(board)
    me = 1 if color == "black" else 2
    them = 3 - me
    empty = [(r, c) for r in range(size) for c in range(size) if board[r][c] == 0]
    if not empty:
        return (0, 0)
    centre = size // 2
    if len(empty) == size * size:
        return (centre, centre)

    for stone in (me, them):
        for cell in empty:
            if any(run == 5 for run, _ in shapes(board, cell, stone)):
                return cell
    for stone in (me, them):
        for cell in empty:
            if any(run == 4 and ends == 2 for run, ends in shapes(board, cell, stone)):
                return cell

    near = [cell for cell in empty if has_neighbour(board, cell)] or empty

    def value(cell):
        attack = sum(weight(run, ends) for run, ends in shapes(board, cell, me))
        defence = sum(weight(run, ends) for run, ends in shapes(board, cell, them))
        distance = abs(cell[0] - centre) + abs(cell[1] - centre)
        return (attack + 0.9 * defence, -distance)

    return max(near, key=value)


def shapes(board, cell, stone):
    """(run, open ends) in each direction if `stone` went on `cell`."""
    size = len(board)
    row, col = cell
    result = []
    for dr, dc in DIRECTIONS:
        run, ends = 1, 0
        for sign in (1, -1):
            r, c = row + sign * dr, col + sign * dc
            while 0 <= r < size and 0 <= c < size and board[r][c] == stone:
                run += 1
                r, c = r + sign * dr, c + sign * dc
            if 0 <= r < size and 0 <= c < size and board[r][c] == 0:
                ends += 1
        result.append((run, ends))
    return result


def weight(run, ends):
    """How much a line of `run` with `ends` open ends is worth (overlines nothing)."""
    if run >= 6 or ends == 0 and run < 5:
        return 0
    return 10 ** min(run, 5) * ends


def has_neighbour(board, cell):
    size = len(board)
    row, col = cell
    for r in range(max(0, row - 1), min(size, row + 2)):
        for c in range(max(0, col - 1), min(size, col + 2)):
            if board[r][c] != 0:
                return True
    return False
