package dev.foresight.sim.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Policies under test, registered by name. Each run builds a fresh policy from its factory, so no
 * state leaks between runs.
 */
public final class PolicyRegistry {
  private final Map<String, Function<PolicyEnvironment, ScalingPolicy>> factories =
      new LinkedHashMap<>();

  /** The registry with every policy this build has. */
  public static PolicyRegistry standard() {
    PolicyRegistry r = new PolicyRegistry();
    r.register(HpaGpuUtilizationPolicy.NAME, HpaGpuUtilizationPolicy::create);
    r.register(KedaQueuePolicy.NAME, KedaQueuePolicy::create);
    r.register(ForesightPolicy.NAME_REACTIVE, ForesightPolicy::createReactive);
    r.register(ForesightPolicy.NAME_FULL, ForesightPolicy::createFull);
    r.register(OraclePolicy.NAME, OraclePolicy::create);
    r.register(KedaQueuePolicy.NAME_SCALE_TO_ZERO, KedaQueuePolicy::createScaleToZero);
    return r;
  }

  /** Adds or replaces the factory of {@code name}. */
  public PolicyRegistry register(String name, Function<PolicyEnvironment, ScalingPolicy> factory) {
    factories.put(name, factory);
    return this;
  }

  /** Registered names, in registration order. */
  public List<String> names() {
    return List.copyOf(Collections.unmodifiableSet(factories.keySet()));
  }

  /**
   * A new instance of the policy called {@code name}.
   *
   * @throws IllegalArgumentException when no policy has that name, listing the known ones
   */
  public ScalingPolicy create(String name, PolicyEnvironment environment) {
    Function<PolicyEnvironment, ScalingPolicy> f = factories.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "policy '" + name + "': expected one of " + String.join(", ", factories.keySet()));
    }
    return f.apply(environment);
  }
}
