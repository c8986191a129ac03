import Foundation
import RecurrentClassic
import RecurrentTensor

/// The result of k-fold cross-validation of one model kind.
public struct SentimentCrossValidation: Sendable, Equatable {
  /// Accuracy of each fold, in fold order.
  public let foldAccuracies: [Double]
  /// Macro F1 of each fold.
  public let foldMacroF1: [Double]
  /// Training wall-clock seconds of each fold.
  public let foldTrainingSeconds: [Double]
  /// Correct predictions over all documents (folds weighted by size).
  public let accuracy: Double
  /// Mean of the folds' macro F1.
  public let macroF1: Double
}

extension SentimentClassifier {
  /// Trains and tests `kind` on each fold of `data`: the folds of its fold column when it has
  /// one, else `folds` shuffled folds drawn from `seed` (the same assignment as
  /// RecurrentClassic's `shuffledFoldAssignment`). `onlyFirst` runs just the first folds of that
  /// split (a cheap screen whose folds are the full run's; `accuracy` then covers those folds).
  public static func crossValidate(
    _ data: LabeledTexts, kind: SentimentModelKind, folds: Int = 10, seed: UInt64 = 1,
    options: SentimentOptions = .init(), onlyFirst: Int? = nil,
    onFold: ((Int, ClassificationReport, Double) -> Void)? = nil
  ) throws -> SentimentCrossValidation {
    let assignment: [Int]
    if let given = data.folds {
      assignment = given
    } else {
      guard folds >= 2 && folds <= data.count else {
        throw SentimentError.invalidParameter(
          name: "folds", value: "\(folds)", expected: "in 2...\(data.count) (the document count)")
      }
      assignment = shuffledFoldAssignment(count: data.count, k: folds, seed: seed)
    }
    var accuracies: [Double] = []
    var f1s: [Double] = []
    var seconds: [Double] = []
    var correct = 0
    var total = 0
    if let onlyFirst, onlyFirst < 1 {
      throw SentimentError.invalidParameter(
        name: "onlyFirst", value: "\(onlyFirst)", expected: "at least 1 fold")
    }
    for fold in Array(Set(assignment)).sorted().prefix(onlyFirst ?? Int.max) {
      let test = assignment.indices.filter { assignment[$0] == fold }
      // Training rows in a seeded random order: files are often sorted by label, and a
      // recurrent model's validation split (the last rows, as Keras) must not be one class.
      var order = RandomGenerator(seed: seed &+ UInt64(fold))
      let train = assignment.indices.filter { assignment[$0] != fold }.shuffled(using: &order)
      let start = Date()
      let model = try SentimentClassifier(
        training: data.subset(train), kind: kind, options: options)
      let elapsed = Date().timeIntervalSince(start)
      let testData = data.subset(test)
      // A label only the test fold holds is simply a wrong prediction here.
      let predicted = try model.predict(testData.texts).map(\.label)
      let report = ClassificationReport(
        truth: testData.labels, predicted: predicted, classes: Array(Set(data.labels)).sorted())
      onFold?(fold, report, elapsed)
      accuracies.append(report.accuracy)
      f1s.append(report.macroF1)
      seconds.append(elapsed)
      correct += zip(testData.labels, predicted).filter { $0.0 == $0.1 }.count
      total += test.count
    }
    return SentimentCrossValidation(
      foldAccuracies: accuracies, foldMacroF1: f1s, foldTrainingSeconds: seconds,
      accuracy: Double(correct) / Double(max(total, 1)),
      macroF1: f1s.reduce(0, +) / Double(max(f1s.count, 1)))
  }
}
