#!/usr/bin/env node
// Runs a RobotRumble JavaScript bot (`robot.js` defining `robot(state, unit)`
// and optionally `initTurn(state)`) behind the arena's JSON-lines protocol,
// the same protocol and answers as adapter.py (see there). Node's standard
// library only.
//
// The API is RobotRumble's JavaScript API as its documentation and runner
// behave: `State` (turn, ourTeam, otherTeam, objById, idsByTeam, objsByTeam,
// idByCoords, objByCoords), `Obj`, `Coords` (add, sub, mul, distanceTo,
// walkingDistanceTo, directionTo, isSpawn, isHill), `Direction`, `Action`,
// `ActionType`, `Team`, `ObjType`, `MAP_SIZE`, `SPAWN_COORDS`,
// `HILL_COORDS`, `debug` and `console.log` (the turn's logs), as globals of
// the script. `robot` must return an Action or `null` (`undefined` is an
// error, as in RobotRumble). Not provided: lodash as `_`, which
// RobotRumble's QuickJS runner preloads.
'use strict'

const fs = require('fs')
const path = require('path')
const readline = require('readline')
const vm = require('vm')

const ROBOT_FILE = '<robot>'
const MESSAGE_LIMIT = 4000

// The protocol owns fd 1. The bot's script runs in a context of its own
// without `process` or `require`; its `console.log` is the turn's logs, and
// at load time goes to stderr.
const PROTOCOL_OUT = 1

function clip(text) {
  return text.length <= MESSAGE_LIMIT ? text : text.slice(0, MESSAGE_LIMIT) + '...'
}

