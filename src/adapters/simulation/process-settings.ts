/**
 * What sets one simulated process apart, bound in its own (child) container
 * under these tokens; the simulation's adapter classes are bound once, in the
 * network's parent container, and read them from there.
 */

/** The seed every random choice of the run follows from. */
export const SimulationSeed = Symbol('SimulationSeed');

/** The machine (IP address) the process runs on. */
export const SimulatedHost = Symbol('SimulatedHost');

/** The name of the process's key: the same name is the same identity. */
export const SimulatedKeyName = Symbol('SimulatedKeyName');

/** `name#incarnation`: each process of a node draws its own random numbers. */
export const SimulatedProcessName = Symbol('SimulatedProcessName');
