// Lucene 8.7 BM25 baseline for question -> passage retrieval, plus indexing and query-latency
// measurements that qalam's search is compared with. Run through bench/retrieval/lucene.sh
// (compiled together with bench/peers/Analyzers.java).
//
// Modes (all single-threaded; merges use SerialMergeScheduler):
//
//  evaluation (default)
//    --corpus F.corpus.tsv [--corpus ...]     passages: pid \t title \t text (read raw)
//    --queries F.queries.tsv --qrels F.qrels  one pair per evaluated set, in the same order
//    [--distractors-tsv D.tsv ...]            extra documents, never relevant: id \t title \t
//                                             content with \\ \t \r \n escaped (snn_extract.py)
//    Indexes every passage and distractor as one "body" field (title + "\n" + text) into an
//    in-memory directory (or --dir PATH), runs every question as a bag of words (a BooleanQuery
//    of SHOULD TermQuery clauses, one per analyzer output token, repeats kept, as QueryParser's
//    OR default would give) and takes the top --top (100) hits. Prints, per queries file,
//    MRR@10, Recall@10 and Recall@100 averaged over queries with at least one relevant pid.
//    Recall@k = |relevant in top k| / |relevant|; MRR@10 = 1/rank of the first relevant hit in
//    the top 10, else 0.
//  --latency       after evaluation, times every question of every queries file on the same
//                  index: analysis + BM25 top-100 search; warm-up passes, then timed passes;
//                  prints p50/p90/p99/mean and queries/s.
//  --index-bench DIR   indexes only the --distractors-tsv documents into an FSDirectory at DIR
//                  (emptied first) and prints docs/s and MB/s (MB = 10^6 UTF-8 bytes of title +
//                  content), time measured from opening the IndexWriter to commit + close, the
//                  documents having been read into memory before. --store also stores the body;
//                  --repeat N indexes N times from scratch in the same JVM (later runs are warm).
//
// Common flags: --analyzer arabic|arabic-nostem|standard (default arabic: ArabicAnalyzer with its
// default stopwords; arabic-nostem: the same chain without ArabicStemFilter; standard:
// StandardAnalyzer, no stopwords, no stemming), --k1 1.2 --b 0.75, --top 100, --run FILE (write a
// TREC run of the evaluation), --ram-mb 16 (IndexWriter RAM buffer).

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

public final class LuceneRetrieval {

  /** One document to index. */
  static final class Doc {
    final String id;
    final String title;
    final String text;

    Doc(String id, String title, String text) {
      this.id = id;
      this.title = title;
      this.text = text;
    }
  }

  /** One question. */
  static final class Question {
    final String qid;
    final String text;

    Question(String qid, String text) {
      this.qid = qid;
      this.text = text;
    }
  }

  // ---- options ----
  final List<String> corpora = new ArrayList<>();
  final List<String> queryFiles = new ArrayList<>();
  final List<String> qrelFiles = new ArrayList<>();
  final List<String> distractorFiles = new ArrayList<>();
  String analyzerName = "arabic";
  float k1 = 1.2f;
  float b = 0.75f;
  int top = 100;
  String dirPath = null;
  String runPath = null;
  String indexBenchDir = null;
  boolean store = false;
  boolean latency = false;
  int latencyWarmup = 3;
  int latencyPasses = 5;
  int indexRepeat = 1;
  double ramMb = IndexWriterConfig.DEFAULT_RAM_BUFFER_SIZE_MB;

  // ---- input ----

