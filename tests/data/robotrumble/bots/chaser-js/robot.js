// examples/robotrumble/chaser/robot.py in JavaScript, decision for decision
// (ties broken by the id as a string, as Python's min over (key, id) does),
// to check that the JavaScript adapter plays the same games as the Python one.

function byKey(items, key) {
  let best = null
  let bestKey = null
  for (const item of items) {
    const k = key(item)
    if (best === null || k[0] < bestKey[0] || (k[0] === bestKey[0] && k[1] < bestKey[1])) {
      best = item
      bestKey = k
    }
  }
  return best
}

function robot(state, unit) {
  const enemies = state.objsByTeam(state.otherTeam)
  if (enemies.length === 0) return null
  const here = unit.coords
  const adjacent = enemies.filter(e => here.walkingDistanceTo(e.coords) === 1)
  if (adjacent.length > 0) {
    const target = byKey(adjacent, e => [e.health, e.id])
    return Action.attack(here.directionTo(target.coords))
  }
  const nearest = byKey(enemies, e => [here.walkingDistanceTo(e.coords), e.id])
  return Action.move(here.directionTo(nearest.coords))
}
