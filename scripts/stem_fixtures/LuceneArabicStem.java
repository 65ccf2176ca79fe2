// Stems one word per input line with Lucene's ArabicNormalizationFilter + ArabicStemFilter.
//
// Input: UTF-8 lines on stdin. Output: one UTF-8 line per input line, `SINGLE<TAB>STEM`, where
// STEM is the line taken as one token (KeywordTokenizer) through the two filters, and SINGLE is
// 1 when Lucene's StandardTokenizer (the tokenizer of ArabicAnalyzer) turns the line into
// exactly one token equal to the whole line, else 0.
// Compiled and run by scripts/stem_fixtures.py.

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

public class LuceneArabicStem {
  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    BufferedWriter out =
        new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));

    KeywordTokenizer keyword = new KeywordTokenizer();
    TokenStream stemmed = new ArabicStemFilter(new ArabicNormalizationFilter(keyword));
    CharTermAttribute stemTerm = stemmed.addAttribute(CharTermAttribute.class);

    StandardTokenizer standard = new StandardTokenizer();
    CharTermAttribute standardTerm = standard.addAttribute(CharTermAttribute.class);

    String line;
    while ((line = in.readLine()) != null) {
      keyword.setReader(new StringReader(line));
      stemmed.reset();
      String stem = stemmed.incrementToken() ? stemTerm.toString() : "";
      while (stemmed.incrementToken()) {
        // KeywordTokenizer yields one token; drain defensively.
      }
      stemmed.end();
      stemmed.close();

      standard.setReader(new StringReader(line));
      standard.reset();
      int tokens = 0;
      boolean whole = false;
      while (standard.incrementToken()) {
        tokens++;
        if (tokens == 1) {
          whole = standardTerm.toString().equals(line);
        }
      }
      standard.end();
      standard.close();

      out.write(tokens == 1 && whole ? "1" : "0");
      out.write('\t');
      out.write(stem);
      out.write('\n');
    }
    out.flush();
  }
}
