package dev.foresight.sim.trace;

import dev.foresight.sim.Request;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.WeibullDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * Arrivals generated from ServeGen's per-client rate tables ({@code servegen_client_rates.csv.gz}:
 * per client and 600-s window, the mean rate and a Gamma or Weibull fit of the inter-arrival
 * times), with token lengths drawn from the Azure conversation trace.
 *
 * <p>Generation, per client and window {@code w} with rate {@code r_w > 0}: inter-arrival times are
 * drawn from the window's fitted distribution {@code D_w} and rescaled to the window's rate,
 *
 * <pre>
 *   iat = X / E[D_w] · 1 / (f · r_w),   X ~ D_w,   f = targetMeanRate / meanRate
 * </pre>
 *
 * so the shape (burstiness, coefficient of variation) of each fit is kept while the mean rate of
 * the whole model is {@code targetMeanRate} requests/s ({@code meanRate} = all requests of the
 * model's table / its span). A client's first arrival in a window is one draw after the window
 * starts; an arrival past the window's end moves the client to its next window with a non-zero
 * rate. Clients' arrivals are merged with a min-heap keyed by next arrival time (ties by client
 * index), so requests stream out in time order and nothing but the rate table is held in memory.
 */
public final class ServeGenTrace implements TraceSource {
  /** File name of the per-client rate table inside the traces directory. */
  public static final String FILE = "servegen_client_rates.csv.gz";

  /** Window length of the table, seconds. */
  public static final double WINDOW_SECONDS = 600;

  static final String HEADER =
      "category,model,client_id,window_start_s,rate_rps,iat_cv,iat_dist,iat_shape,iat_scale";

  private static final byte NONE = 0;
  private static final byte GAMMA = 1;
  private static final byte WEIBULL = 2;

  private final String name;
  private final String model;
  private final int windows;
  private final double meanRate;
  private final double targetRate;
  private final Client[] clients;
  private final TokenLengths lengths;

  /** One client's table: per window its rate (requests/s) and fit. */
  private record Client(int id, double[] rate, byte[] dist, double[] shape, double[] scale) {}

  private ServeGenTrace(
      String model, int windows, double meanRate, double targetRate, Client[] clients) {
    this.name = "servegen-" + model;
    this.model = model;
    this.windows = windows;
    this.meanRate = meanRate;
    this.targetRate = targetRate;
    this.clients = clients;
    this.lengths = TokenLengths.azureConversation();
  }

