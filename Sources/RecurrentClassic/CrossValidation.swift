import RecurrentText

/// How documents are split into cross-validation folds.
public enum CrossValidationFolds: Sendable, Equatable {
  /// A seeded shuffle dealt round-robin into `k` folds (see ``shuffledFoldAssignment(count:k:seed:)``).
  case shuffled(k: Int, seed: UInt64)
  /// A given fold number per document (e.g. the official folds of a corpus), `0..<k`.
  case assigned([Int])
}

/// The outcome of a cross-validation run.
public struct CrossValidationReport: Sendable, Equatable {
  /// Accuracy on each held-out fold, in fold order.
  public let foldAccuracies: [Double]
  /// Held-out documents per fold.
  public let foldSizes: [Int]
  /// Correct predictions over all held-out documents divided by their number.
  public let accuracy: Double
  /// Unweighted mean of the fold accuracies (what most papers report for 10-fold CV).
  public var meanFoldAccuracy: Double {
    foldAccuracies.reduce(0, +) / Double(max(foldAccuracies.count, 1))
  }
  /// Sample standard deviation of the fold accuracies.
  public var foldStandardDeviation: Double {
    let n = Double(foldAccuracies.count)
    guard n > 1 else { return 0 }
    let m = meanFoldAccuracy
    return (foldAccuracies.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
  }
}

/// Fold numbers for `count` documents: a Fisher–Yates shuffle of `0..<count` driven by SplitMix64
/// seeded with `seed` (`j = next() % (i + 1)` for `i` from `count − 1` down to 1), then the
/// document at shuffled position `p` goes to fold `p % k`. Tools/classic_reference_cv.py
/// replicates it, so scikit-learn can be run on the very same folds.
///
/// ```swift
/// let folds = shuffledFoldAssignment(count: 10_662, k: 10, seed: 0)  // [10662], values 0..<10
/// ```
public func shuffledFoldAssignment(count: Int, k: Int, seed: UInt64) -> [Int] {
  var order = Array(0..<count)
  var generator = SplitMix64(seed: seed)
  if count > 1 {
    for i in stride(from: count - 1, through: 1, by: -1) {
      order.swapAt(i, generator.nextIndex(below: i + 1))
    }
  }
  var fold = [Int](repeating: 0, count: count)
  for (position, document) in order.enumerated() { fold[document] = position % k }
  return fold
}

/// K-fold cross-validation of any model: for each fold, `featurize` builds train and test
/// features from the document indices (fit the vocabulary on the training part only), and
/// `fitAndPredict` trains on them and predicts the test rows.
///
/// ```swift
/// let report = try crossValidate(
///   labels: labels, folds: .shuffled(k: 10, seed: 0),
///   featurize: { train, test in vectorize(train, test) },
///   fitAndPredict: { x, y, xTest in try MultinomialNaiveBayes(features: x, labels: y).predict(xTest) })
/// print(report.accuracy)
/// ```
public func crossValidate<Label: Equatable>(
  labels: [Label], folds: CrossValidationFolds,
  featurize: (_ train: [Int], _ test: [Int]) throws -> (train: SparseMatrix, test: SparseMatrix),
  fitAndPredict: (_ train: SparseMatrix, _ trainLabels: [Label], _ test: SparseMatrix) throws ->
    [Label]
) throws -> CrossValidationReport {
  let assignment: [Int]
  switch folds {
  case .shuffled(let k, let seed):
    guard k >= 2 && k <= labels.count else {
      throw ClassicError.invalidParameter(
        name: "k", value: "\(k)", expected: "in 2...\(labels.count) (the number of documents)")
    }
    assignment = shuffledFoldAssignment(count: labels.count, k: k, seed: seed)
  case .assigned(let given):
    guard given.count == labels.count else {
      throw ClassicError.rowCountMismatch(features: labels.count, labels: given.count)
    }
    guard let low = given.min(), low >= 0 else {
      throw ClassicError.invalidParameter(
        name: "folds", value: "\(given.min() ?? 0)", expected: "non-negative fold numbers")
    }
    assignment = given
  }
  let foldCount = (assignment.max() ?? 0) + 1
  var accuracies: [Double] = []
  var sizes: [Int] = []
  var correctTotal = 0
  for fold in 0..<foldCount {
    let test = assignment.indices.filter { assignment[$0] == fold }
    if test.isEmpty { continue }
    let train = assignment.indices.filter { assignment[$0] != fold }
    let (xTrain, xTest) = try featurize(train, test)
    let predicted = try fitAndPredict(xTrain, train.map { labels[$0] }, xTest)
    guard predicted.count == test.count else {
      throw ClassicError.rowCountMismatch(features: test.count, labels: predicted.count)
    }
    let correct = zip(test, predicted).filter { labels[$0.0] == $0.1 }.count
    correctTotal += correct
    accuracies.append(Double(correct) / Double(test.count))
    sizes.append(test.count)
  }
  return CrossValidationReport(
    foldAccuracies: accuracies, foldSizes: sizes,
    accuracy: Double(correctTotal) / Double(max(sizes.reduce(0, +), 1)))
}
