package dev.foresight.scaler;

import dev.foresight.scaler.proto.ExternalScalerGrpc;
import dev.foresight.scaler.proto.GetMetricSpecResponse;
import dev.foresight.scaler.proto.GetMetricsRequest;
import dev.foresight.scaler.proto.GetMetricsResponse;
import dev.foresight.scaler.proto.IsActiveResponse;
import dev.foresight.scaler.proto.MetricValue;
import dev.foresight.scaler.proto.ScaledObjectRef;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger.Level;

/**
 * KEDA's {@code externalscaler.ExternalScaler} service, answered from memory.
 *
 * <ul>
 *   <li>{@code GetMetricSpec}: one metric per ScaledObject, named {@code
 *       foresight-<namespace>-<policy>}, target 1.
 *   <li>{@code GetMetrics}: the desired replica count D as the value. KEDA puts the metric into the
 *       HPA as an {@code External} metric of type {@code AverageValue} (its default), and the HPA
 *       computes {@code ceil(value / target) = ceil(D / 1) = D} replicas.
 *   <li>{@code IsActive}, {@code StreamIsActive}: the decision's {@code active} flag.
 *   <li>{@code StreamMetricSpec}: the same spec as {@code GetMetricSpec}, pushed when it changes.
 * </ul>
 *
 * <p>Errors are typed and never leak as {@code UNKNOWN}: invalid metadata is {@code
 * INVALID_ARGUMENT} (every problem in one message), an unknown policy or metric is {@code
 * NOT_FOUND}, no decision yet is {@code UNAVAILABLE} for {@code GetMetrics} (the HPA then holds the
 * current count) and anything unexpected is {@code INTERNAL}. See {@link Answer} for the safe
 * answers.
 */
final class ForesightScalerService extends ExternalScalerGrpc.ExternalScalerImplBase {

  private static final System.Logger LOG = System.getLogger(ForesightScalerService.class.getName());

  private final ScalerCore core;
  private final StreamHub streams;
  private final ScalerMetrics metrics;

  ForesightScalerService(ScalerCore core, StreamHub streams, ScalerMetrics metrics) {
    this.core = core;
    this.streams = streams;
    this.metrics = metrics;
  }

  @Override
  public void isActive(ScaledObjectRef request, StreamObserver<IsActiveResponse> out) {
    try {
      Subject subject = core.resolve(request);
      Answer answer = core.answer(subject);
      IsActiveResponse response = IsActiveResponse.newBuilder().setResult(answer.active()).build();
      // Counted before the reply leaves, so that a caller that saw the reply sees the count.
      count("IsActive", answer);
      out.onNext(response);
      out.onCompleted();
    } catch (RuntimeException e) {
      fail("IsActive", out, e);
    }
  }

  @Override
  public void getMetricSpec(ScaledObjectRef request, StreamObserver<GetMetricSpecResponse> out) {
    try {
      GetMetricSpecResponse response = core.metricSpec(core.resolve(request));
      metrics.requests.labelValues("GetMetricSpec", "ok").inc();
      out.onNext(response);
      out.onCompleted();
    } catch (RuntimeException e) {
      fail("GetMetricSpec", out, e);
    }
  }

  @Override
  public void getMetrics(GetMetricsRequest request, StreamObserver<GetMetricsResponse> out) {
    try {
      Subject subject = core.resolve(request.getScaledObjectRef());
      String asked = request.getMetricName();
      if (!asked.isEmpty() && !asked.equals(subject.metricName())) {
        throw new UnknownMetricException(asked, subject.metricName());
      }
      Answer answer = core.answer(subject);
      if (answer.desiredReplicas().isEmpty()) {
        metrics.requests.labelValues("GetMetrics", "no_decision").inc();
        out.onError(
            Status.UNAVAILABLE
                .withDescription(
                    "no Foresight decision yet for "
                        + subject.workload()
                        + "; the HPA keeps the current replica count until there is one")
                .asRuntimeException());
        return;
      }
      int desired = answer.desiredReplicas().get();
      count("GetMetrics", answer);
      out.onNext(
          GetMetricsResponse.newBuilder()
              .addMetricValues(
                  MetricValue.newBuilder()
                      .setMetricName(subject.metricName())
                      .setMetricValue(desired)
                      .setMetricValueFloat(desired))
              .build());
      out.onCompleted();
    } catch (RuntimeException e) {
      fail("GetMetrics", out, e);
    }
  }

  @Override
  public void streamIsActive(ScaledObjectRef request, StreamObserver<IsActiveResponse> out) {
    try {
      Subject subject = core.resolve(request);
      metrics.requests.labelValues(StreamHub.STREAM_IS_ACTIVE, "ok").inc();
      streams.open(
          StreamHub.STREAM_IS_ACTIVE,
          subject,
          (ServerCallStreamObserver<IsActiveResponse>) out,
          core::activity);
    } catch (RuntimeException e) {
      fail(StreamHub.STREAM_IS_ACTIVE, out, e);
    }
  }

  @Override
  public void streamMetricSpec(ScaledObjectRef request, StreamObserver<GetMetricSpecResponse> out) {
    try {
      Subject subject = core.resolve(request);
      metrics.requests.labelValues(StreamHub.STREAM_METRIC_SPEC, "ok").inc();
      streams.open(
          StreamHub.STREAM_METRIC_SPEC,
          subject,
          (ServerCallStreamObserver<GetMetricSpecResponse>) out,
          core::metricSpec);
    } catch (RuntimeException e) {
      fail(StreamHub.STREAM_METRIC_SPEC, out, e);
    }
  }

  private void count(String rpc, Answer answer) {
    String outcome =
        switch (answer.freshness()) {
          case FRESH -> "ok";
          case STALE -> "stale";
          case NONE -> "no_decision";
        };
    metrics.requests.labelValues(rpc, outcome).inc();
  }

  private void fail(String rpc, StreamObserver<?> out, RuntimeException e) {
    Status status;
    String outcome;
    if (e instanceof InvalidMetadataException) {
      status = Status.INVALID_ARGUMENT.withDescription(e.getMessage());
      outcome = "invalid_argument";
    } else if (e instanceof UnknownWorkloadException || e instanceof UnknownMetricException) {
      status = Status.NOT_FOUND.withDescription(e.getMessage());
      outcome = "not_found";
    } else {
      LOG.log(Level.ERROR, rpc + " failed unexpectedly", e);
      status = Status.INTERNAL.withDescription(rpc + " failed: " + e).withCause(e);
      outcome = "internal";
    }
    metrics.requests.labelValues(rpc, outcome).inc();
    try {
      out.onError(status.asRuntimeException());
    } catch (RuntimeException alreadyClosed) {
      LOG.log(Level.DEBUG, "could not report failure of " + rpc, alreadyClosed);
    }
  }
}
