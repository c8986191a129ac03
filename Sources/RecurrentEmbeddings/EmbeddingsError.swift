// Typed errors for everything that comes from data or files: each names where and how to fix it.

/// An error from reading vector files, corpora or evaluation sets, or from bad arguments.
///
/// ```swift
/// do { _ = try WordVectorsFile.read(path: "v.txt") } catch let e as EmbeddingsError { print(e) }
/// ```
public enum EmbeddingsError: Error, CustomStringConvertible, Equatable {
  /// The file could not be opened or read.
  case unreadable(path: String, reason: String)
  /// A vector file is malformed at `location` (a line number or a byte offset).
  case malformed(path: String, location: String, reason: String)
  /// A vector has the wrong number of components.
  case dimensionMismatch(path: String, location: String, expected: Int, found: Int)
  /// The corpus has no tokens at all.
  case emptyCorpus(path: String)
  /// No word reached `minCount`.
  case emptyVocabulary(minCount: Int, distinctWords: Int)
  /// An argument is out of range.
  case invalidArgument(String)
  /// A query word has no vector.
  case unknownWord(String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "\(path): cannot read (\(reason)); check the path and permissions"
    case .malformed(let path, let location, let reason):
      return "\(path): \(location): \(reason); the file must be in word2vec text or binary format "
        + "(header 'count dim', then one word and its vector per entry)"
    case .dimensionMismatch(let path, let location, let expected, let found):
      return
        "\(path): \(location): vector has \(found) components but the header says \(expected); "
        + "the file is truncated or was written with another dimension"
    case .emptyCorpus(let path):
      return
        "\(path): the corpus has no tokens; give a UTF-8 text file with whitespace-separated words"
    case .emptyVocabulary(let minCount, let distinct):
      return "no word occurs at least minCount = \(minCount) times (\(distinct) distinct words); "
        + "lower minCount or give a larger corpus"
    case .invalidArgument(let message):
      return message
    case .unknownWord(let word):
      return "word '\(word)' is not in the vocabulary"
    }
  }
}
