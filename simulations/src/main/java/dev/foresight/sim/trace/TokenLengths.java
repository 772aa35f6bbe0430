package dev.foresight.sim.trace;

import java.util.Arrays;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Prompt and output lengths of real requests, sampled jointly (a row at a time, so that the
 * correlation of prompt and output length is kept). Generated traces draw their lengths from here.
 */
public final class TokenLengths {
  private static volatile TokenLengths conversation;

  private final int[] prompt;
  private final int[] output;

  private TokenLengths(int[] prompt, int[] output) {
    this.prompt = prompt;
    this.output = output;
  }

  /** The lengths of every row of {@code trace}. */
  public static TokenLengths of(AzureTrace trace) {
    int[] p = new int[trace.rows()];
    int[] o = new int[trace.rows()];
    int[] i = {0, 0};
    trace.forEachLength(v -> p[i[0]++] = v, v -> o[i[1]++] = v);
    return new TokenLengths(Arrays.copyOf(p, i[0]), Arrays.copyOf(o, i[1]));
  }

  /** The lengths of the embedded Azure conversation trace, loaded once. */
  public static TokenLengths azureConversation() {
    TokenLengths local = conversation;
    if (local == null) {
      synchronized (TokenLengths.class) {
        local = conversation;
        if (local == null) {
          local = of(AzureTrace.embedded(AzureTrace.CONVERSATION));
          conversation = local;
        }
      }
    }
    return local;
  }

  /** Number of rows sampled from. */
  public int size() {
    return prompt.length;
  }

  /** Index of a uniformly drawn row. */
  public int draw(RandomGenerator random) {
    return random.nextInt(prompt.length);
  }

  public int prompt(int row) {
    return prompt[row];
  }

  public int output(int row) {
    return output[row];
  }

  /** Mean prompt tokens over all rows. */
  public double meanPrompt() {
    return Arrays.stream(prompt).average().orElse(0);
  }

  /** Mean output tokens over all rows. */
  public double meanOutput() {
    return Arrays.stream(output).average().orElse(0);
  }
}
