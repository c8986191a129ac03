/// Word and character n-grams with scikit-learn's conventions (`CountVectorizer` analyzers).
///
///     NGrams.words(["a", "b", "c"], range: 1...2)     // ["a", "b", "c", "a b", "b c"]
///     NGrams.characters("ab c", range: 2...2)         // ["ab", "b ", " c"]
///     NGrams.charactersWithinWords("ab", range: 2...3)  // [" a", "ab", "b ", " ab", "ab "]
///     NGrams.tuples(["a", "b", "c"], n: 2)            // [["a", "b"], ["b", "c"]]
public enum NGrams {
  /// All n-grams for n in `range`, joined by a space, grouped by n (sklearn `_word_ngrams`).
  public static func words(_ tokens: [String], range: ClosedRange<Int> = 1...1) -> [String] {
    precondition(range.lowerBound >= 1, "n-gram sizes must be positive, received \(range)")
    var out: [String] = []
    for n in range where n <= tokens.count {
      for i in 0...(tokens.count - n) {
        out.append(n == 1 ? tokens[i] : tokens[i..<(i + n)].joined(separator: " "))
      }
    }
    return out
  }

  /// Consecutive `n`-token windows (NLTK `ngrams`).
  public static func tuples(_ tokens: [String], n: Int) -> [[String]] {
    precondition(n >= 1, "n must be positive, received \(n)")
    guard tokens.count >= n else { return [] }
    return (0...(tokens.count - n)).map { Array(tokens[$0..<($0 + n)]) }
  }

  /// Character n-grams over the whole text after turning runs of 2+ whitespace into one space
  /// (sklearn `analyzer='char'`); characters are Unicode scalars as in Python.
  public static func characters(_ text: String, range: ClosedRange<Int> = 1...1) -> [String] {
    precondition(range.lowerBound >= 1, "n-gram sizes must be positive, received \(range)")
    let c = collapseDoubleSpaces(Array(text.unicodeScalars))
    var out: [String] = []
    for n in range where n <= c.count {
      for i in 0...(c.count - n) { out.append(TextNormalizer.string(c[i..<(i + n)])) }
    }
    return out
  }

  /// Character n-grams inside words padded with one space on each side; a word shorter than n
  /// yields itself once (sklearn `analyzer='char_wb'`).
  public static func charactersWithinWords(_ text: String, range: ClosedRange<Int> = 1...1)
    -> [String]
  {
    precondition(range.lowerBound >= 1, "n-gram sizes must be positive, received \(range)")
    var out: [String] = []
    for word in WhitespaceTokenizer().tokenize(text) {
      let w: [Unicode.Scalar] = [" "] + Array(word.unicodeScalars) + [" "]
      for n in range {
        var offset = 0
        out.append(TextNormalizer.string(w[offset..<min(offset + n, w.count)]))
        while offset + n < w.count {
          offset += 1
          out.append(TextNormalizer.string(w[offset..<(offset + n)]))
        }
        if offset == 0 { break }
      }
    }
    return out
  }

  static func collapseDoubleSpaces(_ a: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    var k = 0
    while k < a.count {
      if PyClass.isSpace(a[k].value), k + 1 < a.count, PyClass.isSpace(a[k + 1].value) {
        out.append(" ")
        while k < a.count, PyClass.isSpace(a[k].value) { k += 1 }
      } else {
        out.append(a[k])
        k += 1
      }
    }
    return out
  }
}
