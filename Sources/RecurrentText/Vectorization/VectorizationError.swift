/// Errors thrown by the vectorizers (`CountVectorizer`, `TfidfVectorizer`, `KerasTokenizer`,
/// `TextVectorizer`) for bad arguments or data; each message says what to change.
///
/// ```swift
/// do { _ = try CountVectorizer(minDf: 50).fitTransform(["a tiny corpus"]) }
/// catch let error as VectorizationError { print(error) }  // After pruning, no terms remain. …
/// ```
public enum VectorizationError: Error, Equatable, CustomStringConvertible {
  /// Fitting found no token at all (empty documents, or only stop words).
  case emptyVocabulary
  /// `minDf` / `maxDf` / `maxFeatures` removed every term.
  case noTermsRemain
  /// `maxDf` allows fewer documents than `minDf` requires.
  case maxDfBelowMinDf(maxDocuments: Double, minDocuments: Double)
  /// An argument is out of range; the message names it, the value received and the fix.
  case invalidArgument(String)
  /// The vectorizer must be fitted (or given a vocabulary) before this call.
  case notFitted(String)

  public var description: String {
    switch self {
    case .emptyVocabulary:
      return "empty vocabulary; perhaps the documents only contain stop words"
        + " (pass non-empty documents or fewer stop words)"
    case .noTermsRemain:
      return "After pruning, no terms remain. Try a lower min_df or a higher max_df."
    case .maxDfBelowMinDf(let maxDocuments, let minDocuments):
      return "max_df corresponds to < documents than min_df (maxDf allows \(maxDocuments)"
        + " documents, minDf requires \(minDocuments)); raise maxDf or lower minDf"
    case .invalidArgument(let message):
      return message
    case .notFitted(let message):
      return message
    }
  }
}
