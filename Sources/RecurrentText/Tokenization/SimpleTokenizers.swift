import Foundation

/// Splits on runs of whitespace (Python's `str.split()`).
///
///     WhitespaceTokenizer().tokenize(" a  b\tc ")  // ["a", "b", "c"]
public struct WhitespaceTokenizer: Sendable {
  public init() {}

  public func tokenize(_ text: String) -> [String] {
    var tokens: [String] = []
    var current = String.UnicodeScalarView()
    for c in text.unicodeScalars {
      if PyClass.isSpace(c.value) {
        if !current.isEmpty {
          tokens.append(String(current))
          current = String.UnicodeScalarView()
        }
      } else {
        current.append(c)
      }
    }
    if !current.isEmpty { tokens.append(String(current)) }
    return tokens
  }
}

/// Tokens are the matches of a regular expression (or, with `gaps`, the text between matches),
/// as NLTK's `RegexpTokenizer`. The default pattern is NLTK's `wordpunct_tokenize`.
///
///     try RegexTokenizer().tokenize("Don't stop.")            // ["Don", "'", "t", "stop", "."]
///     try RegexTokenizer(pattern: "\\s*,\\s*", gaps: true).tokenize("a, b ,c")  // ["a", "b", "c"]
///
/// Uses Foundation's `NSRegularExpression` (ICU syntax, close to Python's `re`).
public struct RegexTokenizer: @unchecked Sendable {
  public let pattern: String
  public let gaps: Bool
  let regex: NSRegularExpression

  /// Throws `TextInputError.Kind.malformedRecord` naming the pattern if it does not compile.
  public init(pattern: String = "\\w+|[^\\w\\s]+", gaps: Bool = false) throws {
    self.pattern = pattern
    self.gaps = gaps
    do {
      regex = try NSRegularExpression(pattern: pattern)
    } catch {
      throw TextInputError(
        .malformedRecord, file: "<pattern>", reason: "invalid regular expression \(pattern)",
        fix: "check the pattern's syntax (ICU regular expressions)")
    }
  }

  public func tokenize(_ text: String) -> [String] {
    let ns = text as NSString
    let matches = regex.matches(in: text, range: NSRange(location: 0, length: ns.length))
    if !gaps {
      return matches.map { ns.substring(with: $0.range) }
    }
    var tokens: [String] = []
    var start = 0
    for m in matches {
      if m.range.location > start {
        tokens.append(
          ns.substring(with: NSRange(location: start, length: m.range.location - start)))
      }
      start = m.range.location + m.range.length
    }
    if start < ns.length { tokens.append(ns.substring(from: start)) }
    return tokens.filter { !$0.isEmpty }
  }
}

/// One token per Unicode scalar (code point), as Python's `list(text)`.
///
///     CharacterTokenizer().tokenize("e\u{301}!")  // ["e", "\u{301}", "!"]
public struct CharacterTokenizer: Sendable {
  public init() {}
  public func tokenize(_ text: String) -> [String] { text.unicodeScalars.map { String($0) } }
}

/// One token per user-perceived character (extended grapheme cluster, UAX #29).
///
///     GraphemeTokenizer().tokenize("e\u{301}👍🏽!")  // ["é", "👍🏽", "!"]
public struct GraphemeTokenizer: Sendable {
  public init() {}
  public func tokenize(_ text: String) -> [String] { text.map { String($0) } }
}
