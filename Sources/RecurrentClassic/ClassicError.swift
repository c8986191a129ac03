/// An error from fitting or applying a classic model, naming what was received and the fix.
///
/// ```swift
/// do { _ = try MultinomialNaiveBayes(features: x, labels: ["pos"]) }
/// catch let error as ClassicError { print(error) }  // "needs at least 2 classes ..."
/// ```
public enum ClassicError: Error, Equatable, CustomStringConvertible {
  /// The feature matrix and the label array disagree in length.
  case rowCountMismatch(features: Int, labels: Int)
  /// Fewer than two distinct labels were given.
  case tooFewClasses(found: Int)
  /// The features to score have a different number of columns than the training features.
  case columnCountMismatch(expected: Int, received: Int)
  /// A hyper-parameter is out of range.
  case invalidParameter(name: String, value: String, expected: String)
  /// A model that needs non-negative counts (multinomial Naive Bayes) received a negative value.
  case negativeFeature(row: Int, column: Int, value: Double)
  /// A row index is outside the matrix.
  case rowOutOfRange(row: Int, rows: Int)

  public var description: String {
    switch self {
    case .rowCountMismatch(let features, let labels):
      return "features have \(features) rows but \(labels) labels were given; "
        + "pass exactly one label per row"
    case .tooFewClasses(let found):
      return "needs at least 2 classes, received \(found); check that the labels are not all equal"
    case .columnCountMismatch(let expected, let received):
      return "the model was fitted on \(expected) feature columns, received \(received); "
        + "build the features with the vectorizer fitted on the training data"
    case .invalidParameter(let name, let value, let expected):
      return "\(name) must be \(expected), received \(value)"
    case .negativeFeature(let row, let column, let value):
      return "negative value \(value) at row \(row), column \(column): multinomial Naive Bayes "
        + "needs counts or other non-negative features (use BernoulliNaiveBayes or a linear model)"
    case .rowOutOfRange(let row, let rows):
      return "row \(row) is outside 0..<\(rows)"
    }
  }
}
