import Foundation
import RecurrentText

/// Texts with one label each, as read from a TSV or CSV file.
///
/// ```swift
/// let data = try LabeledTexts(contentsOf: "Data/rt-polarity/train.tsv")
/// data.texts.count   // 8530
/// data.labels[0]     // "0"
/// ```
public struct LabeledTexts: Sendable, Equatable {
  /// The documents.
  public var texts: [String]
  /// The label of each document, as written in the file (`"0"`, `"pos"`, …).
  public var labels: [String]
  /// Each document's cross-validation fold (0-based) when the file has a fold column.
  public var folds: [Int]?

  /// Creates a data set from parallel arrays.
  /// - Precondition: `texts.count == labels.count`.
  public init(texts: [String], labels: [String], folds: [Int]? = nil) {
    precondition(texts.count == labels.count, "one label per text")
    precondition(folds.map { $0.count == texts.count } ?? true, "one fold per text")
    self.texts = texts
    self.labels = labels
    self.folds = folds
  }

  /// The number of documents.
  public var count: Int { texts.count }

  /// The rows at `indices`, in that order.
  public func subset(_ indices: [Int]) -> LabeledTexts {
    LabeledTexts(
      texts: indices.map { texts[$0] }, labels: indices.map { labels[$0] },
      folds: folds.map { f in indices.map { f[$0] } })
  }

  /// Reads a file with a header row naming a text column and a label column (and optionally a
  /// fold column of non-negative integers, for cross-validation with given folds). `.tsv` files (and
  /// `.tsv.gz`) are split on tabs with no quoting; anything else is CSV with RFC 4180 quotes.
  ///
  /// - Throws: ``SentimentError`` naming the file and line for a missing column, an empty text,
  ///   an empty label or a file with no rows; `TextInputError` for malformed records.
  public init(
    contentsOf path: String, textColumn: String = "text", labelColumn: String = "label",
    foldColumn: String? = nil
  ) throws {
    let isTSV = path.hasSuffix(".tsv") || path.hasSuffix(".tsv.gz") || path.hasSuffix(".tab")
    let reader = try DelimitedReader(
      path: path, delimiter: isTSV ? "\t" : ",", quote: isTSV ? nil : "\"", hasHeader: true)
    let header = reader.header ?? []
    guard let textIndex = reader.column(textColumn) else {
      throw SentimentError.missingColumn(file: path, column: textColumn, header: header)
    }
    guard let labelIndex = reader.column(labelColumn) else {
      throw SentimentError.missingColumn(file: path, column: labelColumn, header: header)
    }
    var foldIndex: Int?
    if let foldColumn {
      guard let i = reader.column(foldColumn) else {
        throw SentimentError.missingColumn(file: path, column: foldColumn, header: header)
      }
      foldIndex = i
    }
    var texts: [String] = []
    var labels: [String] = []
    var folds: [Int] = []
    while let record = try reader.next() {
      if let foldIndex {
        guard let fold = Int(record[foldIndex].trimmingCharacters(in: .whitespaces)), fold >= 0
        else {
          throw SentimentError.invalidField(
            file: path, line: reader.recordLine, column: foldColumn ?? "",
            value: record[foldIndex], expected: "a non-negative integer fold number")
        }
        folds.append(fold)
      }
      let text = record[textIndex].trimmingCharacters(in: .whitespaces)
      let label = record[labelIndex].trimmingCharacters(in: .whitespaces)
      if text.isEmpty {
        throw SentimentError.emptyField(file: path, line: reader.recordLine, column: textColumn)
      }
      if label.isEmpty {
        throw SentimentError.emptyField(file: path, line: reader.recordLine, column: labelColumn)
      }
      texts.append(text)
      labels.append(label)
    }
    guard !texts.isEmpty else { throw SentimentError.noRows(file: path) }
    self.init(texts: texts, labels: labels, folds: foldIndex == nil ? nil : folds)
  }
}