const API = `
function checkInstance(val, cls, funcName) {
  if (!(val instanceof cls)) {
    throw new TypeError(funcName + ' argument must be an instance of ' + cls.name)
  }
}
function checkType(val, type, funcName) {
  if (typeof val !== type) {
    throw new TypeError(funcName + ' argument must be of type ' + type)
  }
}
class Enum {
  static close(names) {
    this.enumValues = names.map((name, i) => {
      const v = new this()
      v.enumKey = name
      v.ordinal = i
      this[name] = v
      return v
    })
  }
  static valueOf(str) {
    checkType(str, 'string', 'Enum.valueOf')
    return this.enumValues.find(v => v.enumKey === str)
  }
  toString() { return this.constructor.name + '.' + this.enumKey }
  toJSON() { return this.enumKey }
}
const DELTAS = { North: [0, -1], South: [0, 1], East: [1, 0], West: [-1, 0] }
const OPPOSITE = { North: 'South', South: 'North', East: 'West', West: 'East' }
const CLOCKWISE = { North: 'East', East: 'South', South: 'West', West: 'North' }
const ANTICLOCKWISE = { North: 'West', West: 'South', South: 'East', East: 'North' }
class Direction extends Enum {
  get opposite() { return Direction[OPPOSITE[this.enumKey]] }
  get toCoords() { return new Coords(...DELTAS[this.enumKey]) }
  get rotateCw() { return Direction[CLOCKWISE[this.enumKey]] }
  get rotateCcw() { return Direction[ANTICLOCKWISE[this.enumKey]] }
}
Direction.close(['East', 'West', 'South', 'North'])
class Coords {
  constructor(x, y) {
    checkType(x, 'number', 'Coords constructor')
    checkType(y, 'number', 'Coords constructor')
    this.x = x
    this.y = y
  }
  isSpawn() { return SPAWN_NAMES.has(this.toString()) }
  isHill() { return HILL_NAMES.has(this.toString()) }
  toString() { return '(' + this.x + ', ' + this.y + ')' }
  distanceTo(other) {
    checkInstance(other, Coords, 'Coords.distanceTo')
    return Math.sqrt((other.x - this.x) ** 2 + (other.y - this.y) ** 2)
  }
  walkingDistanceTo(other) {
    checkInstance(other, Coords, 'Coords.walkingDistanceTo')
    return Math.abs(other.x - this.x) + Math.abs(other.y - this.y)
  }
  directionTo(other) {
    checkInstance(other, Coords, 'Coords.directionTo')
    const d = this.sub(other)
    const angle = Math.atan2(d.y, d.x)
    const q = Math.PI / 4
    if (Math.abs(angle) <= q) return Direction.West
    if (Math.abs(angle + Math.PI / 2) <= q) return Direction.South
    if (Math.abs(angle - Math.PI / 2) <= q) return Direction.North
    return Direction.East
  }
  add(other) {
    if (other instanceof Coords) return new Coords(this.x + other.x, this.y + other.y)
    if (other instanceof Direction) return new Coords(this.x + other.toCoords.x, this.y + other.toCoords.y)
    throw new TypeError('Coords.add argument must be an instance of Coords or Direction')
  }
  sub(other) {
    if (other instanceof Coords) return new Coords(this.x - other.x, this.y - other.y)
    if (other instanceof Direction) return new Coords(this.x - other.toCoords.x, this.y - other.toCoords.y)
    throw new TypeError('Coords.sub argument must be an instance of Coords or Direction')
  }
  mul(n) {
    checkType(n, 'number', 'Coords.mul')
    return new Coords(this.x * n, this.y * n)
  }
}
const MAP_SIZE = 19
const SPAWN_COORDS = new Set()
for (let x = 0; x < MAP_SIZE; x++) {
  for (let y = 0; y < MAP_SIZE; y++) {
    const wall = (a, b) => (9 - a) ** 2 + (9 - b) ** 2 >= 81
    if (!wall(x, y) && (wall(x + 1, y) || wall(x - 1, y) || wall(x, y + 1) || wall(x, y - 1))) {
      SPAWN_COORDS.add(new Coords(x, y))
    }
  }
}
const SPAWN_NAMES = new Set([...SPAWN_COORDS].map(c => c.toString()))
const HILL_COORDS = new Set()
for (const x of [8, 9, 10]) for (const y of [8, 9, 10]) HILL_COORDS.add(new Coords(x, y))
const HILL_NAMES = new Set([...HILL_COORDS].map(c => c.toString()))
class Team extends Enum {
  get opposite() { return this === Team.Red ? Team.Blue : Team.Red }
}
Team.close(['Red', 'Blue'])
class ObjType extends Enum {}
ObjType.close(['Unit', 'Terrain'])
class Obj {
  constructor(obj) {
    checkType(obj, 'object', 'Obj constructor')
    this.__data = obj
  }
  toString() {
    if (this.objType === ObjType.Unit) {
      return '<' + this.objType + ' id=' + this.id + ' coords=' + this.coords + ' ' + this.team + ' health=' + this.health + '>'
    }
    return '<' + this.objType + ' id=' + this.id + ' coords=' + this.coords + '>'
  }
  get coords() { return new Coords(...this.__data.coords) }
  get id() { return this.__data.id }
  get objType() { return ObjType.valueOf(this.__data.obj_type) }
  get team() { if (this.objType === ObjType.Unit) return Team.valueOf(this.__data.team) }
  get health() { if (this.objType === ObjType.Unit) return this.__data.health }
}
class State {
  constructor(state) {
    checkType(state, 'object', 'State constructor')
    this.__data = state
  }
  get turn() { return this.__data.turn }
  get ourTeam() { return Team.valueOf(this.__data.team) }
  get otherTeam() { return this.ourTeam.opposite }
  objById(id) {
    checkType(id, 'string', 'State.objById')
    const obj = this.__data.objs[id]
    if (obj) return new Obj(obj)
  }
  idsByTeam(team) {
    checkInstance(team, Team, 'State.idsByTeam')
    return this.__data.teams[team.enumKey]
  }
  objsByTeam(team) {
    checkInstance(team, Team, 'State.objsByTeam')
    return this.idsByTeam(team).map(id => this.objById(id))
  }
  idByCoords(coords) {
    checkInstance(coords, Coords, 'State.idByCoords')
    const row = this.__data.grid[coords.y]
    const id = row === undefined ? undefined : row[coords.x]
    return id === null ? undefined : id
  }
  objByCoords(coords) {
    checkInstance(coords, Coords, 'State.objByCoords')
    const id = this.idByCoords(coords)
    if (id) return this.objById(id)
  }
}
class ActionType extends Enum {}
ActionType.close(['Attack', 'Move', 'Heal'])
class Action {
  constructor(type, direction) {
    checkInstance(type, ActionType, 'Action constructor')
    checkInstance(direction, Direction, 'Action constructor')
    this.type = type
    this.direction = direction
  }
  toString() { return '<' + this.type + ' ' + this.direction + '>' }
  static move(d) { checkInstance(d, Direction, 'Action.move'); return new Action(ActionType.Move, d) }
  static attack(d) { checkInstance(d, Direction, 'Action.attack'); return new Action(ActionType.Attack, d) }
  static heal(d) { checkInstance(d, Direction, 'Action.heal'); return new Action(ActionType.Heal, d) }
}
class Debug {
  constructor(table, located) { this.__table = table; this.__located = located }
  inspect(key, val) { checkType(key, 'string', 'Debug.inspect "key"'); this.__table[key] = String(val) }
  locate(unit) { checkInstance(unit, Obj, 'Debug.locate'); this.__located.push(unit.id) }
}
globalThis.__api = { State, Action, Debug }
`

