package dev.foresight.sim.policy;

import dev.foresight.sim.SimulationConfig;
import dev.foresight.sim.trace.TraceSource;

/**
 * What a policy may be built from: the simulation's parameters and, for the clairvoyant Oracle
 * only, the trace it will face.
 *
 * @param config the simulation's parameters (replica bounds, cold start, engine)
 * @param trace the trace of this run
 */
public record PolicyEnvironment(SimulationConfig config, TraceSource trace) {}