  /** pid \t title \t text, read raw (the data sets do not escape). */
  static List<Doc> readCorpus(String path) throws IOException {
    List<Doc> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(Paths.get(path), StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty()) {
          continue;
        }
        String[] f = line.split("\t", 3);
        if (f.length < 2) {
          throw new IOException(path + ": expected pid\\ttitle\\ttext, got: " + line);
        }
        out.add(new Doc(f[0], f.length == 3 ? f[1] : "", f.length == 3 ? f[2] : f[1]));
      }
    }
    return out;
  }

  /** Undo snn_extract.py's escaping of \\ \t \r \n. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 't':
            sb.append('\t');
            break;
          case 'n':
            sb.append('\n');
            break;
          case 'r':
            sb.append('\r');
            break;
          default:
            sb.append(n);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** id \t title \t content with escapes (bench/snn_extract.py --tsv). */
  static List<Doc> readDistractors(String path) throws IOException {
    List<Doc> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(Paths.get(path), StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != 3) {
          throw new IOException(path + ": expected id\\ttitle\\tcontent, got " + f.length + " fields");
        }
        out.add(new Doc(f[0], unescape(f[1]), unescape(f[2])));
      }
    }
    return out;
  }

  static List<Question> readQueries(String path) throws IOException {
    List<Question> out = new ArrayList<>();
    for (String line : Files.readAllLines(Paths.get(path), StandardCharsets.UTF_8)) {
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t", 2);
      if (f.length != 2) {
        throw new IOException(path + ": expected qid\\tquestion, got: " + line);
      }
      out.add(new Question(f[0], f[1]));
    }
    return out;
  }

  /** TREC qrels `qid iter pid rel`; pids with rel > 0 are relevant. */
  static Map<String, Set<String>> readQrels(String path) throws IOException {
    Map<String, Set<String>> out = new HashMap<>();
    for (String line : Files.readAllLines(Paths.get(path), StandardCharsets.UTF_8)) {
      String t = line.trim();
      if (t.isEmpty()) {
        continue;
      }
      String[] f = t.split("\\s+");
      if (f.length != 4) {
        throw new IOException(path + ": expected `qid 0 pid rel`, got: " + line);
      }
      if (Integer.parseInt(f[3]) > 0) {
        out.computeIfAbsent(f[0], k -> new HashSet<>()).add(f[2]);
      }
    }
    return out;
  }

  // ---- indexing ----

  static long utf8Bytes(Doc d) {
    return d.title.getBytes(StandardCharsets.UTF_8).length
        + d.text.getBytes(StandardCharsets.UTF_8).length;
  }

  IndexWriterConfig writerConfig(Analyzer a) {
    IndexWriterConfig c = new IndexWriterConfig(a);
    c.setSimilarity(new BM25Similarity(k1, b));
    c.setMergeScheduler(new SerialMergeScheduler());
    c.setRAMBufferSizeMB(ramMb);
    c.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    return c;
  }

  void add(IndexWriter w, Doc d) throws IOException {
    Document doc = new Document();
    doc.add(new StringField("id", d.id, Field.Store.YES));
    String body = d.title.isEmpty() ? d.text : d.title + "\n" + d.text;
    doc.add(new TextField("body", body, store ? Field.Store.YES : Field.Store.NO));
    w.addDocument(doc);
  }

  static void emptyDir(Path p) throws IOException {
    if (Files.exists(p)) {
      try (Stream<Path> s = Files.walk(p)) {
        for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(q);
        }
      }
    }
    Files.createDirectories(p);
  }

  static long dirBytes(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(q -> q.toFile().length()).sum();
    }
  }

  // ---- search ----

  /** A BooleanQuery of SHOULD term clauses, one per analyzer token of the question. */
  static Query bagOfWords(Analyzer a, String text) throws IOException {
    BooleanQuery.Builder bq = new BooleanQuery.Builder();
    int n = 0;
    try (TokenStream ts = a.tokenStream("body", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        if (n < BooleanQuery.getMaxClauseCount()) {
          bq.add(new TermQuery(new Term("body", term.toString())), BooleanClause.Occur.SHOULD);
          n++;
        }
      }
      ts.end();
    }
    return n == 0 ? null : bq.build();
  }

  static String[] idsOf(DirectoryReader reader) throws IOException {
    String[] ids = new String[reader.maxDoc()];
    for (int d = 0; d < reader.maxDoc(); d++) {
      ids[d] = reader.document(d).get("id");
    }
    return ids;
  }

  static double percentile(long[] sortedNs, double p) {
    int i = (int) Math.ceil(p / 100.0 * sortedNs.length) - 1;
    return sortedNs[Math.max(0, Math.min(sortedNs.length - 1, i))] / 1e6;
  }

  // ---- modes ----

  void indexBench() throws IOException {
    if (distractorFiles.isEmpty()) {
      throw new IllegalArgumentException("--index-bench needs --distractors-tsv");
    }
    List<Doc> docs = new ArrayList<>();
    for (String f : distractorFiles) {
      docs.addAll(readDistractors(f));
    }
    long bytes = 0;
    for (Doc d : docs) {
      bytes += utf8Bytes(d);
    }
    Path dir = Paths.get(indexBenchDir);
    Analyzer a = Analyzers.forName(analyzerName);
    double[] secs = new double[indexRepeat];
    for (int rep = 1; rep <= indexRepeat; rep++) {
      emptyDir(dir);
      long t0 = System.nanoTime();
      try (Directory fs = FSDirectory.open(dir);
          IndexWriter w = new IndexWriter(fs, writerConfig(a))) {
        for (Doc d : docs) {
          add(w, d);
        }
        w.commit();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      secs[rep - 1] = s;
      System.out.printf(
          Locale.ROOT,
          "index-bench run=%d/%d analyzer=%s docs=%d bytes=%d store=%s ram_mb=%.0f seconds=%.3f"
              + " docs/s=%.0f MB/s=%.2f index_bytes=%d%n",
          rep,
          indexRepeat,
          analyzerName,
          docs.size(),
          bytes,
          store,
          ramMb,
          s,
          docs.size() / s,
          bytes / s / 1e6,
          dirBytes(dir));
    }
    // Summary: median of the warm runs (all but the first) when there are some.
    double[] warm = Arrays.copyOfRange(secs, indexRepeat > 1 ? 1 : 0, indexRepeat);
    Arrays.sort(warm);
    int m = warm.length;
    double med = m % 2 == 1 ? warm[m / 2] : (warm[m / 2 - 1] + warm[m / 2]) / 2.0;
    System.out.printf(
        Locale.ROOT,
        "index-bench summary analyzer=%s store=%s median of %d %s runs: seconds=%.3f docs/s=%.0f"
            + " MB/s=%.2f%n",
        analyzerName,
        store,
        m,
        indexRepeat > 1 ? "warm" : "cold",
        med,
        docs.size() / med,
        bytes / med / 1e6);
  }

  void evaluate() throws IOException {
    if (queryFiles.size() != qrelFiles.size() || corpora.isEmpty() || queryFiles.isEmpty()) {
      throw new IllegalArgumentException(
          "need --corpus, and --queries/--qrels given the same number of times");
    }
    Analyzer a = Analyzers.forName(analyzerName);
    List<Doc> docs = new ArrayList<>();
    for (String f : corpora) {
      docs.addAll(readCorpus(f));
    }
    int passages = docs.size();
    for (String f : distractorFiles) {
      docs.addAll(readDistractors(f));
    }
    Directory dir;
    if (dirPath != null) {
      emptyDir(Paths.get(dirPath));
      dir = FSDirectory.open(Paths.get(dirPath));
    } else {
      dir = new ByteBuffersDirectory();
    }
    long t0 = System.nanoTime();
    try (IndexWriter w = new IndexWriter(dir, writerConfig(a))) {
      for (Doc d : docs) {
        add(w, d);
      }
      w.commit();
    }
    System.err.printf(
        Locale.ROOT,
        "indexed %d docs (%d passages + %d distractors) in %.2f s%n",
        docs.size(),
        passages,
        docs.size() - passages,
        (System.nanoTime() - t0) / 1e9);

    try (DirectoryReader reader = DirectoryReader.open(dir);
        PrintWriter run = runPath == null ? null : new PrintWriter(runPath, "UTF-8")) {
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setSimilarity(new BM25Similarity(k1, b));
      String[] ids = idsOf(reader);
      List<Question> allQuestions = new ArrayList<>();
      for (int s = 0; s < queryFiles.size(); s++) {
        List<Question> qs = readQueries(queryFiles.get(s));
        allQuestions.addAll(qs);
        Map<String, Set<String>> qrels = readQrels(qrelFiles.get(s));
        double mrr = 0;
        double r10 = 0;
        double r100 = 0;
        int judged = 0;
        for (Question q : qs) {
          Query query = bagOfWords(a, q.text);
          ScoreDoc[] hits = query == null ? new ScoreDoc[0] : searcher.search(query, top).scoreDocs;
          if (run != null) {
            for (int i = 0; i < hits.length; i++) {
              run.printf(
                  Locale.ROOT,
                  "%s Q0 %s %d %.6f lucene-%s%n",
                  q.qid,
                  ids[hits[i].doc],
                  i + 1,
                  hits[i].score,
                  analyzerName);
            }
          }
          Set<String> rel = qrels.get(q.qid);
          if (rel == null || rel.isEmpty()) {
            continue;
          }
          judged++;
          int found10 = 0;
          int found100 = 0;
          double rr = 0;
          for (int i = 0; i < hits.length && i < 100; i++) {
            if (rel.contains(ids[hits[i].doc])) {
              found100++;
              if (i < 10) {
                found10++;
                if (rr == 0) {
                  rr = 1.0 / (i + 1);
                }
              }
            }
          }
          mrr += rr;
          r10 += (double) found10 / rel.size();
          r100 += (double) found100 / rel.size();
        }
        String name = Paths.get(queryFiles.get(s)).getFileName().toString();
        System.out.printf(
            Locale.ROOT,
            "eval queries=%s analyzer=%s docs=%d distractors=%d questions=%d judged=%d"
                + " MRR@10=%.4f R@10=%.4f R@100=%.4f%n",
            name,
            analyzerName,
            docs.size(),
            docs.size() - passages,
            qs.size(),
            judged,
            judged == 0 ? 0 : mrr / judged,
            judged == 0 ? 0 : r10 / judged,
            judged == 0 ? 0 : r100 / judged);
      }
      if (latency) {
        measureLatency(a, searcher, allQuestions, docs.size());
      }
    } finally {
      dir.close();
    }
  }

  void measureLatency(Analyzer a, IndexSearcher searcher, List<Question> qs, int docs)
      throws IOException {
    long sink = 0;
    for (int p = 0; p < latencyWarmup; p++) {
      for (Question q : qs) {
        Query query = bagOfWords(a, q.text);
        if (query != null) {
          sink += searcher.search(query, top).scoreDocs.length;
        }
      }
    }
    long[] ns = new long[qs.size() * latencyPasses];
    int k = 0;
    long total = 0;
    for (int p = 0; p < latencyPasses; p++) {
      for (Question q : qs) {
        long t0 = System.nanoTime();
        Query query = bagOfWords(a, q.text);
        if (query != null) {
          TopDocs td = searcher.search(query, top);
          sink += td.scoreDocs.length;
        }
        long dt = System.nanoTime() - t0;
        ns[k++] = dt;
        total += dt;
      }
    }
    Arrays.sort(ns);
    System.out.printf(
        Locale.ROOT,
        "latency analyzer=%s docs=%d questions=%d samples=%d top=%d p50_ms=%.3f p90_ms=%.3f"
            + " p99_ms=%.3f mean_ms=%.3f qps=%.0f (hits seen %d)%n",
        analyzerName,
        docs,
        qs.size(),
        ns.length,
        top,
        percentile(ns, 50),
        percentile(ns, 90),
        percentile(ns, 99),
        total / 1e6 / ns.length,
        ns.length / (total / 1e9),
        sink);
  }

  static void usage() {
    System.err.println(
        "usage: LuceneRetrieval --corpus F.corpus.tsv... --queries F.queries.tsv --qrels F.qrels"
            + " [--queries ... --qrels ...] [--distractors-tsv D.tsv...]\n"
            + "         [--analyzer arabic|arabic-nostem|standard] [--k1 1.2] [--b 0.75]"
            + " [--top 100] [--dir PATH] [--run FILE]\n"
            + "         [--latency [--latency-warmup 3] [--latency-passes 5]] [--ram-mb 16]\n"
            + "       LuceneRetrieval --index-bench DIR --distractors-tsv D.tsv... [--store] [--repeat N]"
            + " [--analyzer ...]");
    System.exit(2);
  }

  public static void main(String[] args) throws IOException {
    try {
      run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("LuceneRetrieval: " + e.getMessage());
      System.exit(2);
    }
  }

  static void run(String[] args) throws IOException {
    LuceneRetrieval r = new LuceneRetrieval();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        usage();
      }
      if (a.equals("--store")) {
        r.store = true;
        continue;
      }
      if (a.equals("--latency")) {
        r.latency = true;
        continue;
      }
      if (i + 1 >= args.length) {
        usage();
      }
      String v = args[++i];
      switch (a) {
        case "--corpus":
          r.corpora.add(v);
          break;
        case "--queries":
          r.queryFiles.add(v);
          break;
        case "--qrels":
          r.qrelFiles.add(v);
          break;
        case "--distractors-tsv":
          r.distractorFiles.add(v);
          break;
        case "--analyzer":
          r.analyzerName = v;
          Analyzers.forName(v);
          break;
        case "--k1":
          r.k1 = Float.parseFloat(v);
          break;
        case "--b":
          r.b = Float.parseFloat(v);
          break;
        case "--top":
          r.top = Integer.parseInt(v);
          break;
        case "--dir":
          r.dirPath = v;
          break;
        case "--run":
          r.runPath = v;
          break;
        case "--index-bench":
          r.indexBenchDir = v;
          break;
        case "--latency-warmup":
          r.latencyWarmup = Integer.parseInt(v);
          break;
        case "--latency-passes":
          r.latencyPasses = Integer.parseInt(v);
          break;
        case "--repeat":
          r.indexRepeat = Integer.parseInt(v);
          break;
        case "--ram-mb":
          r.ramMb = Double.parseDouble(v);
          break;
        default:
          usage();
      }
    }
    if (r.top < 100) {
      System.err.println("LuceneRetrieval: --top must be >= 100 for Recall@100");
      System.exit(2);
    }
    if (r.indexBenchDir != null) {
      r.indexBench();
    } else {
      r.evaluate();
    }
  }
}
