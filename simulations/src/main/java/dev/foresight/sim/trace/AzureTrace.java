package dev.foresight.sim.trace;

import dev.foresight.sim.Request;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.function.IntConsumer;

/**
 * A per-request trace in the format of the Azure LLM inference traces 2023 ({@code
 * TIMESTAMP,ContextTokens,GeneratedTokens}, one request per row, rows in time order). Arrival times
 * are replayed as recorded, relative to the first row; the seed is not used.
 *
 * <p>The two Azure 2023 files (conversation and code, CC-BY 4.0, from the Splitwise paper, ISCA
 * 2024) are embedded as {@link #CONVERSATION} and {@link #CODE}; any file of the same format can be
 * replayed with {@link #file(Path)}. The file is read once at construction to validate it and to
 * learn its span, and streamed again on every {@link #open(long)}.
 */
public final class AzureTrace implements TraceSource {
  /** Embedded conversation trace, 19,366 requests over 58 minutes. */
  public static final String CONVERSATION = "azure-conv";

  /** Embedded code trace, 8,819 requests over 57 minutes. */
  public static final String CODE = "azure-code";

  static final String HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens";

  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .toFormatter();

  private final String name;
  private final String fileName;
  private final Opener opener;
  private final double durationSeconds;
  private final int rows;

  @FunctionalInterface
  interface Opener {
    InputStream open() throws IOException;
  }

  private AzureTrace(String name, String fileName, Opener opener) {
    this.name = name;
    this.fileName = fileName;
    this.opener = opener;
    double[] last = {0};
    int[] count = {0};
    try (Reader reader = new Reader()) {
      Request r;
      while ((r = reader.next()) != null) {
        last[0] = r.arrivalSeconds();
        count[0]++;
      }
    }
    if (count[0] == 0) {
      throw TraceException.malformed(fileName, 1, "no request rows after the header");
    }
    this.durationSeconds = last[0];
    this.rows = count[0];
  }

  /** One of the embedded traces, {@link #CONVERSATION} or {@link #CODE}. */
  public static AzureTrace embedded(String name) {
    String resource =
        switch (name) {
          case CONVERSATION -> "AzureLLMInferenceTrace_conv.csv";
          case CODE -> "AzureLLMInferenceTrace_code.csv";
          default ->
              throw new IllegalArgumentException(
                  "embedded trace '" + name + "': expected " + CONVERSATION + " or " + CODE);
        };
    String path = "/traces/" + resource;
    return new AzureTrace(
        name,
        "classpath:" + path,
        () -> {
          InputStream in = AzureTrace.class.getResourceAsStream(path);
          if (in == null) {
            throw new NoSuchFileException(path);
          }
          return in;
        });
  }

  /** A trace file of the Azure 2023 format; its name is the file name without extension. */
  public static AzureTrace file(Path path) {
    String base = path.getFileName().toString();
    int dot = base.lastIndexOf('.');
    return new AzureTrace(
        dot > 0 ? base.substring(0, dot) : base, path.toString(), () -> Files.newInputStream(path));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public double durationSeconds() {
    return durationSeconds;
  }

  /** Number of requests in the trace. */
  public int rows() {
    return rows;
  }

  @Override
  public ArrivalStream open(long seed) {
    return new Reader();
  }

  /** Calls {@code prompt} and then {@code output} with the token counts of every row. */
  void forEachLength(IntConsumer prompt, IntConsumer output) {
    try (Reader reader = new Reader()) {
      Request r;
      while ((r = reader.next()) != null) {
        prompt.accept(r.promptTokens());
        output.accept(r.outputTokens());
      }
    }
  }

  private final class Reader implements ArrivalStream {
    private final BufferedReader in;
    private long line = 1;
    private long originEpochNanos = Long.MIN_VALUE;
    private double previous = 0;

    Reader() {
      try {
        in = new BufferedReader(new InputStreamReader(opener.open(), StandardCharsets.UTF_8));
        String header = in.readLine();
        if (header == null) {
          throw TraceException.malformed(fileName, 1, "empty file: expected header " + HEADER);
        }
        if (header.startsWith("\uFEFF")) {
          header = header.substring(1);
        }
        if (!header.trim().equals(HEADER)) {
          throw TraceException.malformed(
              fileName, 1, "header '" + header + "': expected '" + HEADER + "'");
        }
      } catch (NoSuchFileException e) {
        throw TraceException.unreadable(fileName, "file not found", e);
      } catch (IOException e) {
        throw TraceException.unreadable(fileName, "cannot be read: " + e.getMessage(), e);
      }
    }

    @Override
    public Request next() {
      String text;
      try {
        do {
          text = in.readLine();
          line++;
        } while (text != null && text.isBlank());
      } catch (IOException e) {
        throw new UncheckedIOException(fileName + ":" + line + ": read failed", e);
      }
      if (text == null) {
        return null;
      }
      String[] fields = text.split(",", -1);
      if (fields.length != 3) {
        throw TraceException.malformed(
            fileName,
            line,
            "'" + text + "' has " + fields.length + " fields: expected 3 (" + HEADER + ")");
      }
      long epochNanos;
      try {
        LocalDateTime at = LocalDateTime.parse(fields[0].trim(), TIMESTAMP);
        epochNanos = at.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + at.getNano();
      } catch (DateTimeParseException e) {
        throw TraceException.malformed(
            fileName,
            line,
            "TIMESTAMP '" + fields[0] + "': expected yyyy-MM-dd HH:mm:ss[.fffffff]");
      }
      int prompt = count(fields[1], "ContextTokens");
      int output = count(fields[2], "GeneratedTokens");
      if (originEpochNanos == Long.MIN_VALUE) {
        originEpochNanos = epochNanos;
      }
      double t = (epochNanos - originEpochNanos) / 1e9;
      if (t < previous) {
        throw TraceException.malformed(
            fileName,
            line,
            "TIMESTAMP '" + fields[0] + "' is earlier than the row before: expected time order");
      }
      previous = t;
      return new Request(t, prompt, output);
    }

    private int count(String field, String column) {
      try {
        int value = Integer.parseInt(field.trim());
        if (value < 0) {
          throw new NumberFormatException();
        }
        return value;
      } catch (NumberFormatException e) {
        throw TraceException.malformed(
            fileName, line, column + " '" + field + "': expected a whole number >= 0");
      }
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        // Nothing was written; a failed close of a read-only stream loses nothing.
      }
    }
  }
}
