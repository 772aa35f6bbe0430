package dev.foresight.policy.forecast;

import java.util.Objects;

/**
 * Forecasts of the three load series at one horizon; each series chooses its own model.
 *
 * @param requests requests per second
 * @param promptTokens prompt tokens per second
 * @param generationTokens generated tokens per second
 */
public record LoadForecast(Forecast requests, Forecast promptTokens, Forecast generationTokens) {

  public LoadForecast {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(promptTokens, "promptTokens");
    Objects.requireNonNull(generationTokens, "generationTokens");
  }
}
