package dev.foresight.controller.prometheus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed result of the Prometheus HTTP API ({@code data.resultType} and {@code data.result}).
 * Sample values keep Prometheus's special values: {@code NaN}, {@code +Inf} and {@code -Inf} become
 * {@link Double#NaN} and the infinities; deciding what they mean is {@link SampleRules}'s job.
 */
public sealed interface QueryResult
    permits QueryResult.Vector, QueryResult.Matrix, QueryResult.Scalar, QueryResult.Text {

  /** One sample of one series. */
  record Sample(Map<String, String> labels, Instant at, double value) {
    public Sample {
      labels = Map.copyOf(labels);
      Objects.requireNonNull(at, "at");
    }
  }

  /** One point of a range series. */
  record Point(Instant at, double value) {
    public Point {
      Objects.requireNonNull(at, "at");
    }
  }

  /** A range series. */
  record Series(Map<String, String> labels, List<Point> points) {
    public Series {
      labels = Map.copyOf(labels);
      points = List.copyOf(points);
    }
  }

  /** {@code resultType: vector}: one sample per series at the evaluation instant. */
  record Vector(List<Sample> samples) implements QueryResult {
    public Vector {
      samples = List.copyOf(samples);
    }
  }

  /** {@code resultType: matrix}: points per series over a range. */
  record Matrix(List<Series> series) implements QueryResult {
    public Matrix {
      series = List.copyOf(series);
    }
  }

  /** {@code resultType: scalar}. */
  record Scalar(Instant at, double value) implements QueryResult {
    public Scalar {
      Objects.requireNonNull(at, "at");
    }
  }

  /** {@code resultType: string}. */
  record Text(Instant at, String value) implements QueryResult {
    public Text {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(value, "value");
    }
  }
}