  /**
   * Reads the table of {@code model} (for example {@code m-large}) from {@code tracesDir}.
   *
   * @param targetMeanRate mean request rate of the generated arrivals, requests/s
   * @throws TraceException when the file is missing or a row is malformed, naming file and line
   */
  public static ServeGenTrace load(Path tracesDir, String model, double targetMeanRate) {
    if (!(targetMeanRate > 0) || Double.isInfinite(targetMeanRate)) {
      throw new IllegalArgumentException(
          "targetMeanRate=" + targetMeanRate + ": expected a positive number of requests/s");
    }
    Path file = tracesDir.resolve(FILE);
    String fileName = file.toString();
    Map<Integer, List<double[]>> rows = new LinkedHashMap<>();
    TreeSet<String> models = new TreeSet<>();
    int maxWindow = -1;
    try (InputStream raw = Files.newInputStream(file);
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(new GZIPInputStream(raw, 1 << 16), StandardCharsets.UTF_8),
                1 << 16)) {
      String header = in.readLine();
      if (header == null || !header.trim().equals(HEADER)) {
        throw TraceException.malformed(
            fileName, 1, "header '" + header + "': expected '" + HEADER + "'");
      }
      String text;
      long line = 1;
      while ((text = in.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        String[] f = text.split(",", -1);
        if (f.length != 9) {
          throw TraceException.malformed(
              fileName, line, "row has " + f.length + " fields: expected 9 (" + HEADER + ")");
        }
        models.add(f[1]);
        if (!f[1].equals(model)) {
          continue;
        }
        int client = integer(f[2], "client_id", fileName, line);
        double start = number(f[3], "window_start_s", fileName, line);
        if (start < 0 || start % WINDOW_SECONDS != 0) {
          throw TraceException.malformed(
              fileName,
              line,
              "window_start_s '" + f[3] + "': expected a multiple of 600 s, 0 or more");
        }
        double rate = number(f[4], "rate_rps", fileName, line);
        if (rate < 0) {
          throw TraceException.malformed(
              fileName, line, "rate_rps '" + f[4] + "': expected 0 or more requests/s");
        }
        byte dist =
            switch (f[6]) {
              case "" -> NONE;
              case "Gamma" -> GAMMA;
              case "Weibull" -> WEIBULL;
              default ->
                  throw TraceException.malformed(
                      fileName, line, "iat_dist '" + f[6] + "': expected Gamma, Weibull or empty");
            };
        double shape = number(f[7], "iat_shape", fileName, line);
        double scale = number(f[8], "iat_scale", fileName, line);
        if (rate > 0 && (dist == NONE || !(shape > 0) || !(scale > 0))) {
          throw TraceException.malformed(
              fileName,
              line,
              "rate_rps "
                  + f[4]
                  + " needs a fitted distribution: expected iat_dist Gamma or Weibull with"
                  + " positive iat_shape and iat_scale, got '"
                  + f[6]
                  + "', "
                  + f[7]
                  + ", "
                  + f[8]);
        }
        int window = (int) (start / WINDOW_SECONDS);
        maxWindow = Math.max(maxWindow, window);
        rows.computeIfAbsent(client, k -> new ArrayList<>())
            .add(new double[] {window, rate, dist, shape, scale});
      }
    } catch (NoSuchFileException e) {
      throw TraceException.unreadable(fileName, "file not found", e);
    } catch (IOException e) {
      throw TraceException.unreadable(fileName, "cannot be read: " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      throw TraceException.unreadable(
          fileName, "no rows for model '" + model + "': expected one of " + models, null);
    }
    int windows = maxWindow + 1;
    double totalRequests = 0;
    Client[] clients = new Client[rows.size()];
    int i = 0;
    for (Map.Entry<Integer, List<double[]>> e : rows.entrySet()) {
      double[] rate = new double[windows];
      byte[] dist = new byte[windows];
      double[] shape = new double[windows];
      double[] scale = new double[windows];
      for (double[] r : e.getValue()) {
        int w = (int) r[0];
        rate[w] = r[1];
        dist[w] = (byte) r[2];
        shape[w] = r[3];
        scale[w] = r[4];
        totalRequests += r[1] * WINDOW_SECONDS;
      }
      clients[i++] = new Client(e.getKey(), rate, dist, shape, scale);
    }
    double meanRate = totalRequests / (windows * WINDOW_SECONDS);
    if (!(meanRate > 0)) {
      throw TraceException.unreadable(
          fileName, "model '" + model + "' has no requests in any window", null);
    }
    return new ServeGenTrace(model, windows, meanRate, targetMeanRate, clients);
  }

  private static double number(String text, String column, String file, long line) {
    try {
      double v = Double.parseDouble(text);
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw TraceException.malformed(
          file, line, column + " '" + text + "': expected a finite number");
    }
  }

  private static int integer(String text, String column, String file, long line) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw TraceException.malformed(file, line, column + " '" + text + "': expected an integer");
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The ServeGen model whose clients are replayed. */
  public String model() {
    return model;
  }

  @Override
  public double durationSeconds() {
    return windows * WINDOW_SECONDS;
  }

  /** Mean request rate of the table as recorded, requests/s. */
  public double recordedMeanRate() {
    return meanRate;
  }

  /** Mean request rate the arrivals are rescaled to, requests/s. */
  public double targetMeanRate() {
    return targetRate;
  }

  /** Recorded rate of the whole model in window {@code w}, rescaled, requests/s. */
  public double scaledWindowRate(int w) {
    double sum = 0;
    for (Client c : clients) {
      sum += c.rate[w];
    }
    return sum * targetRate / meanRate;
  }

  /** Number of clients in the table. */
  public int clients() {
    return clients.length;
  }

  @Override
  public ArrivalStream open(long seed) {
    return new Generator(seed);
  }

  private final class Generator implements ArrivalStream {
    private final RandomGenerator random;
    private final ClientState[] heap;
    private int size;
    private final double factor = targetRate / meanRate;

    Generator(long seed) {
      random = new Well19937c(seed);
      heap = new ClientState[clients.length];
      for (int i = 0; i < clients.length; i++) {
        ClientState s = new ClientState(i, clients[i]);
        if (s.enterWindow(0, random, factor)) {
          push(s);
        }
      }
    }

    @Override
    public Request next() {
      if (size == 0) {
        return null;
      }
      ClientState s = heap[0];
      double t = s.next;
      if (s.advance(random, factor)) {
        siftDown(0);
      } else {
        heap[0] = heap[--size];
        heap[size] = null;
        if (size > 0) {
          siftDown(0);
        }
      }
      int row = lengths.draw(random);
      return new Request(t, lengths.prompt(row), lengths.output(row));
    }

    private void push(ClientState s) {
      int i = size++;
      heap[i] = s;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!heap[i].before(heap[parent])) {
          break;
        }
        swap(i, parent);
        i = parent;
      }
    }

