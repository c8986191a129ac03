import Foundation

/// A stop-word list: NLTK's lists for 29 languages (shipped), or your own.
///
///     let stop = try StopWords.english()
///     stop.contains("the")                      // true
///     stop.filter(["the", "cat", "sat"])        // ["cat", "sat"]
///     let mine = StopWords(["foo", "bar"]).union(try StopWords(language: "french"))
public struct StopWords: Sendable, Equatable {
  /// The words, as given (case-sensitive lookups; lists are lower-case).
  public private(set) var words: Set<String>

  public init(_ words: some Sequence<String>) { self.words = Set(words) }

  /// Languages with a shipped list (file names in `Resources/stopwords`).
  public static let languages = [
    "arabic", "azerbaijani", "basque", "bengali", "catalan", "chinese", "danish", "dutch",
    "english", "finnish", "french", "german", "greek", "hebrew", "hinglish", "hungarian",
    "indonesian", "italian", "kazakh", "nepali", "norwegian", "portuguese", "romanian", "russian",
    "slovene", "spanish", "swedish", "tajik", "turkish",
  ]

  /// The shipped list for `language` (NLTK stopwords corpus).
  public init(language: String) throws {
    guard Self.languages.contains(language) else {
      throw TextInputError(
        .cannotOpen, file: "stopwords/\(language)", reason: "no stop-word list for '\(language)'",
        fix: "use one of: \(Self.languages.joined(separator: ", "))")
    }
    try self.init(path: ShippedData.path("stopwords/" + language))
  }

  /// NLTK's English list (179 words, including "don't" and the clitic pieces "ll", "ve", …).
  public static func english() throws -> StopWords { try StopWords(language: "english") }

  /// A custom list from a file: one word per line, blank lines and `#` comments ignored.
  public init(path: String) throws {
    let reader = try LineReader(path: path)
    var set = Set<String>()
    while let line = try reader.next() {
      let w = line.trimmingCharacters(in: .whitespaces)
      if !w.isEmpty, !w.hasPrefix("#") { set.insert(w) }
    }
    words = set
  }

  public func contains(_ word: String) -> Bool { words.contains(word) }

  /// The tokens that are not stop words, in order.
  public func filter(_ tokens: [String]) -> [String] { tokens.filter { !words.contains($0) } }

  public func union(_ other: StopWords) -> StopWords { StopWords(words.union(other.words)) }

  public mutating func insert(_ word: String) { words.insert(word) }
  public mutating func remove(_ word: String) { words.remove(word) }
}
