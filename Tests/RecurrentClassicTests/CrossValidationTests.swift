import RecurrentText
import XCTest

@testable import RecurrentClassic

final class CrossValidationTests: XCTestCase {
  func testShuffledFoldsAreBalancedAndSeeded() {
    let folds = shuffledFoldAssignment(count: 23, k: 5, seed: 9)
    XCTAssertEqual(folds, shuffledFoldAssignment(count: 23, k: 5, seed: 9))
    XCTAssertNotEqual(folds, shuffledFoldAssignment(count: 23, k: 5, seed: 10))
    let sizes = (0..<5).map { f in folds.filter { $0 == f }.count }
    XCTAssertEqual(sizes, [5, 5, 5, 4, 4])
  }

  func testSplitMixMatchesPublishedSequence() {
    // First outputs of SplitMix64 seeded with 1234567, as Vigna's splitmix64.c and the Python
    // copy in Tools/classic_reference_cv.py give them.
    var generator = SplitMix64(seed: 1_234_567)
    XCTAssertEqual(generator.next(), 6_457_827_717_110_365_317)
    XCTAssertEqual(generator.next(), 3_203_168_211_198_807_973)
  }

  func testCrossValidatesTheToyDocumentsWithGivenFolds() throws {
    let toy = try loadFixture("toy")
    let x = toy.sparse("train")
    let labels = toy.strings("labels")
    let folds = (0..<labels.count).map { $0 % 4 }
    var seen: [[Int]] = []
    let report = try crossValidate(
      labels: labels, folds: .assigned(folds),
      featurize: { train, test in
        seen.append(test)
        return (x.selectingRows(train), x.selectingRows(test))
      },
      fitAndPredict: { xTrain, yTrain, xTest in
        try MultinomialNaiveBayes(features: xTrain, labels: yTrain).predict(xTest)
      })
    XCTAssertEqual(seen, [[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]])
    XCTAssertEqual(report.foldSizes, [3, 3, 3, 3])
    // Every fold predicted by hand-independent means: refit on each split and count.
    var correct = 0
    for test in seen {
      let train = (0..<labels.count).filter { !test.contains($0) }
      let nb = try MultinomialNaiveBayes(
        features: x.selectingRows(train), labels: train.map { labels[$0] })
      correct += zip(try nb.predict(x.selectingRows(test)), test).filter { $0 == labels[$1] }.count
    }
    XCTAssertEqual(report.accuracy, Double(correct) / 12, accuracy: 1e-12)
    XCTAssertThrowsError(
      try crossValidate(
        labels: labels, folds: .shuffled(k: 1, seed: 0),
        featurize: { _, _ in (x, x) }, fitAndPredict: { _, _, _ in [] }))
  }
}