function formatError(err, initError) {
  let line = null
  const stack = err && typeof err.stack === 'string' ? err.stack : null
  if (stack) {
    const m = stack.match(/<robot>:(\d+)/)
    if (m) line = Number(m[1])
  }
  const e = {
    summary: clip(String(err)),
    details: stack === null ? null : clip(stack),
    loc: line === null ? null : { start: [line, null], end: null },
  }
  return { Err: initError ? { InitError: e } : e }
}

function loadRobot(folder) {
  const context = vm.createContext({
    console: { log: (...args) => process.stderr.write(args.join(' ') + '\n') },
  })
  vm.runInContext(API, context, { filename: 'rumblelib.js' })
  try {
    const source = fs.readFileSync(path.join(folder, 'robot.js'), 'utf8')
    vm.runInContext(source, context, { filename: ROBOT_FILE })
  } catch (err) {
    return { context: null, failure: formatError(err, true) }
  }
  return { context, failure: null }
}

function checkFunction(name, f, argcount, mandatory) {
  if (typeof f !== 'function') {
    if (mandatory) throw new TypeError(`You must define a '${name}' function`)
  } else if (f.length !== argcount) {
    throw new TypeError(`Your ${name} function must accept ${argcount} arguments`)
  }
}

function playTurn(context, data) {
  const g = context
  const { State, Action, Debug } = g.__api
  const logs = []
  g.console = { log: (...args) => logs.push(args.join(' ') + '\n') }
  const state = new State(data)
  try {
    checkFunction('robot', g.robot, 2, true)
    checkFunction('initTurn', g.initTurn, 1, false)
    if (typeof g.initTurn === 'function') g.initTurn(state)
  } catch (err) {
    return formatError(err, true)
  }
  const actions = {}
  const tables = {}
  const located = []
  for (const id of state.idsByTeam(state.ourTeam)) {
    const table = {}
    g.debug = new Debug(table, located)
    let result
    try {
      const out = g.robot(state, state.objById(id))
      if (out instanceof Action) {
        result = { Ok: { type: out.type.enumKey, direction: out.direction.enumKey } }
      } else if (out === null) {
        result = { Ok: null }
      } else {
        throw new TypeError('Robot must return an Action or null')
      }
    } catch (err) {
      result = formatError(err, false)
    }
    actions[id] = result
    if (Object.keys(table).length) tables[id] = table
  }
  return {
    Ok: {
      robot_actions: actions,
      logs: logs.map(clip),
      debug_inspect_tables: tables,
      debug_locate_queries: located,
    },
  }
}

function main() {
  const folder = __dirname
  const { context, failure } = loadRobot(folder)
  const rl = readline.createInterface({ input: process.stdin })
  rl.on('line', line => {
    if (!line.trim()) return
    let reply
    try {
      const request = JSON.parse(line)
      if (request === null || typeof request !== 'object' || request.type !== 'move') {
        reply = {}
      } else if (failure) {
        reply = failure
      } else {
        reply = playTurn(context, request)
      }
    } catch (err) {
      reply = formatError(err, true)
    }
    fs.writeSync(PROTOCOL_OUT, JSON.stringify(reply) + '\n')
  })
}

main()
