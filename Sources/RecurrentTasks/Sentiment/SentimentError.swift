/// What can go wrong reading sentiment data, training, or loading a saved classifier. Each case
/// names the file (and line) involved and says how to fix it.
public enum SentimentError: Error, CustomStringConvertible, Equatable {
  /// The header has no column of that name.
  case missingColumn(file: String, column: String, header: [String])
  /// A row's text or label is empty.
  case emptyField(file: String, line: Int, column: String)
  /// A field whose value cannot be used.
  case invalidField(file: String, line: Int, column: String, value: String, expected: String)
  /// The file has a header but no rows.
  case noRows(file: String)
  /// Training data with fewer than two classes.
  case singleClass(label: String)
  /// Evaluation data holds a label the classifier never saw in training.
  case unknownLabel(label: String, known: [String])
  /// A parameter outside its range.
  case invalidParameter(name: String, value: String, expected: String)
  /// A model directory that is incomplete, damaged or written by another version.
  case invalidModelDirectory(path: String, reason: String)

  public var description: String {
    switch self {
    case let .missingColumn(file, column, header):
      return
        "\(file):1: no column named '\(column)' in the header \(header); name the columns with "
        + "--text-column / --label-column"
    case let .emptyField(file, line, column):
      return "\(file):\(line): the \(column) is empty; remove the row or fill it in"
    case let .invalidField(file, line, column, value, expected):
      return "\(file):\(line): the \(column) '\(value)' is not \(expected)"
    case let .noRows(file):
      return "\(file): no data rows after the header; give a file with at least one row per class"
    case let .singleClass(label):
      return
        "the training data has only one class ('\(label)'); a classifier needs at least two"
    case let .unknownLabel(label, known):
      return
        "label '\(label)' was never seen in training (known: \(known)); evaluate on data with "
        + "the training labels"
    case let .invalidParameter(name, value, expected):
      return "\(name) must be \(expected), received \(value)"
    case let .invalidModelDirectory(path, reason):
      return "\(path): not a usable sentiment model directory: \(reason)"
    }
  }
}

extension SentimentError {
  /// Throws ``invalidParameter(name:value:expected:)`` unless `ok`: the one check every options
  /// type's `validate()` makes per setting.
  static func require(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws {
    if !ok {
      throw SentimentError.invalidParameter(name: name, value: "\(value)", expected: expected)
    }
  }
}
