// Single-thread analyzer throughput of Lucene 8.7 over a text file (one document per line).
//
// Compile with peers/Analyzers.java. Usage: java -cp lucene-core.jar:lucene-analyzers-common.jar:OUT
//   ArabicAnalyzerBench
//            [--analyzer arabic|arabic-nostem|standard] [--warmup N] [--passes N] TEXTFILE
//
// Every line of TEXTFILE is one document, passed whole to Analyzer.tokenStream. After N warm-up
// passes over all lines (so the JIT has compiled the hot path), the timed passes run and the
// median pass time is reported. "Words" are the whitespace-separated words of the input: maximal
// runs of characters that are not Unicode White_Space (the same definition as Python's
// str.split() on text without U+001C..U+001F, and Rust's str::split_whitespace). MB is 10^6 bytes
// of the UTF-8 input, newlines included. Prints one markdown row `| tool | words/s | MB/s |` on
// stdout; details (token counts, per-pass times) go to stderr.

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

public final class ArabicAnalyzerBench {

  /** Unicode White_Space (all of it lies in the BMP). */
  static boolean isSpace(char c) {
    return (c >= 0x09 && c <= 0x0D)
        || c == 0x20
        || c == 0x85
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  /** Number of whitespace-separated words in s. */
  static long countWords(String s) {
    long n = 0;
    boolean in = false;
    for (int i = 0; i < s.length(); i++) {
      boolean sp = isSpace(s.charAt(i));
      if (!sp && !in) {
        n++;
      }
      in = !sp;
    }
    return n;
  }

  /** One pass over all lines; returns {tokens, total term chars}. */
  static long[] pass(Analyzer a, List<String> lines) throws IOException {
    long tokens = 0;
    long chars = 0;
    for (String line : lines) {
      try (TokenStream ts = a.tokenStream("body", line)) {
        CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
        ts.reset();
        while (ts.incrementToken()) {
          tokens++;
          chars += term.length();
        }
        ts.end();
      }
    }
    return new long[] {tokens, chars};
  }

  public static void main(String[] args) throws IOException {
    try {
      run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ArabicAnalyzerBench: " + e.getMessage());
      System.exit(2);
    }
  }

  static void run(String[] args) throws IOException {
    String name = "arabic";
    int warmup = 3;
    int passes = 5;
    String file = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--analyzer":
          name = args[++i];
          break;
        case "--warmup":
          warmup = Integer.parseInt(args[++i]);
          break;
        case "--passes":
          passes = Integer.parseInt(args[++i]);
          break;
        default:
          if (args[i].startsWith("--") || file != null) {
            System.err.println(
                "usage: ArabicAnalyzerBench [--analyzer " + Analyzers.NAMES + "]"
                    + " [--warmup N] [--passes N] TEXTFILE");
            System.exit(2);
          }
          file = args[i];
      }
    }
    if (file == null || passes < 1) {
      System.err.println("ArabicAnalyzerBench: need a TEXTFILE and --passes >= 1");
      System.exit(2);
    }
    Path path = Paths.get(file);
    long bytes = Files.size(path);
    List<String> lines = new ArrayList<>(Files.readAllLines(path, StandardCharsets.UTF_8));
    long words = 0;
    for (String l : lines) {
      words += countWords(l);
    }
    Analyzer a = Analyzers.forName(name);

    long[] first = null;
    for (int i = 0; i < warmup; i++) {
      long t0 = System.nanoTime();
      long[] r = pass(a, lines);
      double s = (System.nanoTime() - t0) / 1e9;
      System.err.printf(Locale.ROOT, "warm-up %d: %.3f s, %d tokens%n", i + 1, s, r[0]);
      first = r;
    }
    double[] secs = new double[passes];
    for (int i = 0; i < passes; i++) {
      long t0 = System.nanoTime();
      long[] r = pass(a, lines);
      secs[i] = (System.nanoTime() - t0) / 1e9;
      if (first != null && (r[0] != first[0] || r[1] != first[1])) {
        throw new IllegalStateException("passes disagree on the token stream");
      }
      first = r;
      System.err.printf(Locale.ROOT, "pass %d: %.3f s%n", i + 1, secs[i]);
    }
    double[] sorted = secs.clone();
    Arrays.sort(sorted);
    double median =
        passes % 2 == 1
            ? sorted[passes / 2]
            : (sorted[passes / 2 - 1] + sorted[passes / 2]) / 2.0;
    System.err.printf(
        Locale.ROOT,
        "%s: %d lines, %d words, %d bytes, %d output tokens (%d term chars);"
            + " median of %d passes %.3f s (best %.3f s) after %d warm-up passes%n",
        Analyzers.label(name),
        lines.size(),
        words,
        bytes,
        first[0],
        first[1],
        passes,
        median,
        sorted[0],
        warmup);
    System.out.printf(
        Locale.ROOT,
        "| %s (Java %s, 1 thread) | %.0f | %.1f |%n",
        Analyzers.label(name),
        Runtime.version().feature(),
        words / median,
        bytes / median / 1e6);
  }
}
