import RecurrentLayers
import RecurrentTasks
import XCTest

final class KerasLSTMExampleTests: XCTestCase {
  /// The shared example runs end to end: Keras's word index and padding, 5 epochs, and the seed
  /// decides the whole run (same seed → the same numbers; another seed → other weights).
  func testExampleRunsAndTheSeedDecides() throws {
    let a = try kerasLSTMExample(seed: 0)
    // tf_keras 2.21 Tokenizer(num_words=100) + pad_sequences(maxlen=5) on the same texts.
    XCTAssertEqual(
      a.wordIndex,
      ["this": 1, "movie": 2, "i": 3, "is": 4, "love": 5, "hate": 6, "amazing": 7, "terrible": 8])
    XCTAssertEqual(
      a.padded, [[0, 3, 5, 1, 2], [0, 3, 6, 1, 2], [0, 1, 2, 4, 7], [0, 1, 2, 4, 8]])
    XCTAssertEqual(a.testPadded, [[0, 1, 2, 4, 7]])
    XCTAssertEqual(a.history.epochs, [0, 1, 2, 3, 4])
    XCTAssertEqual(a.parameterCount, 100 * 8 + 4 * 8 * (8 + 8) + 2 * 4 * 8 + 8 + 1)
    XCTAssert((0...1).contains(a.prediction))
    XCTAssert(a.scores["accuracy"].map { (0...1).contains($0) } ?? false)
    let again = try kerasLSTMExample(seed: 0)
    XCTAssertEqual(again.history["loss"], a.history["loss"])
    XCTAssertEqual(again.prediction, a.prediction)
    let other = try kerasLSTMExample(seed: 1)
    XCTAssertNotEqual(other.prediction, a.prediction)
  }
}
