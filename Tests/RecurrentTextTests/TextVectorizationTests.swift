import XCTest

@testable import RecurrentText

/// Golden tests against keras.layers.TextVectorization (Keras 3.15 / TensorFlow 2.21; fixture from
/// Tools/make_vectorizer_fixtures.py keras).
final class TextVectorizationTests: XCTestCase {
  enum NGrams: Decodable {
    case upTo(Int)
    case widths([Int])
    init(from decoder: Decoder) throws {
      let c = try decoder.singleValueContainer()
      if let n = try? c.decode(Int.self) {
        self = .upTo(n)
      } else {
        self = .widths(try c.decode([Int].self))
      }
    }
    var widths: [Int] {
      switch self {
      case .upTo(let n): return Array(1...n)
      case .widths(let w): return w
      }
    }
  }

  struct Options: Decodable {
    var maxTokens: Int?
    var outputSequenceLength: Int?
    var ngrams: NGrams?
    var outputMode: String?
    /// nil: the default; .some(nil): None.
    var standardize: String??
    var split: String?

    enum CodingKeys: String, CodingKey {
      case maxTokens, outputSequenceLength, ngrams, outputMode, standardize, split
    }

    init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
      outputSequenceLength = try c.decodeIfPresent(Int.self, forKey: .outputSequenceLength)
      ngrams = try c.decodeIfPresent(NGrams.self, forKey: .ngrams)
      outputMode = try c.decodeIfPresent(String.self, forKey: .outputMode)
      split = try c.decodeIfPresent(String.self, forKey: .split)
      if c.contains(.standardize) {
        standardize = .some(
          try c.decodeNil(forKey: .standardize)
            ? nil : try c.decode(String.self, forKey: .standardize))
      }
    }

    func make() throws -> TextVectorizer {
      let mode: TextVectorizer.OutputMode
      switch outputMode ?? "int" {
      case "multi_hot": mode = .multiHot
      case "count": mode = .count
      case "tf_idf": mode = .tfIdf
      default: mode = .int
      }
      var standardizeMode = TextVectorizer.Standardize.lowerAndStripPunctuation
      if let explicit = standardize {
        switch explicit {
        case "lower"?: standardizeMode = .lower
        case "strip_punctuation"?: standardizeMode = .stripPunctuation
        case nil: standardizeMode = .none
        default: break
        }
      }
      return try TextVectorizer(
        maxTokens: maxTokens, standardize: standardizeMode,
        split: split == "character" ? .character : .whitespace, ngrams: ngrams?.widths,
        outputMode: mode, outputSequenceLength: outputSequenceLength)
    }
  }

  struct Case: Decodable {
    var name: String
    var options: Options
    var vocabulary: [String]
    var outputs: [[Double]]
  }

  struct RT: Decodable {
    var vocabularySize: Int
    var firstWords: [String]
    var wordsHash: String
    var sampleIndices: [Int]
    var outputs: [[Int]]
  }

  struct Fixture: Decodable {
    var texts: [String]
    var heldOut: [String]
    var cases: [Case]
    var rtPolarity: RT?
  }

  func testSmallCorpusMatchesKeras() throws {
    let f = try VectorizationFixtures.decode(Fixture.self, "vec_text_vectorization.json")
    XCTAssertEqual(f.cases.count, 13)
    for c in f.cases {
      var v = try c.options.make()
      v.adapt(f.texts)
      XCTAssertEqual(v.vocabulary, c.vocabulary, c.name)
      if v.outputMode == .int {
        let out = v.sequences(f.texts + f.heldOut)
        XCTAssertEqual(out.map { $0.map(Double.init) }, c.outputs, c.name)
        XCTAssertTrue(out.allSatisfy { $0.allSatisfy { Int($0) < v.vocabularySize } }, c.name)
      } else {
        let out = v.matrix(f.texts + f.heldOut)
        XCTAssertEqual(out.count, c.outputs.count, c.name)
        for (r, (got, want)) in zip(out, c.outputs).enumerated() {
          XCTAssertEqual(got.count, want.count, c.name)
          for (j, (a, b)) in zip(got, want).enumerated()
          where abs(Double(a) - b) > 1e-6 * max(1, abs(b)) {
            XCTFail("\(c.name) [\(r), \(j)]: \(a) vs Keras \(b)")
          }
        }
      }
    }
  }

  func testInvalidSettingsThrow() {
    XCTAssertThrowsError(try TextVectorizer(outputMode: .count, outputSequenceLength: 4))
    XCTAssertThrowsError(try TextVectorizer(maxTokens: 2))
    XCTAssertThrowsError(try TextVectorizer(ngrams: [0]))
  }

  func testRtPolarityMatchesKeras() throws {
    let documents = try VectorizationFixtures.rtPolarityDocuments()
    let f = try VectorizationFixtures.decode(Fixture.self, "vec_text_vectorization.json")
    let rt = try XCTUnwrap(f.rtPolarity)
    var v = try TextVectorizer(outputSequenceLength: 40)
    v.adapt(documents)
    XCTAssertEqual(v.vocabularySize, rt.vocabularySize)
    XCTAssertEqual(Array(v.vocabulary.prefix(rt.firstWords.count)), rt.firstWords)
    XCTAssertEqual(VectorizationFixtures.fnv1a64(v.vocabulary), rt.wordsHash)
    let out = v.sequences(rt.sampleIndices.map { documents[$0] })
    XCTAssertEqual(out.map { $0.map(Int.init) }, rt.outputs)
  }
}
