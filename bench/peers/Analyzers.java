// The Lucene 8.7 analyzers the peer benchmarks compare, by name; shared by
// peers/ArabicAnalyzerBench.java and retrieval/LuceneRetrieval.java (compiled together with each).

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/** Named analyzers: arabic, arabic-nostem, standard. */
final class Analyzers {
  private Analyzers() {}

  /** The accepted names, for usage messages. */
  static final String NAMES = "arabic|arabic-nostem|standard";

  /**
   * arabic: ArabicAnalyzer with its default stopwords (StandardTokenizer, LowerCase, DecimalDigit,
   * Stop, ArabicNormalization, ArabicStem); arabic-nostem: the same chain without ArabicStemFilter;
   * standard: StandardAnalyzer (no stopwords, no normalization, no stemming).
   */
  static Analyzer forName(String name) {
    switch (name) {
      case "arabic":
        return new ArabicAnalyzer();
      case "arabic-nostem":
        return arabicNoStem();
      case "standard":
        return new StandardAnalyzer();
      default:
        throw new IllegalArgumentException("unknown analyzer " + name + " (" + NAMES + ")");
    }
  }

  /** A human label for result tables. */
  static String label(String name) {
    switch (name) {
      case "arabic":
        return "Lucene 8.7 ArabicAnalyzer";
      case "arabic-nostem":
        return "Lucene 8.7 ArabicAnalyzer without stemmer";
      case "standard":
        return "Lucene 8.7 StandardAnalyzer";
      default:
        throw new IllegalArgumentException("unknown analyzer " + name + " (" + NAMES + ")");
    }
  }

  /** ArabicAnalyzer's chain without ArabicStemFilter: the "no stemming" ablation. */
  static Analyzer arabicNoStem() {
    final CharArraySet stop = ArabicAnalyzer.getDefaultStopSet();
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String field) {
        Tokenizer src = new StandardTokenizer();
        TokenStream ts = new LowerCaseFilter(src);
        ts = new DecimalDigitFilter(ts);
        ts = new StopFilter(ts, stop);
        ts = new ArabicNormalizationFilter(ts);
        return new TokenStreamComponents(src, ts);
      }

      @Override
      protected TokenStream normalize(String field, TokenStream in) {
        TokenStream ts = new LowerCaseFilter(in);
        ts = new DecimalDigitFilter(ts);
        return new ArabicNormalizationFilter(ts);
      }
    };
  }
}