    private void siftDown(int i) {
      while (true) {
        int l = 2 * i + 1;
        if (l >= size) {
          return;
        }
        int smallest = l;
        int r = l + 1;
        if (r < size && heap[r].before(heap[l])) {
          smallest = r;
        }
        if (!heap[smallest].before(heap[i])) {
          return;
        }
        swap(i, smallest);
        i = smallest;
      }
    }

    private void swap(int a, int b) {
      ClientState tmp = heap[a];
      heap[a] = heap[b];
      heap[b] = tmp;
    }
  }

  /** Where one client's arrivals are: its current window, fit and next arrival time. */
  private final class ClientState {
    final int index;
    final Client client;
    int window;
    double windowEnd;
    double meanIat;
    double distMean;
    RealDistribution dist;
    double next;

    ClientState(int index, Client client) {
      this.index = index;
      this.client = client;
    }

    boolean before(ClientState other) {
      return next < other.next || (next == other.next && index < other.index);
    }

    /** Moves to the first window at or after {@code from} with a non-zero rate. */
    boolean enterWindow(int from, RandomGenerator random, double factor) {
      for (int w = from; w < windows; w++) {
        double rate = client.rate[w];
        if (rate <= 0) {
          continue;
        }
        window = w;
        double start = w * WINDOW_SECONDS;
        windowEnd = start + WINDOW_SECONDS;
        double shape = client.shape[w];
        double scale = client.scale[w];
        if (client.dist[w] == GAMMA) {
          dist = new GammaDistribution(random, shape, scale);
        } else {
          dist = new WeibullDistribution(random, shape, scale);
        }
        distMean = dist.getNumericalMean();
        meanIat = 1.0 / (rate * factor);
        double t = start + draw();
        if (t < windowEnd) {
          next = t;
          return true;
        }
      }
      return false;
    }

    /** Draws the client's next arrival; false when the client has no more. */
    boolean advance(RandomGenerator random, double factor) {
      double t = next + draw();
      if (t < windowEnd) {
        next = t;
        return true;
      }
      return enterWindow(window + 1, random, factor);
    }

    private double draw() {
      double x = dist.sample();
      return distMean > 0 && Double.isFinite(distMean) ? x / distMean * meanIat : meanIat;
    }
  }
}
