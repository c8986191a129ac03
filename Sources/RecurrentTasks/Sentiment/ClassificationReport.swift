import Foundation

/// Accuracy, per-class precision / recall / F1, macro F1 and the confusion matrix of predicted
/// against true labels (scikit-learn's `classification_report` and `confusion_matrix`; a class
/// with no predictions has precision 0, as scikit-learn's `zero_division=0`).
///
/// ```swift
/// let report = ClassificationReport(truth: ["a", "b", "b"], predicted: ["a", "b", "a"],
///                                   classes: ["a", "b"])
/// report.accuracy        // 0.667
/// report.confusion[1]    // [1, 1]: true "b" predicted as "a" once, as "b" once
/// ```
public struct ClassificationReport: Sendable, Equatable {
  /// The classes, in the order of the matrix rows and columns.
  public let classes: [String]
  /// `confusion[i][j]`: documents of true class `i` predicted as class `j`.
  public let confusion: [[Int]]
  /// Fraction predicted correctly.
  public let accuracy: Double
  /// Per class: true positives over predicted positives.
  public let precision: [Double]
  /// Per class: true positives over actual positives.
  public let recall: [Double]
  /// Per class: harmonic mean of precision and recall.
  public let f1: [Double]
  /// Unweighted mean of the per-class F1 scores.
  public let macroF1: Double

  /// Compares `predicted` with `truth`; labels outside `classes` count as wrong predictions.
  public init(truth: [String], predicted: [String], classes: [String]) {
    precondition(truth.count == predicted.count, "one prediction per document")
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    var confusion = [[Int]](
      repeating: [Int](repeating: 0, count: classes.count), count: classes.count)
    var correct = 0
    for (t, p) in zip(truth, predicted) {
      if t == p { correct += 1 }
      if let i = index[t], let j = index[p] { confusion[i][j] += 1 }
    }
    var precision: [Double] = []
    var recall: [Double] = []
    var f1: [Double] = []
    for k in classes.indices {
      let tp = Double(confusion[k][k])
      let predictedK = Double(classes.indices.reduce(0) { $0 + confusion[$1][k] })
      let actualK = Double(confusion[k].reduce(0, +))
      let p = predictedK > 0 ? tp / predictedK : 0
      let r = actualK > 0 ? tp / actualK : 0
      precision.append(p)
      recall.append(r)
      f1.append(p + r > 0 ? 2 * p * r / (p + r) : 0)
    }
    self.classes = classes
    self.confusion = confusion
    self.accuracy = truth.isEmpty ? 0 : Double(correct) / Double(truth.count)
    self.precision = precision
    self.recall = recall
    self.f1 = f1
    self.macroF1 = f1.isEmpty ? 0 : f1.reduce(0, +) / Double(f1.count)
  }

  /// A plain-text table, as scikit-learn's `classification_report` lays it out.
  public var table: String {
    let width = max(12, (classes.map(\.count).max() ?? 0) + 2)
    func pad(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
    func num(_ x: Double) -> String { pad(String(format: "%.4f", x)) }
    var lines = [pad("") + pad("precision") + pad("recall") + pad("f1-score")]
    for k in classes.indices {
      lines.append(pad(classes[k]) + num(precision[k]) + num(recall[k]) + num(f1[k]))
    }
    lines.append(pad("accuracy") + pad("") + pad("") + num(accuracy))
    lines.append(pad("macro avg") + pad("") + pad("") + num(macroF1))
    lines.append("confusion (rows: true, columns: predicted) " + classes.joined(separator: " / "))
    for row in confusion { lines.append("  " + row.map { String($0) }.joined(separator: "\t")) }
    return lines.joined(separator: "\n")
  }
}
