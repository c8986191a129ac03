import XCTest

@testable import RecurrentText

/// Golden tests against keras.utils.pad_sequences (Keras 3.15; Tools/make_vectorizer_fixtures.py).
final class PadSequencesTests: XCTestCase {
  struct Case: Decodable {
    var maxlen: Int?
    var padding: String
    var truncating: String
    var dtype: String
    var value: Double
    var shape: [Int]
    var output: [[Double]]
  }

  struct Fixture: Decodable {
    var sequences: [[Int]]
    var cases: [Case]
    var allEmptyShape: [Int]
  }

  func testAllOptionCombinationsMatchKeras() throws {
    let f = try VectorizationFixtures.decode(Fixture.self, "vec_pad_sequences.json")
    XCTAssertEqual(f.cases.count, 60)
    for c in f.cases {
      let padding: SequenceEnd = c.padding == "pre" ? .pre : .post
      let truncating: SequenceEnd = c.truncating == "pre" ? .pre : .post
      let label = "maxlen \(String(describing: c.maxlen)) \(c.padding)/\(c.truncating) \(c.dtype)"
      if c.dtype == "int32" {
        let input = f.sequences.map { $0.map { Int32($0) } }
        let out = padSequences(
          input, maxlen: c.maxlen, padding: padding, truncating: truncating, value: Int32(c.value))
        XCTAssertEqual(out.map { $0.map(Double.init) }, c.output, label)
        XCTAssertEqual([out.count, out.first?.count ?? 0], c.shape, label)
      } else {
        let input = f.sequences.map { $0.map { Float($0) } }
        let out = padSequences(
          input, maxlen: c.maxlen, padding: padding, truncating: truncating, value: Float(c.value))
        XCTAssertEqual(out.map { $0.map(Double.init) }, c.output, label)
      }
    }
    let empty = padSequences([[], []] as [[Int32]])
    XCTAssertEqual([empty.count, empty[0].count], f.allEmptyShape)
  }

  func testMaxlenZeroGivesEmptyRows() {
    // Keras 3.15 raises a broadcasting error here; we return rows of width 0 (documented).
    XCTAssertEqual(padSequences([[1, 2], [3]] as [[Int]], maxlen: 0), [[], []])
    XCTAssertEqual(padSequences([] as [[Int]]), [])
  }
}
