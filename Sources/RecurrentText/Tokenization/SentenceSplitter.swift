/// Rule-based sentence splitter for English-like text: splits after `.`, `!`, `?` or `…`
/// (with any closing quotes and brackets) when whitespace and a sentence-like start follow, and
/// not after known abbreviations, initials ("J. R. R."), acronyms with inner periods ("U.S.")
/// or inside numbers ("3.14").
///
///     SentenceSplitter().split("Mr. Smith paid $3.50. He left! Did he? Yes.")
///     // ["Mr. Smith paid $3.50.", "He left!", "Did he?", "Yes."]
///
/// NLTK's punkt learns abbreviations from data; its model cannot be downloaded here, so this
/// splitter ships a hand-written list (`abbreviations`) you can extend.
public struct SentenceSplitter: Sendable {
  /// Lower-case abbreviations without the final period ("mr", "e.g", "jan").
  public var abbreviations: Set<String>

  public static let defaultAbbreviations: Set<String> = [
    "mr", "mrs", "ms", "messrs", "mme", "mlle", "dr", "prof", "sr", "jr", "st", "mt", "ft", "rev",
    "hon", "gen", "col", "capt", "cpt", "lt", "sgt", "maj", "adm", "gov", "sen", "rep", "pres",
    "supt", "esq", "bros", "inc", "ltd", "co", "corp", "dept", "univ", "assn", "vs", "etc", "cf",
    "e.g", "i.e", "viz", "al", "approx", "ca", "fig", "figs", "no", "nos", "vol", "vols", "ch",
    "chap", "p", "pp", "para", "sec", "ed", "eds", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
    "sat", "sun", "a.m", "p.m", "u.s", "u.k", "u.n", "d.c", "ave", "blvd", "rd", "hr", "hrs", "min",
    "mins", "sq", "oz", "lb", "lbs", "yr", "yrs", "op", "cit", "ibid", "nr", "tel",
  ]

  public init(abbreviations: Set<String> = SentenceSplitter.defaultAbbreviations) {
    self.abbreviations = abbreviations
  }

  public func split(_ text: String) -> [String] {
    let a = Array(text.unicodeScalars)
    let n = a.count
    var sentences: [String] = []
    var start = 0
    var k = 0
    while k < n {
      let c = a[k]
      guard c == "." || c == "!" || c == "?" || c == "…" else {
        k += 1
        continue
      }
      var end = k + 1
      while end < n, a[end] == "." || a[end] == "!" || a[end] == "?" || a[end] == "…" {
        end += 1
      }
      while end < n, Self.closers.contains(a[end]) { end += 1 }
      // Whitespace must follow, then something that can start a sentence.
      var next = end
      while next < n, a[next].properties.isWhitespace { next += 1 }
      guard next > end, next < n else {
        k = end
        continue
      }
      if startsSentence(a, next), !isNonFinalPeriod(a, k, runEnd: end) {
        appendTrimmed(a[start..<end], to: &sentences)
        start = next
      }
      k = next
    }
    appendTrimmed(a[start..<n], to: &sentences)
    return sentences
  }

  static let closers: Set<Unicode.Scalar> = ["\"", "'", ")", "]", "}", "”", "’", "»"]
  static let openers: Set<Unicode.Scalar> = ["\"", "'", "(", "[", "{", "“", "‘", "«", "-", "—"]

  func startsSentence(_ a: [Unicode.Scalar], _ i: Int) -> Bool {
    var j = i
    while j < a.count, Self.openers.contains(a[j]) { j += 1 }
    guard j < a.count else { return false }
    let p = a[j].properties
    return p.isUppercase || p.generalCategory == .titlecaseLetter || PyClass.isDigit(a[j].value)
      || (!p.isLowercase && !p.isAlphabetic && j > i)
  }

  /// A single period ending an abbreviation, an initial or an acronym does not end a sentence.
  func isNonFinalPeriod(_ a: [Unicode.Scalar], _ period: Int, runEnd: Int) -> Bool {
    guard a[period] == "." else { return false }
    // "..." and "?!" runs end sentences when an upper-case word follows.
    if period + 1 < a.count, a[period + 1] == "." { return false }
    var w = period
    while w > 0, !a[w - 1].properties.isWhitespace, !Self.openers.contains(a[w - 1]) { w -= 1 }
    let word = TextNormalizer.string(a[w..<period])
    guard !word.isEmpty else { return false }
    let lower = word.lowercased()
    if abbreviations.contains(lower) { return true }
    // An initial: one letter ("J."), or letters with inner periods ("U.S", "Ph.D").
    if word.unicodeScalars.count == 1, word.unicodeScalars.first!.properties.isAlphabetic {
      return true
    }
    if word.contains("."),
      word.unicodeScalars.allSatisfy({ $0 == "." || $0.properties.isAlphabetic })
    {
      return true
    }
    return false
  }

  func appendTrimmed(_ s: ArraySlice<Unicode.Scalar>, to out: inout [String]) {
    var lo = s.startIndex
    var hi = s.endIndex
    while lo < hi, s[lo].properties.isWhitespace { lo += 1 }
    while hi > lo, s[hi - 1].properties.isWhitespace { hi -= 1 }
    if lo < hi { out.append(TextNormalizer.string(s[lo..<hi])) }
  }
}
